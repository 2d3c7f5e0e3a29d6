/**
 * The two ways to run a conv+BN: unfolded (conv, then BatchNorm from the running stats,
 * exactly as PyTorch eval mode does) for inspection, and folded (BN baked into the kernel
 * and a bias, with bias + ReLU fused into one tfjs op) for fast inference. The network
 * code is written once against this interface.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { ConvBnSpec, ConvSpec, LinearSpec } from './spec.js';

export const BN_EPS = 1e-5;

export type TapFn = (name: string, t: tf.Tensor) => void;

/** What replaces a module's ghost maps in the knock-out experiment (knockout.ts). */
export type KnockoutMode = 'zeros' | 'copies';

export interface Knockout {
  /** The Ghost module, e.g. `blocks.3.0.ghost1`. */
  path: string;
  mode: KnockoutMode;
}

export interface Ops {
  convBn(x: tf.Tensor4D, cb: ConvBnSpec): tf.Tensor4D;
  /** A conv with its own bias (SE, conv_head), optionally followed by ReLU. */
  conv(x: tf.Tensor4D, c: ConvSpec, relu?: boolean): tf.Tensor4D;
  linear(x: tf.Tensor2D, l: LinearSpec): tf.Tensor2D;
  tap: TapFn;
  /** One Ghost module whose ghost maps are replaced (the knock-out experiment, knockout.ts). */
  knockout?: Knockout;
}

export type TensorMap = Map<string, tf.Tensor>;

function get(m: TensorMap, name: string): tf.Tensor {
  const t = m.get(name);
  if (!t) throw new Error(`weight ${name} is not loaded`);
  return t;
}

/** A tfjs conv with PyTorch's symmetric padding. */
export function runConv(
  x: tf.Tensor4D,
  c: ConvSpec,
  filter: tf.Tensor,
  bias?: tf.Tensor,
  relu = false,
): tf.Tensor4D {
  const pad: [[number, number], [number, number], [number, number], [number, number]] = [
    [0, 0],
    [c.padH, c.padH],
    [c.padW, c.padW],
    [0, 0],
  ];
  const activation = relu ? 'relu' : 'linear';
  // tfjs accepts explicit padding in fused depthwise convs at run time; its typings lag.
  const args = { x, filter: filter as tf.Tensor4D, strides: c.stride, pad: pad as unknown as number, bias, activation } as const;
  return c.depthwise ? tf.fused.depthwiseConv2d(args) : tf.fused.conv2d(args);
}

const noTap: TapFn = () => {};

/** Unfolded: every BatchNorm is a separate op on the running statistics. */
export function unfoldedOps(w: TensorMap, tap: TapFn = noTap): Ops {
  return {
    tap,
    convBn(x, cb) {
      const y = runConv(x, cb.conv, get(w, `${cb.conv.name}.weight`));
      const b = cb.bn.name;
      const n = tf.batchNorm(
        y,
        get(w, `${b}.running_mean`) as tf.Tensor1D,
        get(w, `${b}.running_var`) as tf.Tensor1D,
        get(w, `${b}.bias`) as tf.Tensor1D,
        get(w, `${b}.weight`) as tf.Tensor1D,
        BN_EPS,
      );
      return cb.relu ? tf.relu(n) : n;
    },
    conv(x, c, relu = false) {
      return runConv(x, c, get(w, `${c.name}.weight`), c.bias ? get(w, `${c.name}.bias`) : undefined, relu);
    },
    linear(x, l) {
      return tf.fused.matMul({ a: x, b: get(w, `${l.name}.weight`) as tf.Tensor2D, bias: get(w, `${l.name}.bias`) }) as tf.Tensor2D;
    },
  };
}

/** Folded: `<conv>.weight` and `<conv>.bias` already carry the BatchNorm (see fold.ts). */
export function foldedOps(w: TensorMap, tap: TapFn = noTap): Ops {
  return {
    tap,
    convBn(x, cb) {
      return runConv(x, cb.conv, get(w, `${cb.conv.name}.weight`), get(w, `${cb.conv.name}.bias`), cb.relu);
    },
    conv(x, c, relu = false) {
      return runConv(x, c, get(w, `${c.name}.weight`), c.bias ? get(w, `${c.name}.bias`) : undefined, relu);
    },
    linear(x, l) {
      return tf.fused.matMul({ a: x, b: get(w, `${l.name}.weight`) as tf.Tensor2D, bias: get(w, `${l.name}.bias`) }) as tf.Tensor2D;
    },
  };
}

/**
 * Train-mode BatchNorm (batch statistics), reporting each BN's statistics: used to give
 * random weights running stats that keep activations in range, as a trained net has.
 */
export function calibratingOps(w: TensorMap, onStats: (bn: string, mean: Float32Array, variance: Float32Array) => void): Ops {
  const base = unfoldedOps(w);
  return {
    ...base,
    convBn(x, cb) {
      const y = runConv(x, cb.conv, get(w, `${cb.conv.name}.weight`));
      const { mean, variance } = tf.moments(y, [0, 1, 2]);
      onStats(cb.bn.name, mean.dataSync() as Float32Array, variance.dataSync() as Float32Array);
      const b = cb.bn.name;
      const n = tf.batchNorm(y, mean, variance, get(w, `${b}.bias`) as tf.Tensor1D, get(w, `${b}.weight`) as tf.Tensor1D, BN_EPS) as tf.Tensor4D;
      return cb.relu ? tf.relu(n) : n;
    },
  };
}
