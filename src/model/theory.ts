/**
 * The analytic side of the two papers, as pure functions (no DOM, no tfjs):
 *
 * 1. The cost of replacing an ordinary convolution by a Ghost module (GhostNet, Han et al.
 *    CVPR 2020, §3.1): FLOPs, parameters, the exact speed-up r_s and compression r_c, and the
 *    paper's closed forms and approximations.
 * 2. The cost of the attention variants discussed by GhostNetV2 (Tang et al., NeurIPS 2022, §4.1):
 *    full FC attention, decoupled FC (DFC) attention as FC layers and as depthwise convolutions,
 *    and self-attention for comparison, at full resolution and on GhostNetV2's down-sampled branch;
 *    mixing only and with projections, so that every comparison counts both sides alike.
 * 3. The receptive field of one output pixel of DFC attention after its first and second pass.
 *
 * Every function accepts whatever a reader can type: inputs are sanitised first (non-numbers fall
 * back to the default, non-integers are rounded, out-of-range values are clamped) and each change
 * is reported as a `ClampNote`, so no result is ever NaN or Infinity.
 * Costs are multiply-accumulates (MACs), which both papers call FLOPs (the `flops` fields keep
 * the papers' name).
 */

// ---------------------------------------------------------------------------------------------
// Input sanitising
// ---------------------------------------------------------------------------------------------

export interface Limit {
  min: number;
  max: number;
}

/** Why an input was changed before use. */
export type ClampReason = 'not-a-number' | 'rounded' | 'below-min' | 'above-max';

export interface ClampNote {
  param: string;
  /** What was given (as typed, or the number). */
  given: string;
  /** What is used instead. */
  used: number;
  reason: ClampReason;
}

/**
 * Turns anything into an integer within [min, max]. `null`, `undefined`, '' and anything that is
 * not a finite number become the fallback; other values are rounded then clamped. Each change
 * appends a note (rounding and clamping can both apply: the clamp note wins as the reason).
 */
export function sanitizeInt(param: string, raw: unknown, limit: Limit, fallback: number, notes: ClampNote[]): number {
  const given = raw === undefined || raw === null ? '' : String(raw).trim();
  let v: number;
  if (typeof raw === 'number') v = raw;
  else if (given === '') v = Number.NaN;
  else v = Number(given);
  if (!Number.isFinite(v)) {
    // ±Infinity typed as a number: clamp to the nearest end rather than fall back.
    if (v === Number.POSITIVE_INFINITY) {
      notes.push({ param, given, used: limit.max, reason: 'above-max' });
      return limit.max;
    }
    if (v === Number.NEGATIVE_INFINITY) {
      notes.push({ param, given, used: limit.min, reason: 'below-min' });
      return limit.min;
    }
    notes.push({ param, given, used: fallback, reason: 'not-a-number' });
    return fallback;
  }
  const rounded = Math.round(v);
  if (rounded < limit.min) {
    notes.push({ param, given, used: limit.min, reason: 'below-min' });
    return limit.min;
  }
  if (rounded > limit.max) {
    notes.push({ param, given, used: limit.max, reason: 'above-max' });
    return limit.max;
  }
  if (rounded !== v) notes.push({ param, given, used: rounded, reason: 'rounded' });
  return rounded;
}

function sanitizeAll<K extends string>(
  raw: Partial<Record<K, unknown>>,
  limits: Record<K, Limit>,
  defaults: Record<K, number>,
): { values: Record<K, number>; notes: ClampNote[] } {
  const notes: ClampNote[] = [];
  const values = {} as Record<K, number>;
  for (const key of Object.keys(limits) as K[]) {
    values[key] = sanitizeInt(key, raw[key], limits[key], defaults[key], notes);
  }
  return { values, notes };
}

// ---------------------------------------------------------------------------------------------
// 1. Ghost module vs ordinary convolution
// ---------------------------------------------------------------------------------------------

/** The symbols of GhostNet §3.1. h and w are the OUTPUT size h', w'. */
export interface GhostInputs {
  /** ratio: each intrinsic map yields s−1 ghost maps */
  s: number;
  /** kernel size of the cheap depthwise operation */
  d: number;
  /** input channels */
  c: number;
  /** kernel size of the ordinary (and primary) convolution */
  k: number;
  /** output channels */
  n: number;
  /** output height h' */
  h: number;
  /** output width w' */
  w: number;
}

export const GHOST_KEYS = ['s', 'd', 'c', 'k', 'n', 'h', 'w'] as const;

/**
 * One ordinary convolution as the calculator sees it: GhostInputs without s and d (those belong to
 * the Ghost module that replaces it), plus its stride, which the ratio does not need (h' and w'
 * are already the output size) but a reader wants to see.
 */
export interface ConvGeometry {
  c: number;
  k: number;
  n: number;
  h: number;
  w: number;
  stride: number;
}

/** Defaults that teach: ResNet-50's layer2 3×3 conv (128 → 128 channels at 28×28), s = 2, d = 3
 *  = k, so the paper's approximations hold and r_s ≈ s. */
export const GHOST_DEFAULTS: GhostInputs = { s: 2, d: 3, c: 128, k: 3, n: 128, h: 28, w: 28 };

export const GHOST_LIMITS: Record<keyof GhostInputs, Limit> = {
  s: { min: 1, max: 64 },
  d: { min: 1, max: 15 },
  c: { min: 1, max: 8192 },
  k: { min: 1, max: 15 },
  n: { min: 1, max: 8192 },
  h: { min: 1, max: 4096 },
  w: { min: 1, max: 4096 },
};

export interface CostPair {
  flops: number;
  params: number;
}

export interface GhostCost {
  /** The values actually used. */
  inputs: GhostInputs;
  notes: ClampNote[];
  /** m = ceil(n/s) intrinsic maps, from the primary k×k conv. */
  m: number;
  /** m·(s−1) ghost maps computed by the cheap d×d depthwise operation (official code). */
  ghostComputed: number;
  /** n − m ghost maps kept after the concatenation is sliced to n channels. */
  ghostKept: number;
  /** m·s − n channels computed and then sliced away (0 when s divides n). */
  sliced: number;
  /** s divides n: then m = n/s exactly and the paper's closed form is exact. */
  divides: boolean;
  /** n·h'·w'·c·k² FLOPs and n·c·k² params. */
  ordinary: CostPair;
  /** m·h'·w'·c·k² + m(s−1)·h'·w'·d² FLOPs and m·c·k² + m(s−1)·d² params (no BN, as in the paper). */
  ghost: CostPair & { primaryFlops: number; cheapFlops: number; primaryParams: number; cheapParams: number };
  /** FLOPs spent on the sliced-away ghost maps: sliced·h'·w'·d². */
  wastedFlops: number;
  /** Exact ratios ordinary / Ghost. h'·w' cancels, so rs === rc for every input. */
  rs: number;
  rc: number;
  /** What r_s would be if the sliced maps were not computed (n − m cheap maps only). */
  rsKeptOnly: number;
  /** The paper's form c·k² / ((1/s)·c·k² + ((s−1)/s)·d²): exact when s | n. */
  paperForm: number;
  /** s·c / (s + c − 1): the paper's first approximation (it sets d = k). */
  approxSc: number;
  /** s: the paper's final approximation (s ≪ c). */
  approxS: number;
}

/** The paper's closed form of r_s (and r_c), for real s ≥ 1. */
export function ghostRatioPaperForm(s: number, c: number, k: number, d: number): number {
  const ck2 = c * k * k;
  return ck2 / ((1 / s) * ck2 + ((s - 1) / s) * d * d);
}

/** s·c / (s + c − 1). */
export function ghostRatioApprox(s: number, c: number): number {
  return (s * c) / (s + c - 1);
}

/**
 * The exact r_s of the official Ghost module (ceil(n/s) intrinsic maps, all m(s−1) ghost maps
 * computed) for an ordinary conv of n outputs. The same number is r_c.
 */
export function ghostRatioExact(s: number, c: number, k: number, d: number, n: number): number {
  const m = Math.ceil(n / s);
  return (n * c * k * k) / (m * c * k * k + m * (s - 1) * d * d);
}

/** Sanitises the inputs and returns every number the speed-up calculator shows. */
export function ghostModuleCost(raw: Partial<Record<keyof GhostInputs, unknown>> = {}): GhostCost {
  const { values, notes } = sanitizeAll<keyof GhostInputs>(raw, GHOST_LIMITS, GHOST_DEFAULTS);
  const { s, d, c, k, n, h, w } = values;
  const m = Math.ceil(n / s);
  const ghostComputed = m * (s - 1);
  const ghostKept = n - m;
  const sliced = m * s - n;
  const hw = h * w;
  const ck2 = c * k * k;
  const d2 = d * d;
  const ordinary = { flops: n * hw * ck2, params: n * ck2 };
  const primaryFlops = m * hw * ck2;
  const cheapFlops = ghostComputed * hw * d2;
  const primaryParams = m * ck2;
  const cheapParams = ghostComputed * d2;
  const ghost = {
    flops: primaryFlops + cheapFlops,
    params: primaryParams + cheapParams,
    primaryFlops,
    cheapFlops,
    primaryParams,
    cheapParams,
  };
  return {
    inputs: values,
    notes,
    m,
    ghostComputed,
    ghostKept,
    sliced,
    divides: n % s === 0,
    ordinary,
    ghost,
    wastedFlops: sliced * hw * d2,
    rs: ordinary.flops / ghost.flops,
    rc: ordinary.params / ghost.params,
    rsKeptOnly: ordinary.flops / (primaryFlops + ghostKept * hw * d2),
    paperForm: ghostRatioPaperForm(s, c, k, d),
    approxSc: ghostRatioApprox(s, c),
    approxS: s,
  };
}

/** Points for the r_s-against-s plot: s = 1 … sMax for fixed c, k, d (and n for the exact form). */
export interface RatioCurvePoint {
  s: number;
  exact: number;
  paperForm: number;
  approxSc: number;
}

export function ghostRatioCurve(sMax: number, c: number, k: number, d: number, n: number): RatioCurvePoint[] {
  const top = Number.isFinite(sMax) ? Math.max(1, Math.min(GHOST_LIMITS.s.max, Math.floor(sMax))) : 1;
  const out: RatioCurvePoint[] = [];
  for (let s = 1; s <= top; s++) {
    out.push({ s, exact: ghostRatioExact(s, c, k, d, n), paperForm: ghostRatioPaperForm(s, c, k, d), approxSc: ghostRatioApprox(s, c) });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// 2. DFC attention and friends
// ---------------------------------------------------------------------------------------------

/** A feature map of H × W × C and the DFC kernel lengths K_H (along H) and K_W (along W). */
export interface DfcInputs {
  H: number;
  W: number;
  C: number;
  KH: number;
  KW: number;
}

export const DFC_KEYS = ['H', 'W', 'C', 'KH', 'KW'] as const;

/** Defaults: a GhostNetV2 block at 14×14 (block 6.0: 200 expanded channels), the official 5-tap
 *  kernels. */
export const DFC_DEFAULTS: DfcInputs = { H: 14, W: 14, C: 200, KH: 5, KW: 5 };

export const DFC_LIMITS: Record<keyof DfcInputs, Limit> = {
  H: { min: 1, max: 1024 },
  W: { min: 1, max: 1024 },
  C: { min: 1, max: 8192 },
  KH: { min: 1, max: 63 },
  KW: { min: 1, max: 63 },
};

/**
 * The costs of one attention variant at H × W × C, in multiply-accumulates (MACs). Each method is
 * counted two ways, the same way on both sides of every comparison:
 * - mixing only: the operations that combine positions (QKᵀ and A·V; the FC or depthwise passes);
 * - with projections: plus the 1×1 maps that feed the mixing (self-attention's Q, K, V and output
 *   projections; DFC's own 1×1 conv, which GhostNetV2 runs before the two passes).
 * The 1×1 conv maps the branch's C channels to C channels here (one C for both ends).
 */
export interface AttentionCosts {
  H: number;
  W: number;
  /** Full FC attention: every output pixel mixes every pixel, per channel: C·H²W². Mixing only. */
  fc: number;
  /** DFC as two FC layers (along H, then along W): C·(H²W + HW²). Mixing only. */
  decoupledFc: number;
  /** DFC as depthwise convs 1-D along H (K_H taps) and along W (K_W taps): C·(K_H·HW + K_W·HW). Mixing only. */
  dfcConv: number;
  /** DFC's own 1×1 conv: HW·C². */
  dfcProjection: number;
  /** dfcConv + dfcProjection. */
  dfcWithProjection: number;
  /** Self-attention's mixing: QKᵀ and A·V, 2·(HW)²·C. */
  selfAttentionScores: number;
  /** The Q, K, V and output projections: 4·HW·C². */
  selfAttentionProjections: number;
  /** selfAttentionScores + selfAttentionProjections. */
  selfAttention: number;
}

/** One comparison of DFC (depthwise) against another method, counted the same way on both sides. */
export interface DfcComparison {
  /** What DFC is compared with. */
  against: 'fc' | 'self-attention';
  counted: 'mixing' | 'with-projections';
  dfc: number;
  other: number;
  /** other ÷ dfc: above 1 when DFC is cheaper, below 1 when it costs more. */
  ratio: number;
}

export interface DfcCost {
  inputs: DfcInputs;
  notes: ClampNote[];
  full: AttentionCosts;
  /** GhostNetV2 runs DFC on a 2×2 average-pooled copy (floor(H/2) × floor(W/2)); null if H or W < 2. */
  downsampled: AttentionCosts | null;
  ratios: {
    /** full FC ÷ DFC (depthwise), mixing only on both sides. */
    fcOverDfcConv: number;
    /** full FC ÷ DFC (FC layers), mixing only. */
    fcOverDecoupled: number;
    decoupledOverDfcConv: number;
    /** Self-attention's QKᵀ and A·V ÷ DFC's two passes. */
    selfAttentionOverDfcMixing: number;
    /** Self-attention with its projections ÷ DFC with its 1×1 conv. */
    selfAttentionOverDfcWithProjections: number;
    fullOverDownsampledDfcConv: number | null;
  };
  /** The like-for-like comparisons at H × W, in a fixed order. */
  comparisons: DfcComparison[];
  /** The same on the down-sampled branch (empty without one). */
  downsampledComparisons: DfcComparison[];
}

export function attentionCosts(H: number, W: number, C: number, KH: number, KW: number): AttentionCosts {
  const hw = H * W;
  const scores = 2 * hw * hw * C;
  const projections = 4 * hw * C * C;
  const dfcConv = C * (KH * hw + KW * hw);
  const dfcProjection = hw * C * C;
  return {
    H,
    W,
    fc: C * hw * hw,
    decoupledFc: C * (H * H * W + H * W * W),
    dfcConv,
    dfcProjection,
    dfcWithProjection: dfcConv + dfcProjection,
    selfAttentionScores: scores,
    selfAttentionProjections: projections,
    selfAttention: scores + projections,
  };
}

/** DFC (depthwise) against full FC attention and self-attention, each counted like for like. */
export function dfcComparisons(a: AttentionCosts): DfcComparison[] {
  const pair = (against: DfcComparison['against'], counted: DfcComparison['counted'], dfc: number, other: number): DfcComparison => ({
    against,
    counted,
    dfc,
    other,
    ratio: other / dfc,
  });
  return [
    pair('self-attention', 'mixing', a.dfcConv, a.selfAttentionScores),
    pair('self-attention', 'with-projections', a.dfcWithProjection, a.selfAttention),
    pair('fc', 'mixing', a.dfcConv, a.fc),
  ];
}

export function dfcCost(raw: Partial<Record<keyof DfcInputs, unknown>> = {}): DfcCost {
  const { values, notes } = sanitizeAll<keyof DfcInputs>(raw, DFC_LIMITS, DFC_DEFAULTS);
  const { H, W, C, KH, KW } = values;
  const full = attentionCosts(H, W, C, KH, KW);
  const downsampled = H >= 2 && W >= 2 ? attentionCosts(Math.floor(H / 2), Math.floor(W / 2), C, KH, KW) : null;
  return {
    inputs: values,
    notes,
    full,
    downsampled,
    ratios: {
      fcOverDfcConv: full.fc / full.dfcConv,
      fcOverDecoupled: full.fc / full.decoupledFc,
      decoupledOverDfcConv: full.decoupledFc / full.dfcConv,
      selfAttentionOverDfcMixing: full.selfAttentionScores / full.dfcConv,
      selfAttentionOverDfcWithProjections: full.selfAttention / full.dfcWithProjection,
      fullOverDownsampledDfcConv: downsampled ? full.dfcConv / downsampled.dfcConv : null,
    },
    comparisons: dfcComparisons(full),
    downsampledComparisons: downsampled ? dfcComparisons(downsampled) : [],
  };
}

// ---------------------------------------------------------------------------------------------
// 3. Receptive field of DFC attention
// ---------------------------------------------------------------------------------------------

/**
 * 'fc': the decoupled FC layers (each pass mixes a whole column or a whole row).
 * 'dw': the depthwise-conv implementation (each pass mixes a K-tap segment, zero padding).
 */
export type RfMode = 'fc' | 'dw';

/**
 * 'paper': GhostNetV2 §4.1, Eq. 4 then Eq. 5: first aggregate along H (a'_{hw} sums z_{h'w} over
 * h', i.e. the pixel's column), then along W (the row of a').
 * 'code': the official `short_conv`, Conv(1,5) then Conv(5,1) (the repo's figure: "Horizontal FC →
 * Vertical FC"): first along W (a row segment), then along H.
 * Both reach the same K_H × K_W rectangle (or the whole map) after the second pass.
 */
export type RfOrder = 'paper' | 'code';

export interface ReceptiveFieldOptions {
  mode: RfMode;
  /** Taps along H (rows); used in 'dw' mode. */
  KH: number;
  /** Taps along W (columns); used in 'dw' mode. */
  KW: number;
  order?: RfOrder;
}

export interface ReceptiveField {
  H: number;
  W: number;
  /** The clicked output pixel (row i, column j), clamped into the grid. */
  i: number;
  j: number;
  /** The axis the first pass mixes along ('H': a column; 'W': a row). */
  firstAxis: 'H' | 'W';
  /** Input cells [row, col] that reach (i, j) after the first pass, row-major order. */
  first: [number, number][];
  /** ... and after the second pass. */
  second: [number, number][];
}

/**
 * The taps a K-tap 1-D conv with PyTorch padding K//2 reads for output index x, clipped to
 * [0, size): x − ⌊K/2⌋ … x + K − 1 − ⌊K/2⌋ (symmetric for odd K).
 */
export function convWindow(x: number, K: number, size: number): [number, number] {
  const lo = x - Math.floor(K / 2);
  const hi = lo + K - 1;
  return [Math.max(0, lo), Math.min(size - 1, hi)];
}

/** Which input cells contribute to output (i, j) of DFC attention after one and two passes. */
export function dfcReceptiveField(H: number, W: number, i: number, j: number, opts: ReceptiveFieldOptions): ReceptiveField {
  const hh = Math.max(1, Math.floor(Number.isFinite(H) ? H : 1));
  const ww = Math.max(1, Math.floor(Number.isFinite(W) ? W : 1));
  const ii = Math.min(hh - 1, Math.max(0, Math.floor(Number.isFinite(i) ? i : 0)));
  const jj = Math.min(ww - 1, Math.max(0, Math.floor(Number.isFinite(j) ? j : 0)));
  const kh = Math.max(1, Math.floor(Number.isFinite(opts.KH) ? opts.KH : 1));
  const kw = Math.max(1, Math.floor(Number.isFinite(opts.KW) ? opts.KW : 1));
  const rows: [number, number] = opts.mode === 'fc' ? [0, hh - 1] : convWindow(ii, kh, hh);
  const cols: [number, number] = opts.mode === 'fc' ? [0, ww - 1] : convWindow(jj, kw, ww);
  const order = opts.order ?? 'paper';
  const rect = (r: [number, number], c: [number, number]): [number, number][] => {
    const out: [number, number][] = [];
    for (let y = r[0]; y <= r[1]; y++) for (let x = c[0]; x <= c[1]; x++) out.push([y, x]);
    return out;
  };
  const first = order === 'paper' ? rect(rows, [jj, jj]) : rect([ii, ii], cols);
  return { H: hh, W: ww, i: ii, j: jj, firstAxis: order === 'paper' ? 'H' : 'W', first, second: rect(rows, cols) };
}
