/**
 * GhostNet V1 / V2: the builder (one loop over the stage table, as in the official code
 * and timm) and the forward pass over the resulting spec.
 */
import * as tf from '@tensorflow/tfjs-core';
import { bottleneck, bottleneckSpec } from './bottleneck.js';
import { makeDivisible, type GhostNetConfig } from './config.js';
import type { Ops } from './ops.js';
import { conv, convBn, type BottleneckSpec, type NetSpec } from './spec.js';

export function buildSpec(cfg: GhostNetConfig): NetSpec {
  const scaled = (v: number) => makeDivisible(v * cfg.width, 4);
  const stemC = scaled(cfg.stem.channels);
  const stem = convBn(conv('conv_stem', cfg.input[2], stemC, cfg.stem.kernel, { stride: cfg.stem.stride }), 'bn1', true);
  const blocks: BottleneckSpec[] = [];
  let inC = stemC;
  let layerId = 0;
  cfg.stages.forEach((stage, i) => {
    stage.forEach(([k, exp, out, se, stride], j) => {
      const outC = scaled(out);
      blocks.push(
        bottleneckSpec({
          path: `blocks.${i}.${j}`,
          layerId: layerId++,
          inC,
          midC: scaled(exp),
          outC,
          k,
          stride,
          seRatio: se,
          version: cfg.version,
          ratio: cfg.ratio,
          dwSize: cfg.dwSize,
          plain: cfg.plain,
        }),
      );
      inC = outC;
    });
  });
  const finalPath = `blocks.${cfg.stages.length}.0`;
  const finalC = scaled(cfg.finalChannels);
  return {
    config: cfg,
    stem,
    blocks,
    final: { path: finalPath, convBn: convBn(conv(`${finalPath}.conv`, inC, finalC, 1), `${finalPath}.bn1`, true) },
    // The head width is not scaled (official: output_channel = 1280).
    convHead: conv('conv_head', finalC, cfg.headChannels, 1, { bias: true }),
    classifier: { name: 'classifier', inF: cfg.headChannels, outF: cfg.numClasses },
  };
}

/**
 * The network on NHWC input. Taps: `stem`, every block's, `<final>`, `global_pool`,
 * `conv_head`, `logits`. Dropout is inactive (inference).
 */
export function forward(spec: NetSpec, x: tf.Tensor4D, ops: Ops): tf.Tensor2D {
  let y = ops.convBn(x, spec.stem);
  ops.tap('stem', y);
  for (const b of spec.blocks) y = bottleneck(y, b, ops);
  y = ops.convBn(y, spec.final.convBn);
  ops.tap(spec.final.path, y);
  const pooled = tf.mean(y, [1, 2], true) as tf.Tensor4D;
  ops.tap('global_pool', pooled);
  const head = ops.conv(pooled, spec.convHead, true);
  ops.tap('conv_head', head);
  const logits = ops.linear(tf.reshape(head, [head.shape[0], spec.convHead.outC]), spec.classifier);
  ops.tap('logits', logits);
  return logits;
}
