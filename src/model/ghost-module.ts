/**
 * The Ghost module (Han et al. 2020, Fig. 2b): m = ceil(oup/s) intrinsic maps from an
 * ordinary (primary) conv, m(s−1) ghost maps from the cheap operation, concatenated and
 * sliced to oup. GhostNetV2 adds DFC attention on the module input ('attn' mode).
 * The plain twin keeps only the primary conv, with oup outputs.
 */
import * as tf from '@tensorflow/tfjs-core';
import { cheapOperation, cheapOperationSpec } from './cheap-operation.js';
import { dfcAttention, dfcAttentionSpec } from './dfc-attention.js';
import { knockOut } from './knockout.js';
import type { Ops } from './ops.js';
import { conv, convBn, type GhostModuleSpec } from './spec.js';

export interface GhostModuleOptions {
  /** Primary conv kernel (official kernel_size, default 1; Ghost-ified k×k convs keep their k). */
  kernel?: number;
  ratio: number;
  dwSize: number;
  relu: boolean;
  attention: boolean;
  plain: boolean;
}

export function ghostModuleSpec(path: string, inC: number, outC: number, o: GhostModuleOptions): GhostModuleSpec {
  const k = o.kernel ?? 1;
  if (o.plain) {
    return {
      path, inC, outC, ratio: 1, dwSize: 0, intrinsic: outC, ghost: 0, relu: o.relu, plain: true,
      primary: convBn(conv(`${path}.primary_conv.0`, inC, outC, k), `${path}.primary_conv.1`, o.relu),
      cheap: null,
      attention: null,
    };
  }
  const intrinsic = Math.ceil(outC / o.ratio);
  return {
    path, inC, outC, ratio: o.ratio, dwSize: o.dwSize, intrinsic, ghost: intrinsic * (o.ratio - 1), relu: o.relu, plain: false,
    primary: convBn(conv(`${path}.primary_conv.0`, inC, intrinsic, k), `${path}.primary_conv.1`, o.relu),
    cheap: cheapOperationSpec(path, intrinsic, o.ratio, o.dwSize, o.relu),
    attention: o.attention ? dfcAttentionSpec(path, inC, outC) : null,
  };
}

/**
 * How the intrinsic and ghost maps are put side by side. 'concat' is tf.concat along channels.
 * On tfjs's wasm backend that is a JavaScript loop copying each pixel's channels one input at a
 * time, slow on large maps. 'transpose' uses compiled kernels instead: the two parts stacked on
 * a new leading axis (two block copies), then one transpose interleaves them per pixel; where
 * the parts differ in width (s > 2, or n odd) each is zero-padded to the full width and the two
 * are added. Both are pure data movement (adding zeros is exact): the same bits as 'concat'.
 * `ghostlab bench --layer` times the two; on GhostNet 1.0x at 224 'transpose' (on the 28×28
 * and larger maps) takes about 13 % (V1) and 11 % (V2) off the wasm inference time.
 */
export type ChannelJoin = 'concat' | 'transpose';

/** Below about 20×20 pixels the loop is short and the extra kernel launches cost more than it. */
const TRANSPOSE_MIN_PIXELS = 400;

/** The join the models use for maps of `pixels` = N·H·W positions on the current backend. */
export const preferredJoin = (pixels: number): ChannelJoin =>
  tf.getBackend() === 'wasm' && pixels > TRANSPOSE_MIN_PIXELS ? 'transpose' : 'concat';

/** [x1, x2] along channels, cut to outC: the official concat-then-slice, slicing x2 first. */
export function joinMaps(x1: tf.Tensor4D, x2: tf.Tensor4D, outC: number, how: ChannelJoin): tf.Tensor4D {
  const [n, h, w, m] = x1.shape;
  const keep = outC - m;
  const ghost = keep < x2.shape[3] ? tf.slice(x2, [0, 0, 0, 0], [-1, -1, -1, keep]) : x2;
  if (how === 'concat') return tf.concat([x1, ghost], 3);
  if (keep === m) {
    const pair = tf.concat([tf.reshape(x1, [1, n * h * w, m]), tf.reshape(ghost, [1, n * h * w, m])], 0);
    return tf.reshape(tf.transpose(pair, [1, 0, 2]), [n, h, w, outC]);
  }
  return tf.add(tf.pad(x1, [[0, 0], [0, 0], [0, 0], [0, keep]]), tf.pad(ghost, [[0, 0], [0, 0], [0, 0], [m, 0]]));
}

/**
 * Taps: `<path>.intrinsic`, `<path>.ghost`, (V2) `<path>.ungated` and `.attn.*`, `<path>`.
 * `join` defaults to the preferred one for the map size (the benchmark overrides it).
 */
export function ghostModule(x: tf.Tensor4D, m: GhostModuleSpec, ops: Ops, join?: ChannelJoin): tf.Tensor4D {
  const x1 = ops.convBn(x, m.primary);
  ops.tap(`${m.path}.intrinsic`, x1);
  let out = x1;
  if (m.cheap) {
    const made = cheapOperation(x1, m.cheap, ops);
    const x2 = ops.knockout?.path === m.path ? knockOut(x1, made, ops.knockout.mode, m.ratio) : made;
    ops.tap(`${m.path}.ghost`, x2);
    out = joinMaps(x1, x2, m.outC, join ?? preferredJoin(x1.shape[0] * x1.shape[1] * x1.shape[2]));
  }
  if (m.attention) {
    ops.tap(`${m.path}.ungated`, out);
    const gate = dfcAttention(x, m.attention, out.shape[1], out.shape[2], ops, m.path);
    out = tf.mul(out, gate);
  }
  ops.tap(m.path, out);
  return out;
}
