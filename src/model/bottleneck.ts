/**
 * The Ghost bottleneck: ghost1 (expand, ReLU; V2: DFC attention when layer_id > 1) →
 * depthwise k×k + BN at stride 2 → SE → ghost2 (project, no ReLU) → + shortcut.
 * The shortcut is the identity iff in == out and stride == 1, else dw k×k + BN + 1×1 + BN.
 */
import * as tf from '@tensorflow/tfjs-core';
import { ghostModule, ghostModuleSpec } from './ghost-module.js';
import type { Ops } from './ops.js';
import { conv, convBn, type BottleneckSpec } from './spec.js';
import { squeezeExcite, squeezeExciteSpec } from './squeeze-excite.js';

/** What the builder loop passes per block: the spec's own fields plus the settings it derives from. */
export type BottleneckArgs = Pick<BottleneckSpec, 'path' | 'layerId' | 'inC' | 'midC' | 'outC' | 'k' | 'stride'> & {
  seRatio: number;
  version: 'v1' | 'v2';
  ratio: number;
  dwSize: number;
  plain: boolean;
};

export function bottleneckSpec(a: BottleneckArgs): BottleneckSpec {
  const g = { ratio: a.ratio, dwSize: a.dwSize, plain: a.plain };
  const p = a.path;
  return {
    path: p,
    layerId: a.layerId,
    inC: a.inC,
    midC: a.midC,
    outC: a.outC,
    k: a.k,
    stride: a.stride,
    ghost1: ghostModuleSpec(`${p}.ghost1`, a.inC, a.midC, {
      ...g,
      relu: true,
      attention: a.version === 'v2' && !a.plain && a.layerId > 1,
    }),
    dw: a.stride > 1 ? convBn(conv(`${p}.conv_dw`, a.midC, a.midC, a.k, { stride: a.stride, depthwise: true }), `${p}.bn_dw`, false) : null,
    se: a.seRatio > 0 ? squeezeExciteSpec(`${p}.se`, a.midC, a.seRatio) : null,
    ghost2: ghostModuleSpec(`${p}.ghost2`, a.midC, a.outC, { ...g, relu: false, attention: false }),
    shortcut:
      a.inC === a.outC && a.stride === 1
        ? null
        : {
            dw: convBn(conv(`${p}.shortcut.0`, a.inC, a.inC, a.k, { stride: a.stride, depthwise: true }), `${p}.shortcut.1`, false),
            pw: convBn(conv(`${p}.shortcut.2`, a.inC, a.outC, 1), `${p}.shortcut.3`, false),
          },
  };
}

/** Taps: the Ghost modules', `<path>.conv_dw`, `<path>.se`, `<path>.shortcut`, `<path>`. */
export function bottleneck(x: tf.Tensor4D, b: BottleneckSpec, ops: Ops): tf.Tensor4D {
  let y = ghostModule(x, b.ghost1, ops);
  if (b.dw) {
    y = ops.convBn(y, b.dw);
    ops.tap(`${b.path}.conv_dw`, y);
  }
  if (b.se) {
    y = squeezeExcite(y, b.se, ops);
    ops.tap(`${b.path}.se`, y);
  }
  y = ghostModule(y, b.ghost2, ops);
  let residual = x;
  if (b.shortcut) {
    residual = ops.convBn(ops.convBn(x, b.shortcut.dw), b.shortcut.pw);
    ops.tap(`${b.path}.shortcut`, residual);
  }
  const out = tf.add(y, residual) as tf.Tensor4D;
  ops.tap(b.path, out);
  return out;
}
