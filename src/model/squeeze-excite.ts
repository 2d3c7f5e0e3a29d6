/**
 * Squeeze-and-excite as in the official GhostNet: global average pool, 1×1 reduce (bias)
 * + ReLU, 1×1 expand (bias), hard-sigmoid gate relu6(x + 3) / 6 on the mid channels.
 */
import * as tf from '@tensorflow/tfjs-core';
import { makeDivisible } from './config.js';
import type { Ops } from './ops.js';
import { conv, type SqueezeExciteSpec } from './spec.js';

export function squeezeExciteSpec(path: string, channels: number, seRatio: number): SqueezeExciteSpec {
  const reduced = makeDivisible(channels * seRatio, 4);
  return {
    path,
    channels,
    reduced,
    reduce: conv(`${path}.conv_reduce`, channels, reduced, 1, { bias: true }),
    expand: conv(`${path}.conv_expand`, reduced, channels, 1, { bias: true }),
  };
}

export function hardSigmoid(x: tf.Tensor): tf.Tensor {
  return tf.div(tf.relu6(tf.add(x, 3)), 6);
}

export function squeezeExcite(x: tf.Tensor4D, se: SqueezeExciteSpec, ops: Ops): tf.Tensor4D {
  const s = tf.mean(x, [1, 2], true) as tf.Tensor4D;
  const r = ops.conv(s, se.reduce, true);
  const e = ops.conv(r, se.expand);
  return tf.mul(x, hardSigmoid(e));
}
