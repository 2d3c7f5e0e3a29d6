/**
 * Page state mirrored in the query string (DESIGN.md, "URL state"): every slider and selection
 * writes its value to `?s=3&d=5…` with history.replaceState (no reload, no new history entry), and
 * a shared link reopens the same view.
 *
 * The parsing and serialising are pure functions of URLSearchParams, so they run (and are tested)
 * without a DOM; `createUrlState` binds them to a `location`/`history` pair (the window's by
 * default, a fake one in tests).
 *
 * Names are case-sensitive (`h` is the output height h', `H` the DFC map height). Parameters the
 * schema does not know are left untouched, so several figures (and the lab) can share one URL.
 */

export interface IntParam {
  kind: 'int';
  default: number;
  min?: number;
  max?: number;
}

export interface NumberParam {
  kind: 'number';
  default: number;
  min?: number;
  max?: number;
}

export interface StringParam {
  kind: 'string';
  default: string;
  /** Allowed values; anything else falls back to the default. */
  options?: readonly string[];
  /** Or a pattern the whole value must match. */
  pattern?: RegExp;
  /** Longest accepted value (default 200). */
  maxLength?: number;
}

export type ParamSpec = IntParam | NumberParam | StringParam;
export type Schema = Record<string, ParamSpec>;

export type StateOf<S extends Schema> = {
  [K in keyof S]: S[K] extends StringParam ? string : number;
};

export interface UrlNote {
  param: string;
  given: string;
  used: string | number;
  reason: 'not-a-number' | 'rounded' | 'below-min' | 'above-max' | 'not-allowed' | 'too-long';
}

function toParams(search: string | URLSearchParams): URLSearchParams {
  return typeof search === 'string' ? new URLSearchParams(search) : search;
}

/** Clamps/validates one value against its spec. Returns the value and an optional note. */
export function coerceParam(name: string, spec: ParamSpec, raw: string | null | undefined): { value: string | number; note?: UrlNote } {
  if (raw === null || raw === undefined) return { value: spec.default };
  const given = raw;
  if (spec.kind === 'string') {
    const max = spec.maxLength ?? 200;
    if (given.length > max) return { value: spec.default, note: { param: name, given: given.slice(0, 40), used: spec.default, reason: 'too-long' } };
    if (spec.options && !spec.options.includes(given)) return { value: spec.default, note: { param: name, given, used: spec.default, reason: 'not-allowed' } };
    if (spec.pattern) {
      const re = new RegExp(`^(?:${spec.pattern.source})$`, spec.pattern.flags.replace('g', ''));
      if (!re.test(given)) return { value: spec.default, note: { param: name, given, used: spec.default, reason: 'not-allowed' } };
    }
    return { value: given };
  }
  const trimmed = given.trim();
  let v = trimmed === '' ? Number.NaN : Number(trimmed);
  if (Number.isNaN(v)) return { value: spec.default, note: { param: name, given, used: spec.default, reason: 'not-a-number' } };
  let reason: UrlNote['reason'] | undefined;
  if (spec.kind === 'int' && Number.isFinite(v) && !Number.isInteger(v)) {
    v = Math.round(v);
    reason = 'rounded';
  }
  const min = spec.min ?? Number.NEGATIVE_INFINITY;
  const max = spec.max ?? Number.POSITIVE_INFINITY;
  if (v < min) {
    v = min;
    reason = 'below-min';
  } else if (v > max) {
    v = max;
    reason = 'above-max';
  }
  if (!Number.isFinite(v)) return { value: spec.default, note: { param: name, given, used: spec.default, reason: 'not-a-number' } };
  return reason ? { value: v, note: { param: name, given, used: v, reason } } : { value: v };
}

/** Reads a schema's values from a query string; missing values get their defaults. */
export function readParams<S extends Schema>(search: string | URLSearchParams, schema: S): { state: StateOf<S>; notes: UrlNote[]; present: (keyof S)[] } {
  const params = toParams(search);
  const state = {} as Record<string, string | number>;
  const notes: UrlNote[] = [];
  const present: (keyof S)[] = [];
  for (const [name, spec] of Object.entries(schema)) {
    const raw = params.get(name);
    if (raw !== null) present.push(name);
    const { value, note } = coerceParam(name, spec, raw);
    state[name] = value;
    if (note) notes.push(note);
  }
  return { state: state as StateOf<S>, notes, present };
}

/** Formats a number for a URL: integers as is, others with at most 6 significant digits. */
function formatValue(v: string | number): string {
  if (typeof v === 'string') return v;
  return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(6)));
}

/**
 * Returns a copy of `search` with the schema's keys set from `state`: a key already present keeps
 * its place, new keys are appended in schema order. With `omitDefaults`, keys at their default are
 * removed.
 */
export function writeParams<S extends Schema>(
  search: string | URLSearchParams,
  schema: S,
  state: Partial<StateOf<S>>,
  opts: { omitDefaults?: boolean } = {},
): URLSearchParams {
  const out = new URLSearchParams(toParams(search));
  for (const [name, spec] of Object.entries(schema)) {
    const v = (state as Record<string, string | number | undefined>)[name];
    if (v === undefined) continue;
    const { value } = coerceParam(name, spec, formatValue(v));
    if (opts.omitDefaults && value === spec.default) out.delete(name);
    else out.set(name, formatValue(value)); // in place if present, else appended
  }
  return out;
}

/** The parts of `window` the binding needs (fakes welcome). */
export interface UrlEnv {
  location: { search: string; pathname: string; hash: string };
  history: { state: unknown; replaceState(data: unknown, unused: string, url?: string | null): void };
}

export interface UrlStateOptions {
  /** Wait this long after the last change before writing (default 150 ms; 0 writes at once). */
  debounceMs?: number;
  omitDefaults?: boolean;
  /** Timer functions (tests may pass synchronous ones). */
  setTimeout?: (fn: () => void, ms: number) => unknown;
  clearTimeout?: (handle: unknown) => void;
}

export interface UrlState<S extends Schema> {
  /** The current state (read from the URL at creation, then as set). */
  get(): StateOf<S>;
  /** Notes about values in the URL that were invalid and replaced at creation. */
  readonly notes: UrlNote[];
  /** Updates some values; the URL follows (debounced). Values are coerced by the schema. */
  set(patch: Partial<StateOf<S>>): StateOf<S>;
  /** Writes a pending change now. */
  flush(): void;
}

/**
 * Binds a schema to the page URL. If the URL held invalid values for this schema, it is rewritten
 * at once with the values actually used (so a shared link shows what the reader sees).
 */
export function createUrlState<S extends Schema>(schema: S, env?: UrlEnv, opts: UrlStateOptions = {}): UrlState<S> {
  const e: UrlEnv = env ?? (globalThis as unknown as UrlEnv);
  const debounceMs = opts.debounceMs ?? 150;
  const setT = opts.setTimeout ?? ((fn: () => void, ms: number) => globalThis.setTimeout(fn, ms));
  const clearT = opts.clearTimeout ?? ((h: unknown) => globalThis.clearTimeout(h as ReturnType<typeof setTimeout>));
  const initial = readParams(e.location.search, schema);
  let state = initial.state;
  let timer: unknown = null;

  const write = (): void => {
    timer = null;
    const next = writeParams(e.location.search, schema, state, { omitDefaults: opts.omitDefaults });
    const query = next.toString();
    const current = e.location.search.replace(/^\?/, '');
    if (query === current) return; // no history spam
    const url = `${e.location.pathname}${query ? `?${query}` : ''}${e.location.hash}`;
    e.history.replaceState(e.history.state, '', url);
  };

  if (initial.notes.length > 0) write();

  return {
    get: () => ({ ...state }),
    notes: initial.notes,
    set(patch) {
      const merged = { ...state } as Record<string, string | number>;
      for (const [name, v] of Object.entries(patch as Record<string, string | number | undefined>)) {
        const spec = schema[name];
        if (!spec || v === undefined) continue;
        merged[name] = coerceParam(name, spec, formatValue(v)).value;
      }
      state = merged as StateOf<S>;
      if (timer !== null) clearT(timer);
      if (debounceMs <= 0) write();
      else timer = setT(write, debounceMs);
      return { ...state };
    },
    flush() {
      if (timer !== null) {
        clearT(timer);
        write();
      }
    },
  };
}
