/**
 * The cheap operation Φ of a Ghost module: a depthwise d×d conv with depth multiplier
 * s − 1, so intrinsic map i yields ghost maps i(s−1) … i(s−1)+s−2 (plus BN, ReLU if any).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Ops } from './ops.js';
import { conv, convBn, type ConvBnSpec } from './spec.js';
import type { WeightSet } from './weights.js';

export function cheapOperationSpec(path: string, intrinsic: number, ratio: number, dwSize: number, relu: boolean): ConvBnSpec {
  return convBn(conv(`${path}.cheap_operation.0`, intrinsic, intrinsic * (ratio - 1), dwSize, { depthwise: true }), `${path}.cheap_operation.1`, relu);
}

/** Index of the intrinsic map that ghost map j is computed from. */
export function ghostSource(j: number, ratio: number): number {
  return Math.floor(j / (ratio - 1));
}

export function cheapOperation(x1: tf.Tensor4D, spec: ConvBnSpec, ops: Ops): tf.Tensor4D {
  return ops.convBn(x1, spec);
}

export interface CheapKernels {
  ratio: number;
  dwSize: number;
  intrinsic: number;
  ghost: number;
  /** kernels[j] is ghost map j's d×d kernel, row-major. */
  kernels: Float32Array[];
  /** source[j] is the intrinsic map it reads. */
  source: number[];
  /** BN scale γ/σ and shift per ghost map: ghost_j = scale_j·(k_j ∗ x_source) + shift_j. */
  bnScale: Float32Array;
  bnShift: Float32Array;
}

/** A Ghost module's cheap kernels, for the inspector (tfjs layout [d, d, m, s−1]). */
export function cheapKernels(spec: ConvBnSpec, ratio: number, ws: WeightSet, eps = 1e-5): CheapKernels {
  const w = ws.get(`${spec.conv.name}.weight`);
  if (!w) throw new Error(`weight ${spec.conv.name}.weight is missing`);
  const [kh, kw, m, mult] = w.shape as [number, number, number, number];
  const ghost = m * mult;
  const kernels = Array.from({ length: ghost }, () => new Float32Array(kh * kw));
  for (let y = 0; y < kh; y++)
    for (let x = 0; x < kw; x++)
      for (let j = 0; j < ghost; j++) kernels[j]![y * kw + x] = w.data[(y * kw + x) * ghost + j]!;
  const bn = (s: string) => ws.get(`${spec.bn.name}.${s}`)!.data;
  const bnScale = new Float32Array(ghost);
  const bnShift = new Float32Array(ghost);
  for (let j = 0; j < ghost; j++) {
    bnScale[j] = bn('weight')[j]! / Math.sqrt(bn('running_var')[j]! + eps);
    bnShift[j] = bn('bias')[j]! - bn('running_mean')[j]! * bnScale[j]!;
  }
  return {
    ratio,
    dwSize: kh,
    intrinsic: m,
    ghost,
    kernels,
    source: Array.from({ length: ghost }, (_, j) => ghostSource(j, ratio)),
    bnScale,
    bnShift,
  };
}
