/**
 * The knock-out experiment: how much does a model need the ghost maps of one Ghost module? Its
 * ghosts are replaced by zeros (the cheap operation removed) or by copies of the intrinsic maps
 * they are made from (the cheap operation reduced to the identity), and the model runs on as
 * before. If ghosts were mere copies of their sources, 'copies' would cost nothing.
 */
import * as tf from '@tensorflow/tfjs-core';
import { ghostSource } from './cheap-operation.js';
import type { Knockout, KnockoutMode } from './ops.js';

export type { Knockout, KnockoutMode };

/** The ghost maps `made` from intrinsic maps `x1` at ratio s, replaced as `mode` says. */
export function knockOut(x1: tf.Tensor4D, made: tf.Tensor4D, mode: KnockoutMode, ratio: number): tf.Tensor4D {
  if (mode === 'zeros') return tf.zerosLike(made);
  const sources = Array.from({ length: made.shape[3] }, (_, j) => ghostSource(j, ratio));
  return tf.gather(x1, tf.tensor1d(sources, 'int32'), 3) as tf.Tensor4D;
}
