/**
 * Ghost-ify for the GhostNets (V1): GhostNet at other s and d against its plain twin, in which
 * every Ghost module is one ordinary convolution with the module's outputs (the twin the course
 * trains as `plainnet-fmnist`). Apart from its modules, the net (stem, depthwise convs, SE,
 * shortcuts, head) is the same in both and stays as it is.
 *
 * Separate from ghostify.ts because the spec builder imports TensorFlow.js (see there).
 */
import { resolveConfig } from './config.js';
import { buildSpec } from './ghostnet.js';
import { costReport, ghostnetCost } from './layers.js';
import { GHOSTNET_EXPLORER_ARCHS, pairReports, type ExplorerNet, type GhostifyReport } from './ghostify.js';
import type { ConvGeometry } from './theory.js';

/**
 * A GhostNet at ratio s and cheap kernel d beside its plain twin. The Ghost side is exactly
 * `ghostlab cost --arch ARCH --s S --d D`.
 */
export function ghostifyGhostNet(arch: string, s: number, d: number): GhostifyReport {
  if (!(GHOSTNET_EXPLORER_ARCHS as readonly string[]).includes(arch)) {
    throw new Error(`unknown GhostNet for the explorer '${arch}' (expected one of ${GHOSTNET_EXPLORER_ARCHS.join(', ')})`);
  }
  const overrides = { ratio: s, dwSize: d };
  const ghost = ghostnetCost(arch, overrides);
  const plainSpec = buildSpec({ ...resolveConfig(arch, overrides), plain: true });
  const plain = costReport(plainSpec, arch);
  const outShape = new Map(plain.layers.map((l) => [l.name, l.outShape]));
  const replaced = new Map<string, ConvGeometry>();
  for (const b of plainSpec.blocks) {
    for (const m of [b.ghost1, b.ghost2]) {
      const [h, w] = outShape.get(m.path)!;
      const c = m.primary.conv;
      replaced.set(m.path, { c: m.inC, k: c.kh, n: m.outC, h: h!, w: w!, stride: c.stride });
    }
  }
  return pairReports(arch as ExplorerNet, s, d, plain, ghost, replaced);
}
