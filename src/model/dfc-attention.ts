/**
 * GhostNetV2's DFC attention (the official `short_conv` branch): on the 2×2 average-pooled
 * module input, 1×1 conv + BN, depthwise (1,5) + BN ("horizontal FC"), depthwise (5,1) + BN
 * ("vertical FC"), sigmoid, then nearest upsampling to the Ghost output's size.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Ops } from './ops.js';
import { conv, convBn, type DfcAttentionSpec } from './spec.js';

export function dfcAttentionSpec(modulePath: string, inC: number, outC: number): DfcAttentionSpec {
  const p = `${modulePath}.short_conv`;
  return {
    path: p,
    conv: convBn(conv(`${p}.0`, inC, outC, 1), `${p}.1`, false),
    horizontal: convBn(conv(`${p}.2`, outC, outC, [1, 5], { depthwise: true }), `${p}.3`, false),
    vertical: convBn(conv(`${p}.4`, outC, outC, [5, 1], { depthwise: true }), `${p}.5`, false),
  };
}

/**
 * Source index of each output position under PyTorch's F.interpolate(mode='nearest'):
 * min(floor(i · scale), in − 1) with scale = in / out computed in float32 (as ATen does).
 * 3 → 7 gives 0,0,0,1,1,2,2 — not the half-pixel rule of tf.image.resizeNearestNeighbor.
 */
export function nearestIndices(inSize: number, outSize: number): Int32Array {
  const idx = new Int32Array(outSize);
  const scale = Math.fround(inSize / outSize);
  for (let i = 0; i < outSize; i++) {
    idx[i] = inSize === outSize ? i : Math.min(Math.floor(Math.fround(i * scale)), inSize - 1);
  }
  return idx;
}

/** Nearest upsampling with PyTorch's index rule as two explicit gathers (the reference). */
export function upsampleNearestGather(x: tf.Tensor4D, outH: number, outW: number): tf.Tensor4D {
  const [, h, w] = x.shape;
  let y = x;
  if (h !== outH) y = tf.gather(y, tf.tensor1d(nearestIndices(h, outH), 'int32'), 1);
  if (w !== outW) y = tf.gather(y, tf.tensor1d(nearestIndices(w, outW), 'int32'), 2);
  return y;
}

const nativeOk = new Map<string, boolean>();

/**
 * Whether this backend's resizeNearestNeighbor (alignCorners = halfPixelCenters = false,
 * i.e. floor(i · in/out) in the backend's own arithmetic) picks exactly nearestIndices for
 * in → out. Checked once per backend and size pair on an index ramp, then cached.
 */
export function nativeResizeMatches(inSize: number, outSize: number): boolean {
  const key = `${tf.getBackend()}:${inSize}:${outSize}`;
  let ok = nativeOk.get(key);
  if (ok === undefined) {
    const got = tf.tidy(() =>
      tf.image.resizeNearestNeighbor(tf.reshape(tf.range(0, inSize, 1, 'float32'), [1, inSize, 1, 1]) as tf.Tensor4D, [outSize, 1]).dataSync(),
    );
    const want = nearestIndices(inSize, outSize);
    ok = want.every((v, i) => got[i] === v);
    nativeOk.set(key, ok);
  }
  return ok;
}

/**
 * Nearest upsampling of an NHWC tensor with PyTorch's index rule. The gathers are slow on
 * wasm and cpu (5× the whole V2 forward on wasm), so the backend's own resize is used where
 * it has been verified to pick the same indices; otherwise the explicit gathers.
 */
export function upsampleNearest(x: tf.Tensor4D, outH: number, outW: number, mode: 'auto' | 'gather' = 'auto'): tf.Tensor4D {
  const [, h, w] = x.shape;
  if (h === outH && w === outW) return x;
  if (mode === 'auto' && nativeResizeMatches(h, outH) && nativeResizeMatches(w, outW)) {
    return tf.image.resizeNearestNeighbor(x, [outH, outW], false, false);
  }
  return upsampleNearestGather(x, outH, outW);
}

/** The up-sampled sigmoid gate for a module whose output is outH × outW. */
export function dfcAttention(x: tf.Tensor4D, a: DfcAttentionSpec, outH: number, outW: number, ops: Ops, tapPrefix: string): tf.Tensor4D {
  const pooled = tf.avgPool(x, 2, 2, 'valid');
  const c = ops.convBn(pooled, a.conv);
  ops.tap(`${tapPrefix}.attn.conv`, c);
  const hz = ops.convBn(c, a.horizontal);
  ops.tap(`${tapPrefix}.attn.horizontal`, hz);
  const vt = ops.convBn(hz, a.vertical);
  ops.tap(`${tapPrefix}.attn.vertical`, vt);
  const gate = upsampleNearest(tf.sigmoid(vt), outH, outW);
  ops.tap(`${tapPrefix}.attn.gate`, gate);
  return gate;
}
