/**
 * One s/d state per page (issue 8, part 4): the Ghost ratio s and the cheap kernel d are shared by
 * every control on the page that has them — the speed-up calculator, the network explorer, the
 * lab's grid sliders — and mirrored in the URL as `?s=&d=`, so one link restores them all.
 *
 * API (browser; one store per page, kept on globalThis so every script bundle sees the same one):
 *
 *   import { pageParams } from '../lib/page-params';
 *   const sd = pageParams();            // created on first use from the URL
 *   sd.get();                           // { s: 2, d: 3 }
 *   sd.set({ s: 4 }, me);               // coerced to integers within LIMITS; the URL follows
 *   const off = sd.subscribe((v, from) => …, me);
 *   sd.notes;                           // invalid URL values that were replaced (for a notice)
 *
 * - `set` notifies every listener except those subscribed with the same `owner` as the set (a
 *   control does not hear its own echo). Nothing is notified when the values do not change.
 * - The store accepts what the widest control accepts (the calculator: s 1–64, d 1–15). A control
 *   with a narrower range (the explorer: s 2–5, d ∈ {1,3,5,7}) maps the shared value onto its
 *   own (`nearestAllowed`) for display and leaves the shared value alone until its reader moves it.
 * - Listeners run synchronously, in subscription order; `off()` unsubscribes.
 *
 * `createPageParams(env, opts)` builds a private store on a fake location/history (tests).
 */
import { createUrlState, type UrlEnv, type UrlNote, type UrlStateOptions } from './url-state';
import { GHOST_DEFAULTS, GHOST_LIMITS } from '../model/theory';

export interface SharedSD {
  s: number;
  d: number;
}

export type SDListener = (value: SharedSD, from: unknown) => void;

export interface PageParams {
  get(): SharedSD;
  set(patch: Partial<SharedSD>, owner?: unknown): SharedSD;
  subscribe(listener: SDListener, owner?: unknown): () => void;
  readonly notes: readonly UrlNote[];
}

/** What the shared store accepts (the calculator's limits), and its defaults (the paper's s = 2, d = 3). */
export const SD_SCHEMA = {
  s: { kind: 'int', default: GHOST_DEFAULTS.s, min: GHOST_LIMITS.s.min, max: GHOST_LIMITS.s.max },
  d: { kind: 'int', default: GHOST_DEFAULTS.d, min: GHOST_LIMITS.d.min, max: GHOST_LIMITS.d.max },
} as const;

export function createPageParams(env?: UrlEnv, opts: UrlStateOptions = {}): PageParams {
  const url = createUrlState(SD_SCHEMA, env, opts);
  const listeners: { fn: SDListener; owner: unknown }[] = [];
  return {
    get: () => {
      const { s, d } = url.get();
      return { s, d };
    },
    set(patch, owner) {
      const before = url.get();
      const { s, d } = url.set(patch);
      if (s !== before.s || d !== before.d) {
        for (const l of [...listeners]) if (owner === undefined || l.owner !== owner) l.fn({ s, d }, owner);
      }
      return { s, d };
    },
    subscribe(fn, owner) {
      const entry = { fn, owner };
      listeners.push(entry);
      return () => {
        const i = listeners.indexOf(entry);
        if (i >= 0) listeners.splice(i, 1);
      };
    },
    notes: url.notes,
  };
}

const KEY = Symbol.for('ghostlab.pageParams');

/** The page's store (created from the window's URL on first call). */
export function pageParams(): PageParams {
  const g = globalThis as unknown as Record<symbol, PageParams | undefined>;
  return (g[KEY] ??= createPageParams());
}

/** The allowed value nearest to `v` (ties go to the smaller one). */
export function nearestAllowed(v: number, allowed: readonly number[]): number {
  let best = allowed[0]!;
  for (const a of allowed) if (Math.abs(a - v) < Math.abs(best - v)) best = a;
  return best;
}
