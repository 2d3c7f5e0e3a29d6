import { describe, expect, it } from 'vitest';
import { coerceParam, createUrlState, readParams, writeParams, type Schema, type UrlEnv } from '../../src/lib/url-state';

const schema = {
  s: { kind: 'int', default: 2, min: 1, max: 64 },
  d: { kind: 'int', default: 3, min: 1, max: 15 },
  h: { kind: 'int', default: 28, min: 1, max: 4096 },
  H: { kind: 'int', default: 14, min: 1, max: 1024 },
  lr: { kind: 'number', default: 0.5, min: 0, max: 1 },
  model: { kind: 'string', default: 'ghostnetv2-fmnist', pattern: /[a-z0-9_-]+/ },
  backend: { kind: 'string', default: 'webgl', options: ['webgl', 'wasm', 'cpu'] },
} satisfies Schema;

/** A fake window: location + history that record replaceState calls. */
function fakeEnv(search: string, pathname = '/figures/ghost-speedup/', hash = '') {
  const calls: string[] = [];
  const env: UrlEnv = {
    location: { search, pathname, hash },
    history: {
      state: { keep: true },
      replaceState(_data: unknown, _unused: string, url?: string | null) {
        calls.push(String(url));
        const u = new URL(String(url), 'http://x');
        env.location.search = u.search;
        env.location.pathname = u.pathname;
        env.location.hash = u.hash;
      },
    },
  };
  return { env, calls };
}

/** Timers under the test's control. */
function manualTimers() {
  let pending: (() => void) | null = null;
  return {
    setTimeout: (fn: () => void) => {
      pending = fn;
      return 1;
    },
    clearTimeout: () => {
      pending = null;
    },
    run: () => {
      const fn = pending;
      pending = null;
      fn?.();
    },
    get pending() {
      return pending !== null;
    },
  };
}

describe('readParams', () => {
  it('gives defaults for missing values', () => {
    const { state, notes, present } = readParams('', schema);
    expect(state).toEqual({ s: 2, d: 3, h: 28, H: 14, lr: 0.5, model: 'ghostnetv2-fmnist', backend: 'webgl' });
    expect(notes).toEqual([]);
    expect(present).toEqual([]);
  });

  it('reads, rounds, clamps and validates, with a note for each change', () => {
    const { state, notes, present } = readParams('?s=3&d=2.6&h=-4&H=1e9&lr=abc&model=bad%20name&backend=cuda&other=1', schema);
    expect(state).toEqual({ s: 3, d: 3, h: 1, H: 1024, lr: 0.5, model: 'ghostnetv2-fmnist', backend: 'webgl' });
    expect(notes.map((n) => [n.param, n.reason])).toEqual([
      ['d', 'rounded'],
      ['h', 'below-min'],
      ['H', 'above-max'],
      ['lr', 'not-a-number'],
      ['model', 'not-allowed'],
      ['backend', 'not-allowed'],
    ]);
    expect(present).toEqual(['s', 'd', 'h', 'H', 'lr', 'model', 'backend']);
  });

  it('is case-sensitive: h (output height) and H (DFC map height) are different parameters', () => {
    const { state } = readParams(new URLSearchParams('h=7&H=56'), schema);
    expect([state.h, state.H]).toEqual([7, 56]);
  });

  it('empty and infinite values fall back or clamp', () => {
    expect(coerceParam('s', schema.s, '')).toMatchObject({ value: 2, note: { reason: 'not-a-number' } });
    expect(coerceParam('s', schema.s, 'Infinity')).toMatchObject({ value: 64, note: { reason: 'above-max' } });
    expect(coerceParam('x', { kind: 'number', default: 1 }, 'Infinity')).toMatchObject({ value: 1, note: { reason: 'not-a-number' } });
    expect(coerceParam('lr', schema.lr, '0.25')).toEqual({ value: 0.25 });
    expect(coerceParam('model', schema.model, 'x'.repeat(500))).toMatchObject({ value: 'ghostnetv2-fmnist', note: { reason: 'too-long' } });
  });
});

describe('writeParams', () => {
  it('sets the schema keys and keeps parameters it does not own', () => {
    const out = writeParams('?model=ghostnet-fmnist&sample=3&s=9', { s: schema.s, d: schema.d }, { s: 4, d: 5 });
    expect(out.toString()).toBe('model=ghostnet-fmnist&sample=3&s=4&d=5');
  });

  it('coerces what it writes and can omit defaults', () => {
    const out = writeParams('', schema, { s: 1000, d: 3, lr: 1 / 3 }, { omitDefaults: true });
    expect(out.toString()).toBe('s=64&lr=0.333333');
  });

  it('round-trips', () => {
    const state = { s: 5, d: 7, h: 14, H: 56, lr: 0.125, model: 'ghostnet_100', backend: 'wasm' };
    expect(readParams(writeParams('', schema, state), schema).state).toEqual(state);
  });
});

describe('createUrlState', () => {
  it('reads the URL at creation and writes changes with replaceState, debounced', () => {
    const { env, calls } = fakeEnv('?s=3&model=ghostnet-fmnist', '/figures/ghost-speedup/', '#plot');
    const timers = manualTimers();
    const url = createUrlState({ s: schema.s, d: schema.d }, env, { setTimeout: timers.setTimeout, clearTimeout: timers.clearTimeout });
    expect(url.get()).toEqual({ s: 3, d: 3 });
    expect(calls).toEqual([]); // nothing to fix: no write at start
    url.set({ s: 4 });
    url.set({ s: 5 });
    url.set({ d: 7 });
    expect(calls).toEqual([]); // debounced
    timers.run();
    expect(calls).toEqual(['/figures/ghost-speedup/?s=5&model=ghostnet-fmnist&d=7#plot']);
    expect(env.location.search).toBe('?s=5&model=ghostnet-fmnist&d=7');
  });

  it('does not write when nothing changed (no history spam)', () => {
    const { env, calls } = fakeEnv('?s=3&d=3');
    const url = createUrlState({ s: schema.s, d: schema.d }, env, { debounceMs: 0 });
    url.set({ s: 3 });
    url.set({ d: 3 });
    expect(calls).toEqual([]);
    url.set({ s: 4 });
    url.set({ s: 4 });
    expect(calls).toHaveLength(1);
  });

  it('rewrites an invalid URL at once with the values in use, and reports notes', () => {
    const { env, calls } = fakeEnv('?s=abc&d=99');
    const url = createUrlState({ s: schema.s, d: schema.d }, env, { debounceMs: 0 });
    expect(url.get()).toEqual({ s: 2, d: 15 });
    expect(url.notes.map((n) => n.reason)).toEqual(['not-a-number', 'above-max']);
    expect(calls).toEqual(['/figures/ghost-speedup/?s=2&d=15']);
  });

  it('coerces values passed to set, ignores unknown keys, flush writes at once', () => {
    const { env, calls } = fakeEnv('');
    const timers = manualTimers();
    const url = createUrlState({ s: schema.s, backend: schema.backend }, env, { setTimeout: timers.setTimeout, clearTimeout: timers.clearTimeout });
    const next = url.set({ s: 2.7, backend: 'tpu', nope: 1 } as never);
    expect(next).toEqual({ s: 3, backend: 'webgl' });
    url.flush();
    expect(timers.pending).toBe(false);
    expect(calls).toEqual(['/figures/ghost-speedup/?s=3&backend=webgl']);
    url.flush(); // nothing pending: no second write
    expect(calls).toHaveLength(1);
  });

  it('keeps the history state object it was given', () => {
    const { env } = fakeEnv('');
    let seen: unknown = null;
    const orig = env.history.replaceState.bind(env.history);
    env.history.replaceState = (data, unused, u) => {
      seen = data;
      orig(data, unused, u);
    };
    createUrlState({ s: schema.s }, env, { debounceMs: 0 }).set({ s: 6 });
    expect(seen).toEqual({ keep: true });
  });
});
