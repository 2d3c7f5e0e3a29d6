/**
 * The Ghost module (Han et al. 2020, Fig. 2b): m = ceil(oup/s) intrinsic maps from an
 * ordinary (primary) conv, m(s−1) ghost maps from the cheap operation, concatenated and
 * sliced to oup. GhostNetV2 adds DFC attention on the module input ('attn' mode).
 * The plain twin keeps only the primary conv, with oup outputs.
 */
import * as tf from '@tensorflow/tfjs-core';
import { cheapOperation, cheapOperationSpec } from './cheap-operation.js';
import { dfcAttention, dfcAttentionSpec } from './dfc-attention.js';
import type { Ops } from './ops.js';
import { conv, convBn, type GhostModuleSpec } from './spec.js';

export interface GhostModuleOptions {
  ratio: number;
  dwSize: number;
  relu: boolean;
  attention: boolean;
  plain: boolean;
}

export function ghostModuleSpec(path: string, inC: number, outC: number, o: GhostModuleOptions): GhostModuleSpec {
  if (o.plain) {
    return {
      path, inC, outC, ratio: 1, dwSize: 0, intrinsic: outC, ghost: 0, relu: o.relu, plain: true,
      primary: convBn(conv(`${path}.primary_conv.0`, inC, outC, 1), `${path}.primary_conv.1`, o.relu),
      cheap: null,
      attention: null,
    };
  }
  const intrinsic = Math.ceil(outC / o.ratio);
  return {
    path, inC, outC, ratio: o.ratio, dwSize: o.dwSize, intrinsic, ghost: intrinsic * (o.ratio - 1), relu: o.relu, plain: false,
    primary: convBn(conv(`${path}.primary_conv.0`, inC, intrinsic, 1), `${path}.primary_conv.1`, o.relu),
    cheap: cheapOperationSpec(path, intrinsic, o.ratio, o.dwSize, o.relu),
    attention: o.attention ? dfcAttentionSpec(path, inC, outC) : null,
  };
}

/** Taps: `<path>.intrinsic`, `<path>.ghost`, (V2) `<path>.ungated` and `.attn.*`, `<path>`. */
export function ghostModule(x: tf.Tensor4D, m: GhostModuleSpec, ops: Ops): tf.Tensor4D {
  const x1 = ops.convBn(x, m.primary);
  ops.tap(`${m.path}.intrinsic`, x1);
  let out = x1;
  if (m.cheap) {
    const x2 = cheapOperation(x1, m.cheap, ops);
    ops.tap(`${m.path}.ghost`, x2);
    out = tf.concat([x1, x2], 3);
    if (m.intrinsic + m.ghost > m.outC) out = tf.slice(out, [0, 0, 0, 0], [-1, -1, -1, m.outC]);
  }
  if (m.attention) {
    ops.tap(`${m.path}.ungated`, out);
    const gate = dfcAttention(x, m.attention, out.shape[1], out.shape[2], ops, m.path);
    out = tf.mul(out, gate);
  }
  ops.tap(m.path, out);
  return out;
}
