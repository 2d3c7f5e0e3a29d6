/**
 * The layer list: one entry per Ghost module, attention branch, depthwise conv, SE,
 * shortcut, stem, final conv, pool, head and classifier, with output shapes, parameters
 * and MACs. Entries do not overlap, so their sums are the network totals. The cost
 * report (`ghostlab cost`) and the inspector UI both read it.
 */
import { ghostSource } from './cheap-operation.js';
import type { CostReport, LayerCost } from './cost-types.js';
import { buildSpec } from './ghostnet.js';
import { resolveConfig, type ConfigOverrides } from './config.js';
import { bottleneckUnits, convOut, ghostUnits, type ConvSpec, type GhostModuleSpec, type NetSpec, type Unit } from './spec.js';

export interface GhostLayerInfo {
  ratio: number;
  dwSize: number;
  /** Intrinsic maps m (primary conv outputs). */
  intrinsic: number;
  /** Ghost maps m(s−1) (cheap operation outputs, before the slice). */
  ghost: number;
  /** Channels kept after the slice (oup). */
  kept: number;
  /** source[j]: the intrinsic map ghost map j is computed from. */
  source: number[];
  relu: boolean;
  attention: boolean;
  plain: boolean;
}

export interface LayerInfo extends LayerCost {
  /** The block this layer belongs to (`blocks.i.j`), if any. */
  block?: string;
  /** [H, W, C] of the layer's input. */
  inShape: number[];
  /** Tap names (for `inspect`) that show this layer. The last one is the layer output. */
  taps: string[];
  ghost?: GhostLayerInfo;
}

type Shape = [number, number, number];

function convShape(c: ConvSpec, [h, w]: Shape): Shape {
  return [convOut(h, c.kh, c.stride, c.padH), convOut(w, c.kw, c.stride, c.padW), c.outC];
}

function convMacs(c: ConvSpec, out: Shape): number {
  return out[0] * out[1] * out[2] * (c.depthwise ? 1 : c.inC) * c.kh * c.kw;
}

function unitParams(u: Unit): number {
  if (u.type === 'linear') return u.linear.inF * u.linear.outF + u.linear.outF;
  const c = u.type === 'conv' ? u.conv : u.convBn.conv;
  const w = c.outC * (c.depthwise ? 1 : c.inC) * c.kh * c.kw + (c.bias ? c.outC : 0);
  return w + (u.type === 'convbn' ? 2 * u.convBn.bn.channels : 0);
}

const sumParams = (units: Unit[]) => units.reduce((a, u) => a + unitParams(u), 0);

function ghostLayers(m: GhostModuleSpec, inShape: Shape, block: string): { layers: LayerInfo[]; out: Shape } {
  const prim = convShape(m.primary.conv, inShape);
  const out: Shape = [prim[0], prim[1], m.outC];
  let macs = convMacs(m.primary.conv, prim);
  if (m.cheap) macs += convMacs(m.cheap.conv, convShape(m.cheap.conv, prim));
  const main: LayerInfo = {
    name: m.path,
    kind: m.plain ? 'conv' : 'ghost-module',
    block,
    inShape,
    outShape: out,
    params: unitParams({ type: 'convbn', convBn: m.primary }) + (m.cheap ? unitParams({ type: 'convbn', convBn: m.cheap }) : 0),
    macs,
    taps: m.plain ? [m.path] : [`${m.path}.intrinsic`, `${m.path}.ghost`, ...(m.attention ? [`${m.path}.ungated`] : []), m.path],
    ghost: {
      ratio: m.ratio,
      dwSize: m.dwSize,
      intrinsic: m.intrinsic,
      ghost: m.ghost,
      kept: m.outC,
      source: Array.from({ length: m.ghost }, (_, j) => ghostSource(j, m.ratio)),
      relu: m.relu,
      attention: m.attention !== null,
      plain: m.plain,
    },
  };
  const layers = [main];
  if (m.attention) {
    const a = m.attention;
    const pooled: Shape = [Math.floor(inShape[0] / 2), Math.floor(inShape[1] / 2), inShape[2]];
    const s1 = convShape(a.conv.conv, pooled);
    const s2 = convShape(a.horizontal.conv, s1);
    const s3 = convShape(a.vertical.conv, s2);
    layers.push({
      name: `${m.path}.attn`,
      kind: 'dfc-attention',
      block,
      inShape,
      outShape: out,
      params: sumParams(ghostUnits(m)) - main.params,
      macs: convMacs(a.conv.conv, s1) + convMacs(a.horizontal.conv, s2) + convMacs(a.vertical.conv, s3),
      taps: [`${m.path}.attn.conv`, `${m.path}.attn.horizontal`, `${m.path}.attn.vertical`, `${m.path}.attn.gate`],
    });
  }
  return { layers, out };
}

export function describeLayers(spec: NetSpec): LayerInfo[] {
  const layers: LayerInfo[] = [];
  const input = [...spec.config.input] as Shape;
  let shape = convShape(spec.stem.conv, input);
  layers.push({
    name: 'stem', kind: 'conv', inShape: input, outShape: shape, taps: ['stem'],
    params: unitParams({ type: 'convbn', convBn: spec.stem }), macs: convMacs(spec.stem.conv, shape),
  });
  for (const b of spec.blocks) {
    const blockIn = shape;
    const g1 = ghostLayers(b.ghost1, shape, b.path);
    layers.push(...g1.layers);
    shape = g1.out;
    if (b.dw) {
      const s = convShape(b.dw.conv, shape);
      layers.push({
        name: `${b.path}.conv_dw`, kind: 'dwconv', block: b.path, inShape: shape, outShape: s, taps: [`${b.path}.conv_dw`],
        params: unitParams({ type: 'convbn', convBn: b.dw }), macs: convMacs(b.dw.conv, s),
      });
      shape = s;
    }
    if (b.se) {
      const se = b.se;
      layers.push({
        name: se.path, kind: 'squeeze-excite', block: b.path, inShape: shape, outShape: shape, taps: [se.path],
        params: sumParams([{ type: 'conv', conv: se.reduce }, { type: 'conv', conv: se.expand }]),
        macs: se.channels * se.reduced * 2,
      });
    }
    const g2 = ghostLayers(b.ghost2, shape, b.path);
    layers.push(...g2.layers);
    shape = g2.out;
    if (b.shortcut) {
      const s1 = convShape(b.shortcut.dw.conv, blockIn);
      const s2 = convShape(b.shortcut.pw.conv, s1);
      layers.push({
        name: `${b.path}.shortcut`, kind: 'shortcut', block: b.path, inShape: blockIn, outShape: s2, taps: [`${b.path}.shortcut`],
        params: sumParams(bottleneckUnits(b).slice(-2)),
        macs: convMacs(b.shortcut.dw.conv, s1) + convMacs(b.shortcut.pw.conv, s2),
      });
    }
  }
  const fin = convShape(spec.final.convBn.conv, shape);
  layers.push({
    name: spec.final.path, kind: 'conv', inShape: shape, outShape: fin, taps: [spec.final.path],
    params: unitParams({ type: 'convbn', convBn: spec.final.convBn }), macs: convMacs(spec.final.convBn.conv, fin),
  });
  const pooled: Shape = [1, 1, fin[2]];
  layers.push({ name: 'global_pool', kind: 'pool', inShape: fin, outShape: pooled, taps: ['global_pool'], params: 0, macs: 0 });
  const head: Shape = [1, 1, spec.convHead.outC];
  layers.push({
    name: 'conv_head', kind: 'conv', inShape: pooled, outShape: head, taps: ['conv_head'],
    params: unitParams({ type: 'conv', conv: spec.convHead }), macs: convMacs(spec.convHead, head),
  });
  const c = spec.classifier;
  layers.push({
    name: 'classifier', kind: 'linear', inShape: [c.inF], outShape: [c.outF], taps: ['logits'],
    params: unitParams({ type: 'linear', linear: c }), macs: c.inF * c.outF,
  });
  return layers;
}

/** Every tap name `inspect` accepts, in forward order. */
export function tapNames(spec: NetSpec): string[] {
  const names: string[] = [];
  let block: string | undefined;
  for (const l of describeLayers(spec)) {
    if (block && l.block !== block) names.push(block);
    block = l.block;
    names.push(...l.taps);
  }
  return names;
}

export function costReport(spec: NetSpec, arch = spec.config.arch): CostReport {
  const layers = describeLayers(spec).map(({ name, kind, outShape, params, macs }) => ({ name, kind, outShape, params, macs }));
  return {
    arch,
    input: [...spec.config.input],
    layers,
    total: {
      params: layers.reduce((a, l) => a + l.params, 0),
      macs: layers.reduce((a, l) => a + l.macs, 0),
    },
  };
}

/** Cost of a GhostNet model id, optionally at another width or input size. */
export function ghostnetCost(arch: string, overrides: ConfigOverrides = {}): CostReport {
  return costReport(buildSpec(resolveConfig(arch, overrides)));
}
