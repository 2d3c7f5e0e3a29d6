/**
 * Ghost-ify a whole network: every costed layer of a net beside its Ghost version, for the network
 * explorer (GhostNet §4.1: "replace the convolutions by Ghost modules"). The numbers come from the
 * same cost reports as `ghostlab cost` (reference-nets.ts; layers.ts for GhostNets): this module
 * only pairs the plain report's layers with the Ghost report's, and attaches to each replaced layer
 * the c, k, n, h', w' the one-layer speed-up calculator takes.
 *
 * The GhostNets (`ghostnet_100`, `ghostnet-fmnist`) live in ghostify-ghostnet.ts, because their
 * spec builder imports TensorFlow.js; this module stays free of it, so a page can cost the
 * reference nets without loading tfjs.
 */
import type { CostReport, LayerCost } from './cost-types';
import { costReferenceNet, ghostableConvs, PAPER_TABLE, REFERENCE_NETS, type PaperRow } from './reference-nets';
import type { ConvGeometry } from './theory';

/** The networks the explorer offers: the paper's reference nets and two GhostNets (V1). */
export const GHOSTNET_EXPLORER_ARCHS = ['ghostnet_100', 'ghostnet-fmnist'] as const;
export const EXPLORER_NETS = [...REFERENCE_NETS, ...GHOSTNET_EXPLORER_ARCHS] as const;
export type ExplorerNet = (typeof EXPLORER_NETS)[number];

export function isExplorerNet(net: string): net is ExplorerNet {
  return (EXPLORER_NETS as readonly string[]).includes(net);
}

export interface Cost {
  params: number;
  macs: number;
}

export interface GhostifyLayer {
  /** The plain layer's name (the Ghost parts are `<name>.primary_conv`, `<name>.cheap_operation`
   *  for the reference nets; a GhostNet's Ghost module keeps the name). */
  name: string;
  /** The plain layer's kind: conv, linear, dwconv, squeeze-excite, shortcut, … */
  kind: string;
  /** [H, W, C] of the output. */
  outShape: number[];
  /** The plain convolution, when a Ghost module replaces this layer; null when the layer stays. */
  conv: ConvGeometry | null;
  plain: Cost;
  ghost: Cost;
  /** This layer's own speed-up r_s: plain MACs ÷ Ghost MACs (1 for a layer that stays). */
  rs: number;
}

export interface GhostifyReport {
  net: ExplorerNet;
  s: number;
  d: number;
  /** [H, W, C] of the input. */
  input: number[];
  /** The layers that have parameters or MACs (pools and residual adds cost nothing), in order. */
  layers: GhostifyLayer[];
  /** The reports' totals: `ghost` is what `ghostlab cost --arch NET [--ghost] --s S --d D` prints. */
  plain: Cost;
  ghost: Cost;
  /** MACs of the convolutions alone, linear layers left out: how the paper counts Ghost-VGG-16. */
  convMacs: { plain: number; ghost: number };
}

const isLinear = (l: LayerCost) => l.kind.startsWith('linear');
const convOnly = (r: CostReport) => r.layers.filter((l) => !isLinear(l)).reduce((a, l) => a + l.macs, 0);

/**
 * Pairs a plain cost report with its Ghost version. Each Ghost entry belongs to the plain layer
 * whose name it equals or extends (`features.3.primary_conv` → `features.3`); an entry with no
 * such layer, or sums that differ from the totals, mean the two reports disagree: an Error.
 */
export function pairReports(net: ExplorerNet, s: number, d: number, plain: CostReport, ghost: CostReport, replaced: ReadonlyMap<string, ConvGeometry>): GhostifyReport {
  const byName = new Map(plain.layers.map((l, i) => [l.name, i]));
  const ghostCost: Cost[] = plain.layers.map(() => ({ params: 0, macs: 0 }));
  for (const g of ghost.layers) {
    let name = g.name;
    while (!byName.has(name) && name.includes('.')) name = name.slice(0, name.lastIndexOf('.'));
    const i = byName.get(name);
    if (i === undefined) throw new Error(`${net}: Ghost layer '${g.name}' has no plain counterpart`);
    ghostCost[i]!.params += g.params;
    ghostCost[i]!.macs += g.macs;
  }
  const layers: GhostifyLayer[] = [];
  plain.layers.forEach((l, i) => {
    const gc = ghostCost[i]!;
    if (l.params === 0 && l.macs === 0 && gc.params === 0 && gc.macs === 0) return;
    const conv = replaced.get(l.name) ?? null;
    layers.push({
      name: l.name,
      kind: l.kind,
      outShape: [...l.outShape],
      conv: conv ? { ...conv } : null,
      plain: { params: l.params, macs: l.macs },
      ghost: gc,
      rs: conv && gc.macs > 0 ? l.macs / gc.macs : 1,
    });
  });
  const sum = (key: keyof Cost, side: 'plain' | 'ghost') => layers.reduce((a, l) => a + l[side][key], 0);
  for (const [side, r] of [['plain', plain], ['ghost', ghost]] as const) {
    if (sum('params', side) !== r.total.params || sum('macs', side) !== r.total.macs) throw new Error(`${net}: the ${side} layers do not add up to the report's total`);
  }
  return {
    net,
    s,
    d,
    input: [...plain.input],
    layers,
    plain: { ...plain.total },
    ghost: { ...ghost.total },
    convMacs: { plain: convOnly(plain), ghost: convOnly(ghost) },
  };
}

/** A reference net (VGG-16, ResNet-56 for CIFAR; ResNet-50) and its Ghost-ified version at s, d. */
export function ghostifyReferenceNet(arch: string, s: number, d: number): GhostifyReport {
  if (!(REFERENCE_NETS as readonly string[]).includes(arch)) {
    throw new Error(`unknown reference net '${arch}' (expected one of ${REFERENCE_NETS.join(', ')})`);
  }
  const plain = costReferenceNet(arch);
  const ghost = costReferenceNet(arch, { ghost: true, s, d });
  return pairReports(arch as ExplorerNet, s, d, plain, ghost, ghostableConvs(arch));
}

/** A row of the papers' tables for a network of the explorer (PaperRow with any arch). */
export type ExplorerPaperRow = Omit<PaperRow, 'arch'> & { arch: ExplorerNet };

/** GhostNet 1.0× in the V1 paper's ImageNet table (s = 2, d = 3; facts file §4.1). */
const GHOSTNET_ROWS: readonly ExplorerPaperRow[] = [
  { arch: 'ghostnet_100', ghost: true, s: 2, d: 3, params: '5.2M', flops: '141M', accuracy: '73.9 / 91.4', table: 'ImageNet' },
];

/**
 * The paper's rows for a net at s, d: its plain baseline and the Ghost row with the same s and d
 * (the Ghost-ResNet rows state no d: the paper's default, 3), where the paper has them.
 */
export function paperRows(net: ExplorerNet, s: number, d: number): { plain: ExplorerPaperRow | null; ghost: ExplorerPaperRow | null; all: ExplorerPaperRow[] } {
  const all = [...PAPER_TABLE, ...GHOSTNET_ROWS].filter((r) => r.arch === net);
  return {
    plain: all.find((r) => !r.ghost) ?? null,
    ghost: all.find((r) => r.ghost && r.s === s && (r.d ?? 3) === d) ?? null,
    all,
  };
}

/**
 * `value` written the way a paper prints `printed` ("7.7M", "0.43M", "4.1B"): the same unit and
 * number of decimals.
 */
export function atPaperPrecision(value: number, printed: string): string {
  const m = /^(\d+(?:\.(\d+))?)([MB])$/.exec(printed);
  if (!m) throw new Error(`not a paper count: '${printed}' (expected e.g. 7.7M or 4.1B)`);
  const decimals = m[2]?.length ?? 0;
  return `${(value / (m[3] === 'M' ? 1e6 : 1e9)).toFixed(decimals)}${m[3]}`;
}

/** Does `value` print as the paper's `printed`? */
export function printsAs(value: number, printed: string): boolean {
  return atPaperPrecision(value, printed) === printed;
}
