import { describe, expect, it } from 'vitest';
import { createPageParams, nearestAllowed, pageParams, type SharedSD } from '../../src/lib/page-params';
import type { UrlEnv } from '../../src/lib/url-state';

function fakeEnv(search: string) {
  const calls: string[] = [];
  const env: UrlEnv = {
    location: { search, pathname: '/ghostnet-v1/', hash: '#ghostify' },
    history: {
      state: null,
      replaceState(_data: unknown, _unused: string, url?: string | null) {
        calls.push(String(url));
        const u = new URL(String(url), 'http://x');
        env.location.search = u.search;
      },
    },
  };
  return { env, calls };
}

describe('page params: one s and d per page', () => {
  it('reads s and d from the URL, leaving other parameters alone', () => {
    const { env, calls } = fakeEnv('?net=resnet50&s=4&d=5&c=64');
    const p = createPageParams(env, { debounceMs: 0 });
    expect(p.get()).toEqual({ s: 4, d: 5 });
    expect(p.notes).toEqual([]);
    expect(calls).toEqual([]);
    p.set({ s: 3 });
    expect(env.location.search).toBe('?net=resnet50&s=3&d=5&c=64');
    expect(calls).toEqual(['/ghostnet-v1/?net=resnet50&s=3&d=5&c=64#ghostify']);
  });

  it('defaults to the paper’s s = 2, d = 3; invalid URL values are replaced, noted and rewritten', () => {
    expect(createPageParams(fakeEnv('').env).get()).toEqual({ s: 2, d: 3 });
    const { env } = fakeEnv('?s=abc&d=99');
    const p = createPageParams(env);
    expect(p.get()).toEqual({ s: 2, d: 15 });
    expect(p.notes.map((n) => [n.param, n.reason])).toEqual([
      ['s', 'not-a-number'],
      ['d', 'above-max'],
    ]);
    expect(env.location.search).toBe('?s=2&d=15');
  });

  it('a set reaches every other subscriber, not its own owner; no news, no call', () => {
    const p = createPageParams(fakeEnv('').env, { debounceMs: 0 });
    const calc = {};
    const explorer = {};
    const heard: [string, SharedSD, unknown][] = [];
    p.subscribe((v, from) => heard.push(['calc', v, from]), calc);
    const off = p.subscribe((v, from) => heard.push(['explorer', v, from]), explorer);
    p.set({ s: 4 }, explorer);
    expect(heard).toEqual([['calc', { s: 4, d: 3 }, explorer]]);
    p.set({ s: 4 }, calc); // unchanged
    expect(heard).toHaveLength(1);
    p.set({ d: 5 }); // no owner: everybody hears
    expect(heard.slice(1).map((h) => h[0])).toEqual(['calc', 'explorer']);
    off();
    p.set({ d: 7 }, calc);
    expect(heard).toHaveLength(3);
  });

  it('values are coerced to the widest control’s range (the calculator’s)', () => {
    const p = createPageParams(fakeEnv('').env, { debounceMs: 0 });
    expect(p.set({ s: 100, d: 0 })).toEqual({ s: 64, d: 1 });
    expect(p.set({ s: 2.6 })).toEqual({ s: 3, d: 1 });
  });

  it('one store per page, shared by every script', () => {
    const g = globalThis as unknown as { location?: unknown; history?: unknown };
    const { env } = fakeEnv('?s=5');
    const saved = { location: g.location, history: g.history };
    Object.assign(g, env);
    try {
      const a = pageParams();
      expect(pageParams()).toBe(a);
      expect(a.get()).toEqual({ s: 5, d: 3 });
    } finally {
      Object.assign(g, saved);
    }
  });

  it('nearestAllowed maps a shared value onto a narrower control', () => {
    expect(nearestAllowed(8, [2, 3, 4, 5])).toBe(5);
    expect(nearestAllowed(1, [2, 3, 4, 5])).toBe(2);
    expect(nearestAllowed(4, [1, 3, 5, 7])).toBe(3);
    expect(nearestAllowed(15, [1, 3, 5, 7])).toBe(7);
    expect(nearestAllowed(5, [1, 3, 5, 7])).toBe(5);
  });
});
