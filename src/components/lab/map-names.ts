/**
 * The names of a layer's maps, as the V1 chapter writes them: intrinsic maps y′_i and ghost maps
 * Φ_{i,j}(y′_i), counted from 1 (i = 1…m, j = 1…s − 1; Φ_{i,s} is the identity that keeps y′_i).
 * Every place in the lab that names a map (tiles, the selected map, similarity pairs, the Φ
 * readout) takes its name from here, so one map has one name.
 */
import type { CheapKernels, LayerInfo } from '../../model';

const SUBSCRIPTS = '₀₁₂₃₄₅₆₇₈₉';
const sub = (n: number) => String(n).replace(/\d/g, (d) => SUBSCRIPTS[Number(d)]!);

export const intrinsicName = (i: number) => `y′${sub(i + 1)}`;
export const ghostName = (i: number, j: number) => `Φ${sub(i + 1)},${sub(j + 1)}(${intrinsicName(i)})`;

/**
 * Names of a layer's output channels: for a Ghost module the m intrinsic maps then its ghosts (the
 * official concat order); for any other layer the channel number.
 */
export function mapNames(layer: LayerInfo, kernels: CheapKernels | null): string[] {
  const count = layer.outShape[2] ?? 0;
  const ghost = layer.ghost && !layer.ghost.plain ? layer.ghost : null;
  if (!ghost || !kernels) return Array.from({ length: count }, (_, c) => String(c));
  const names = Array.from({ length: ghost.intrinsic }, (_, i) => intrinsicName(i));
  // Ghosts of one source are contiguous (depth multiplier s − 1): j counts within the source.
  kernels.source.forEach((i, k) => names.push(ghostName(i, ghostIndex(kernels.source, k))));
  return names;
}

/** How many ghosts of the same source come before ghost k. */
function ghostIndex(source: readonly number[], k: number): number {
  let j = 0;
  while (k - j - 1 >= 0 && source[k - j - 1] === source[k]) j++;
  return j;
}
