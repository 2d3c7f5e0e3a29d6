/**
 * Colour scales for feature maps, kernels, attention and similarity matrices.
 *
 * Pure functions (no DOM): extents that ignore non-finite values, domains chosen per map ('local'),
 * per set of maps ('layer') or across every layer given ('global'), diverging domains symmetric
 * around 0, constant maps that never produce NaN, and 256-entry RGBA lookup tables built from d3's
 * interpolators so a renderer can turn a Float32Array into pixels with one table lookup per value.
 */
import {
  interpolateGreys,
  interpolateInferno,
  interpolateMagma,
  interpolateOranges,
  interpolateRdBu,
  interpolateTurbo,
  interpolateViridis,
  rgb,
} from 'd3';

export type ScaleMode = 'local' | 'layer' | 'global';
export type ScaleKind = 'diverging' | 'sequential';

/** The finite range of some values, with counts (non-finite values are skipped, not clamped). */
export interface Extent {
  min: number;
  max: number;
  /** number of finite values seen */
  count: number;
  /** number of NaN / ±Infinity values seen */
  nonFinite: number;
}

/** A usable colour domain: always finite with min < max. Diverging domains are symmetric (min = −max). */
export interface ColourDomain {
  kind: ScaleKind;
  min: number;
  max: number;
}

export interface DomainOptions {
  /** 'auto' (default): diverging if any finite value is negative, sequential otherwise. */
  kind?: ScaleKind | 'auto';
  /** Sequential domains only: stretch the domain to include 0 (default false). */
  includeZero?: boolean;
}

/** Finite min/max of `values` (optionally of `values[start..end)`); null when there is no finite value. */
export function extentOf(values: ArrayLike<number>, start = 0, end = values.length): Extent | null {
  let min = Infinity;
  let max = -Infinity;
  let count = 0;
  let nonFinite = 0;
  for (let i = start; i < end; i++) {
    const v = values[i];
    // `v - v === 0` is false for NaN and ±Infinity: one comparison instead of Number.isFinite.
    if (v - v === 0) {
      if (v < min) min = v;
      if (v > max) max = v;
      count++;
    } else nonFinite++;
  }
  return count === 0 ? null : { min, max, count, nonFinite };
}

/** The union of several extents (nulls skipped); null when none has a finite value. */
export function mergeExtents(extents: readonly (Extent | null)[]): Extent | null {
  let out: Extent | null = null;
  for (const e of extents) {
    if (!e) continue;
    if (!out) out = { ...e };
    else {
      out.min = Math.min(out.min, e.min);
      out.max = Math.max(out.max, e.max);
      out.count += e.count;
      out.nonFinite += e.nonFinite;
    }
  }
  return out;
}

/** Resolves 'auto' to a concrete kind from an extent: signed data (any value < 0) is diverging. */
export function resolveKind(extent: Extent | null, kind: ScaleKind | 'auto' = 'auto'): ScaleKind {
  if (kind !== 'auto') return kind;
  return extent && extent.min < 0 ? 'diverging' : 'sequential';
}

/**
 * A colour domain for an extent. Diverging: [−M, M] with M = max(|min|, |max|) (M = 1 when all
 * values are 0). Sequential: [min, max]; a constant map (min = max = c) becomes [c − |c|, c + |c|]
 * (or [0, 1] for c = 0) so it shows the middle colour instead of dividing by zero. No finite values
 * at all gives [0, 1] (or [−1, 1]).
 */
export function toDomain(extent: Extent | null, kind: ScaleKind, opts: { includeZero?: boolean } = {}): ColourDomain {
  if (!extent) return kind === 'diverging' ? { kind, min: -1, max: 1 } : { kind, min: 0, max: 1 };
  if (kind === 'diverging') {
    const m = Math.max(Math.abs(extent.min), Math.abs(extent.max));
    const M = m > 0 && Number.isFinite(m) ? m : 1;
    return { kind, min: -M, max: M };
  }
  let lo = extent.min;
  let hi = extent.max;
  if (opts.includeZero) {
    lo = Math.min(lo, 0);
    hi = Math.max(hi, 0);
  }
  if (!(hi > lo)) {
    const c = lo;
    const d = Math.abs(c) > 0 ? Math.abs(c) : 1;
    // For c = 0 keep [0, 1] so a blank map reads as "nothing" (the low colour), not as mid-scale.
    return c === 0 ? { kind, min: 0, max: 1 } : { kind, min: c - d, max: c + d };
  }
  return { kind, min: lo, max: hi };
}

/** One domain for a set of value arrays taken together. */
export function domainOf(values: readonly ArrayLike<number>[], opts: DomainOptions = {}): ColourDomain {
  const ext = mergeExtents(values.map((v) => extentOf(v)));
  return toDomain(ext, resolveKind(ext, opts.kind ?? 'auto'), opts);
}

/**
 * Domains for every map of every layer, by mode:
 * - 'local': each map gets its own domain;
 * - 'layer': all maps of a layer share the layer's domain;
 * - 'global': every map shares one domain across all layers given.
 * The kind (diverging or sequential) is decided once over everything given, so one grid never
 * mixes colour schemes. Returns domains[layer][map].
 */
export function domainsByMode(
  layers: readonly (readonly ArrayLike<number>[])[],
  mode: ScaleMode,
  opts: DomainOptions = {},
): ColourDomain[][] {
  const extents = layers.map((maps) => maps.map((m) => extentOf(m)));
  const layerExt = extents.map((l) => mergeExtents(l));
  const all = mergeExtents(layerExt);
  const kind = resolveKind(all, opts.kind ?? 'auto');
  if (mode === 'global') {
    const d = toDomain(all, kind, opts);
    return extents.map((l) => l.map(() => ({ ...d })));
  }
  if (mode === 'layer') {
    return extents.map((l, i) => {
      const d = toDomain(layerExt[i], kind, opts);
      return l.map(() => ({ ...d }));
    });
  }
  return extents.map((l) => l.map((e) => toDomain(e, kind, opts)));
}

/** Position of a value in a domain, clamped to [0, 1]; NaN stays NaN; ±Infinity clamp to the ends. */
export function normalise(v: number, domain: ColourDomain): number {
  if (v !== v) return NaN;
  const t = (v - domain.min) / (domain.max - domain.min);
  return t <= 0 ? 0 : t >= 1 ? 1 : t;
}

// ---------------------------------------------------------------------------------------------
// Colour schemes and lookup tables

export type SchemeName = 'rdbu' | 'greys' | 'viridis' | 'magma' | 'inferno' | 'turbo' | 'oranges';
export type Interpolator = (t: number) => string;

/** d3 interpolators, oriented so t = 0 is "low": rdbu runs blue (negative) → white (0) → red (positive); greys black → white. */
export const SCHEMES: Record<SchemeName, Interpolator> = {
  rdbu: (t) => interpolateRdBu(1 - t),
  greys: (t) => interpolateGreys(1 - t),
  viridis: interpolateViridis,
  magma: interpolateMagma,
  inferno: interpolateInferno,
  turbo: interpolateTurbo,
  oranges: interpolateOranges,
};

/** The default scheme for a kind: RdBu for signed data (as CNN Explainer), greys (black = low) otherwise. */
export function defaultScheme(kind: ScaleKind): SchemeName {
  return kind === 'diverging' ? 'rdbu' : 'greys';
}

/** Number of entries in a lookup table. */
export const LUT_SIZE = 256;

const lutCache = new Map<string, Uint8ClampedArray>();

/** A table of `n` RGBA colours (n × 4 bytes) sampled evenly from a scheme or interpolator. */
export function colourLUT(scheme: SchemeName | Interpolator, n = LUT_SIZE): Uint8ClampedArray {
  const key = typeof scheme === 'string' ? `${scheme}:${n}` : null;
  if (key) {
    const hit = lutCache.get(key);
    if (hit) return hit;
  }
  const f = typeof scheme === 'string' ? SCHEMES[scheme] : scheme;
  const out = new Uint8ClampedArray(n * 4);
  for (let i = 0; i < n; i++) {
    const c = rgb(f(n === 1 ? 0.5 : i / (n - 1)));
    out[i * 4] = c.r;
    out[i * 4 + 1] = c.g;
    out[i * 4 + 2] = c.b;
    out[i * 4 + 3] = 255;
  }
  if (key) lutCache.set(key, out);
  return out;
}

/** The colour of a value as an RGBA tuple (NaN gives `nan`, transparent by default). */
export function colourOf(
  v: number,
  domain: ColourDomain,
  lut: Uint8ClampedArray,
  nan: readonly [number, number, number, number] = [0, 0, 0, 0],
): [number, number, number, number] {
  const t = normalise(v, domain);
  if (t !== t) return [nan[0], nan[1], nan[2], nan[3]];
  const n = lut.length / 4;
  const k = Math.min(n - 1, Math.round(t * (n - 1))) * 4;
  return [lut[k], lut[k + 1], lut[k + 2], lut[k + 3]];
}

/** CSS colour string of a value (for SVG fills). */
export function cssColourOf(v: number, domain: ColourDomain, lut: Uint8ClampedArray): string {
  const [r, g, b, a] = colourOf(v, domain, lut);
  return a === 0 ? 'transparent' : `rgb(${r},${g},${b})`;
}

/**
 * Writes RGBA pixels for `count` values (from `values[offset]`, every `stride`-th) into `out`
 * (which has room for count × 4 bytes from `outOffset`). NaN → `nan` colour; ±Infinity clamp.
 * The hot loop of every raster in src/viz: one multiply and one table read per value.
 */
export function paintValues(
  out: Uint8ClampedArray,
  values: ArrayLike<number>,
  domain: ColourDomain,
  lut: Uint8ClampedArray,
  opts: { offset?: number; stride?: number; count?: number; outOffset?: number; nan?: readonly [number, number, number, number] } = {},
): void {
  const offset = opts.offset ?? 0;
  const stride = opts.stride ?? 1;
  const count = opts.count ?? Math.floor((values.length - offset + stride - 1) / stride);
  let o = opts.outOffset ?? 0;
  const nan = opts.nan ?? [0, 0, 0, 0];
  const n = lut.length / 4;
  const lo = domain.min;
  const k = (n - 1) / (domain.max - domain.min);
  for (let i = 0, j = offset; i < count; i++, j += stride, o += 4) {
    const v = values[j];
    if (v !== v) {
      out[o] = nan[0];
      out[o + 1] = nan[1];
      out[o + 2] = nan[2];
      out[o + 3] = nan[3];
      continue;
    }
    let idx = (v - lo) * k + 0.5;
    idx = idx <= 0 ? 0 : idx >= n - 1 ? n - 1 : idx | 0;
    const l = idx * 4;
    out[o] = lut[l];
    out[o + 1] = lut[l + 1];
    out[o + 2] = lut[l + 2];
    out[o + 3] = lut[l + 3];
  }
}
