/**
 * The module spec tree: what the builder produces and every other part (forward passes,
 * weights, cost, key mapping) walks. Names are the official PyTorch module paths.
 */
import type { GhostNetConfig } from './config.js';

/** A convolution. Depthwise means groups = inC and outC = inC * depth multiplier. */
export interface ConvSpec {
  name: string;
  inC: number;
  outC: number;
  kh: number;
  kw: number;
  stride: number;
  padH: number;
  padW: number;
  depthwise: boolean;
  bias: boolean;
}

export interface BnSpec {
  name: string;
  channels: number;
}

/** conv (bias=False) → BatchNorm → optional ReLU. */
export interface ConvBnSpec {
  conv: ConvSpec;
  bn: BnSpec;
  relu: boolean;
}

export interface LinearSpec {
  name: string;
  inF: number;
  outF: number;
}

export interface DfcAttentionSpec {
  /** `<ghost module>.short_conv` */
  path: string;
  /** 1×1 conv + BN on the 2× average-pooled module input. */
  conv: ConvBnSpec;
  /** depthwise (1, 5) + BN: the "horizontal FC". */
  horizontal: ConvBnSpec;
  /** depthwise (5, 1) + BN: the "vertical FC". */
  vertical: ConvBnSpec;
}

export interface GhostModuleSpec {
  path: string;
  inC: number;
  /** oup: channels kept after the slice. */
  outC: number;
  ratio: number;
  dwSize: number;
  /** m = ceil(oup / s) intrinsic maps from the primary conv. */
  intrinsic: number;
  /** m (s - 1) ghost maps from the cheap operation. */
  ghost: number;
  relu: boolean;
  plain: boolean;
  primary: ConvBnSpec;
  cheap: ConvBnSpec | null;
  attention: DfcAttentionSpec | null;
}

export interface SqueezeExciteSpec {
  path: string;
  channels: number;
  reduced: number;
  reduce: ConvSpec;
  expand: ConvSpec;
}

export interface BottleneckSpec {
  path: string;
  /** Global block counter (official layer_id). */
  layerId: number;
  inC: number;
  midC: number;
  outC: number;
  k: number;
  stride: number;
  ghost1: GhostModuleSpec;
  /** conv_dw + bn_dw, stride-2 blocks only (no activation). */
  dw: ConvBnSpec | null;
  se: SqueezeExciteSpec | null;
  ghost2: GhostModuleSpec;
  /** dw k×k + BN + 1×1 + BN, or null for the identity shortcut. */
  shortcut: { dw: ConvBnSpec; pw: ConvBnSpec } | null;
}

export interface NetSpec {
  config: GhostNetConfig;
  stem: ConvBnSpec;
  blocks: BottleneckSpec[];
  /** The ConvBnAct after the stages: `blocks.<n>.0`. */
  final: { path: string; convBn: ConvBnSpec };
  convHead: ConvSpec;
  classifier: LinearSpec;
}

export function conv(
  name: string,
  inC: number,
  outC: number,
  k: number | [number, number],
  opts: { stride?: number; depthwise?: boolean; bias?: boolean } = {},
): ConvSpec {
  const [kh, kw] = typeof k === 'number' ? [k, k] : k;
  // PyTorch pads k//2 on both sides; tfjs 'same' would pad asymmetrically at stride 2.
  return {
    name,
    inC,
    outC,
    kh,
    kw,
    stride: opts.stride ?? 1,
    padH: Math.floor(kh / 2),
    padW: Math.floor(kw / 2),
    depthwise: opts.depthwise ?? false,
    bias: opts.bias ?? false,
  };
}

export function convBn(convSpec: ConvSpec, bnName: string, relu: boolean): ConvBnSpec {
  return { conv: convSpec, bn: { name: bnName, channels: convSpec.outC }, relu };
}

/** Output size of a conv / pool along one axis (PyTorch floor rule). */
export function convOut(size: number, k: number, stride: number, pad: number): number {
  return Math.floor((size + 2 * pad - k) / stride) + 1;
}

/** Everything with weights, in PyTorch state_dict order. */
export type Unit =
  | { type: 'convbn'; convBn: ConvBnSpec }
  | { type: 'conv'; conv: ConvSpec }
  | { type: 'linear'; linear: LinearSpec };

export function ghostUnits(m: GhostModuleSpec): Unit[] {
  const u: Unit[] = [{ type: 'convbn', convBn: m.primary }];
  if (m.cheap) u.push({ type: 'convbn', convBn: m.cheap });
  if (m.attention) {
    const a = m.attention;
    u.push({ type: 'convbn', convBn: a.conv }, { type: 'convbn', convBn: a.horizontal }, { type: 'convbn', convBn: a.vertical });
  }
  return u;
}

export function bottleneckUnits(b: BottleneckSpec): Unit[] {
  const u: Unit[] = [...ghostUnits(b.ghost1)];
  if (b.dw) u.push({ type: 'convbn', convBn: b.dw });
  if (b.se) u.push({ type: 'conv', conv: b.se.reduce }, { type: 'conv', conv: b.se.expand });
  u.push(...ghostUnits(b.ghost2));
  if (b.shortcut) u.push({ type: 'convbn', convBn: b.shortcut.dw }, { type: 'convbn', convBn: b.shortcut.pw });
  return u;
}

export function netUnits(spec: NetSpec): Unit[] {
  return [
    { type: 'convbn', convBn: spec.stem },
    ...spec.blocks.flatMap(bottleneckUnits),
    { type: 'convbn', convBn: spec.final.convBn },
    { type: 'conv', conv: spec.convHead },
    { type: 'linear', linear: spec.classifier },
  ];
}

/** Every Ghost module of the net, in order. */
export function ghostModules(spec: NetSpec): GhostModuleSpec[] {
  return spec.blocks.flatMap((b) => [b.ghost1, b.ghost2]);
}
