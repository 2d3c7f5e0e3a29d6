/**
 * "How was this value computed": the arithmetic behind one pixel of a ghost map, from the cheap
 * kernels and the intrinsic maps as the forward pass produced them. Pure (plain arrays in, plain
 * numbers out), so the lab can show every term and a test can check the sum against the tap.
 */
import type { CheapKernels } from './cheap-operation.js';

/** An HWC tensor of one item, as taps arrive (e.g. `<module>.intrinsic`). */
export interface HwcMaps {
  data: ArrayLike<number>;
  height: number;
  width: number;
  channels: number;
}

export interface GhostPixelExplanation {
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
  sum: number;
  /** BatchNorm as one affine map: scale · sum + shift. */
  scale: number;
  shift: number;
  normalised: number;
  relu: boolean;
  /** The pixel's value: the normalised sum, through the ReLU when the module has one. */
  value: number;
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
