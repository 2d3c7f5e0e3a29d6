/**
 * "How was this value computed": the arithmetic behind one pixel of a ghost map, from the cheap
 * kernels and the intrinsic maps as the forward pass produced them; likewise for an intrinsic
 * pixel (the primary conv over the module's input) and a GhostNetV2 gate pixel (the DFC passes). Pure (plain arrays in, plain
 * numbers out), so the lab can show every term and a test can check the sum against the tap.
 */
import type { CheapKernels } from './cheap-operation.js';
import { BN_EPS } from './ops.js';
import { nearestIndices } from './dfc-attention.js';
import type { ConvBnSpec, DfcAttentionSpec, GhostModuleSpec } from './spec.js';
import type { WeightSet } from './weights.js';

/** An HWC tensor of one item, as taps arrive (e.g. `<module>.intrinsic`). */
export interface HwcMaps {
  data: ArrayLike<number>;
  height: number;
  width: number;
  channels: number;
}

/** The end of every conv + BN (+ ReLU) explanation: the sum, BatchNorm, the ReLU, the value. */
export interface BnTail {
  sum: number;
  /** BatchNorm as one affine map: scale · sum + shift. */
  scale: number;
  shift: number;
  normalised: number;
  relu: boolean;
  /** The pixel's value: the normalised sum, through the ReLU when the module has one. */
  value: number;
}

export interface GhostPixelExplanation extends BnTail {
  /** The ghost map (index among the ghosts) and the intrinsic map it reads. */
  ghost: number;
  source: number;
  row: number;
  col: number;
  /** d×d, row-major: the source's values under the kernel; null where the window leaves the map (zero padding). */
  window: (number | null)[];
  kernel: number[];
  /** kernel × window, 0 on padding. */
  products: number[];
}

/**
 * Ghost map `ghost` at (row, col): the d×d window of its source intrinsic map (padded by ⌊d/2⌋
 * with zeros, as the depthwise conv is), times the kernel Φ, summed, then BatchNorm and ReLU.
 */
export function explainGhostPixel(k: CheapKernels, intrinsic: HwcMaps, ghost: number, row: number, col: number, relu: boolean): GhostPixelExplanation {
  if (!Number.isInteger(ghost) || ghost < 0 || ghost >= k.ghost) throw new RangeError(`ghost map ${ghost} out of range 0..${k.ghost - 1}`);
  if (!Number.isInteger(row) || !Number.isInteger(col) || row < 0 || col < 0 || row >= intrinsic.height || col >= intrinsic.width) {
    throw new RangeError(`pixel (${row}, ${col}) is outside the ${intrinsic.height}×${intrinsic.width} map`);
  }
  if (intrinsic.channels !== k.intrinsic) throw new RangeError(`expected ${k.intrinsic} intrinsic maps, got ${intrinsic.channels}`);
  const d = k.dwSize;
  const pad = Math.floor(d / 2);
  const source = k.source[ghost]!;
  const kernel = Array.from(k.kernels[ghost]!);
  const window: (number | null)[] = [];
  const products: number[] = [];
  let sum = 0;
  for (let dy = 0; dy < d; dy++) {
    for (let dx = 0; dx < d; dx++) {
      const y = row + dy - pad;
      const x = col + dx - pad;
      const inside = y >= 0 && x >= 0 && y < intrinsic.height && x < intrinsic.width;
      const v = inside ? intrinsic.data[(y * intrinsic.width + x) * intrinsic.channels + source]! : null;
      const p = v === null ? 0 : v * kernel[dy * d + dx]!;
      window.push(v);
      products.push(p);
      sum += p;
    }
  }
  const scale = k.bnScale[ghost]!;
  const shift = k.bnShift[ghost]!;
  const normalised = scale * sum + shift;
  return { ghost, source, row, col, window, kernel, products, sum, scale, shift, normalised, relu, value: relu ? Math.max(0, normalised) : normalised };
}

/** A conv + BatchNorm read from the weights: tfjs layout [kh, kw, inC, outC·] and BN as scale/shift. */
interface ConvBnTerms {
  kh: number;
  kw: number;
  padH: number;
  padW: number;
  stride: number;
  weight: ArrayLike<number>;
  scale: Float32Array;
  shift: Float32Array;
}

function convBnTerms(spec: ConvBnSpec, ws: WeightSet, eps = BN_EPS): ConvBnTerms {
  const w = ws.get(`${spec.conv.name}.weight`);
  if (!w) throw new Error(`weight ${spec.conv.name}.weight is missing`);
  const bn = (s: string) => {
    const t = ws.get(`${spec.bn.name}.${s}`);
    if (!t) throw new Error(`weight ${spec.bn.name}.${s} is missing`);
    return t.data;
  };
  const n = spec.bn.channels;
  const scale = new Float32Array(n);
  const shift = new Float32Array(n);
  for (let c = 0; c < n; c++) {
    scale[c] = bn('weight')[c]! / Math.sqrt(bn('running_var')[c]! + eps);
    shift[c] = bn('bias')[c]! - bn('running_mean')[c]! * scale[c]!;
  }
  const { kh, kw, padH, padW, stride } = spec.conv;
  return { kh, kw, padH, padW, stride, weight: w.data, scale, shift };
}

function checkPixel(maps: { height: number; width: number }, row: number, col: number): void {
  if (!Number.isInteger(row) || !Number.isInteger(col) || row < 0 || col < 0 || row >= maps.height || col >= maps.width) {
    throw new RangeError(`pixel (${row}, ${col}) is outside the ${maps.height}×${maps.width} map`);
  }
}

function checkChannel(channel: number, count: number, what: string): void {
  if (!Number.isInteger(channel) || channel < 0 || channel >= count) throw new RangeError(`${what} ${channel} out of range 0..${count - 1}`);
}

/** One input value times one weight of the primary conv. */
export interface ConvTerm {
  channel: number;
  /** offset inside the k×k window (0, 0 for a 1×1 conv) */
  dy: number;
  dx: number;
  input: number;
  weight: number;
  product: number;
}

export interface IntrinsicPixelExplanation extends BnTail {
  channel: number;
  row: number;
  col: number;
  kernel: [number, number];
  /** how many terms the sum has (input channels × k × k, padding excluded) */
  count: number;
  /** the largest terms by |product|, largest first */
  largest: ConvTerm[];
}

/**
 * Intrinsic map `channel` at (row, col): the primary conv (k×k, usually 1×1) over every input
 * channel of the module, summed, then BatchNorm and ReLU where the module has one. `input` is the
 * module's input tap; the `top` largest products are listed, the sum takes them all.
 */
export function explainIntrinsicPixel(module: GhostModuleSpec, ws: WeightSet, input: HwcMaps, channel: number, row: number, col: number, top = 8): IntrinsicPixelExplanation {
  const spec = module.primary;
  checkChannel(channel, spec.conv.outC, 'intrinsic map');
  if (input.channels !== spec.conv.inC) throw new RangeError(`expected ${spec.conv.inC} input channels, got ${input.channels}`);
  const outH = Math.floor((input.height + 2 * spec.conv.padH - spec.conv.kh) / spec.conv.stride) + 1;
  const outW = Math.floor((input.width + 2 * spec.conv.padW - spec.conv.kw) / spec.conv.stride) + 1;
  checkPixel({ height: outH, width: outW }, row, col);
  const c = convBnTerms(spec, ws);
  const inC = input.channels;
  const outC = spec.conv.outC;
  const terms: ConvTerm[] = [];
  let sum = 0;
  for (let dy = 0; dy < c.kh; dy++) {
    for (let dx = 0; dx < c.kw; dx++) {
      const y = row * c.stride + dy - c.padH;
      const x = col * c.stride + dx - c.padW;
      if (y < 0 || x < 0 || y >= input.height || x >= input.width) continue;
      for (let i = 0; i < inC; i++) {
        const v = input.data[(y * input.width + x) * inC + i]!;
        const w = c.weight[((dy * c.kw + dx) * inC + i) * outC + channel]!;
        terms.push({ channel: i, dy, dx, input: v, weight: w, product: v * w });
        sum += v * w;
      }
    }
  }
  const largest = [...terms].sort((a, b) => Math.abs(b.product) - Math.abs(a.product)).slice(0, Math.max(0, top));
  const scale = c.scale[channel]!;
  const shift = c.shift[channel]!;
  const normalised = scale * sum + shift;
  const relu = spec.relu;
  return { channel, row, col, kernel: [c.kh, c.kw], count: terms.length, largest, sum, scale, shift, normalised, relu, value: relu ? Math.max(0, normalised) : normalised };
}

export interface GatePixelExplanation {
  channel: number;
  row: number;
  col: number;
  /** the down-sampled cell (nearest up-sampling: floor(i · in / out)) and the output rows/cols that share it */
  cell: { row: number; col: number };
  sharedRows: number[];
  sharedCols: number[];
  /** 5×5 around the cell in the 1×1 conv's output, row-major; null on padding */
  window: (number | null)[];
  /** horizontal pass (1×5 along W): kernel, and for each of the 5 rows its sum, BN'd value (null: padding row) */
  horizontalKernel: number[];
  horizontal: (number | null)[];
  horizontalScale: number;
  horizontalShift: number;
  /** vertical pass (5×1 along H) over that column of horizontal values */
  verticalKernel: number[];
  verticalProducts: number[];
  verticalSum: number;
  verticalScale: number;
  verticalShift: number;
  /** BN'd vertical sum, before the sigmoid */
  logit: number;
  /** the gate: sigmoid(logit) */
  value: number;
}

/**
 * DFC gate map `channel` at (row, col) of the module's output: the nearest up-sampling picks a
 * down-sampled cell; there, the vertical pass (5×1 along H) reads a column of five horizontal-pass
 * values, each a 1×5 row of the 1×1 conv's output `z` (tap `<module>.attn.conv`); BN after each
 * pass, then the sigmoid.
 */
export function explainGatePixel(a: DfcAttentionSpec, ws: WeightSet, z: HwcMaps, channel: number, row: number, col: number, outH: number, outW: number): GatePixelExplanation {
  checkChannel(channel, a.conv.conv.outC, 'gate map');
  if (z.channels !== a.conv.conv.outC) throw new RangeError(`expected ${a.conv.conv.outC} attention maps, got ${z.channels}`);
  checkPixel({ height: outH, width: outW }, row, col);
  const hz = convBnTerms(a.horizontal, ws);
  const vt = convBnTerms(a.vertical, ws);
  const rows = nearestIndices(z.height, outH);
  const cols = nearestIndices(z.width, outW);
  const cell = { row: rows[row]!, col: cols[col]! };
  const sharedRows = [...rows.keys()].filter((i) => rows[i] === cell.row);
  const sharedCols = [...cols.keys()].filter((i) => cols[i] === cell.col);
  const C = z.channels;
  const at = (y: number, x: number) => (y < 0 || x < 0 || y >= z.height || x >= z.width ? null : z.data[(y * z.width + x) * C + channel]!);
  // depthwise, multiplier 1: tfjs layout [kh, kw, C, 1]
  const horizontalKernel = Array.from({ length: hz.kw }, (_, k) => hz.weight[k * C + channel]!);
  const verticalKernel = Array.from({ length: vt.kh }, (_, k) => vt.weight[k * C + channel]!);
  const window: (number | null)[] = [];
  const horizontal: (number | null)[] = [];
  for (let k = 0; k < vt.kh; k++) {
    const y = cell.row + k - vt.padH;
    let s = 0;
    for (let j = 0; j < hz.kw; j++) {
      const v = at(y, cell.col + j - hz.padW);
      window.push(v);
      s += v === null ? 0 : v * horizontalKernel[j]!;
    }
    // a row above or below the map is the vertical pass's zero padding, not a BN'd zero
    horizontal.push(y < 0 || y >= z.height ? null : hz.scale[channel]! * s + hz.shift[channel]!);
  }
  const verticalProducts = horizontal.map((v, k) => (v === null ? 0 : v * verticalKernel[k]!));
  const verticalSum = verticalProducts.reduce((p, q) => p + q, 0);
  const logit = vt.scale[channel]! * verticalSum + vt.shift[channel]!;
  return {
    channel, row, col, cell, sharedRows, sharedCols, window,
    horizontalKernel, horizontal, horizontalScale: hz.scale[channel]!, horizontalShift: hz.shift[channel]!,
    verticalKernel, verticalProducts, verticalSum, verticalScale: vt.scale[channel]!, verticalShift: vt.shift[channel]!,
    logit, value: 1 / (1 + Math.exp(-logit)),
  };
}
