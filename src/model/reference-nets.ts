/**
 * The reference networks of the GhostNet paper's compression experiments (Han et al., CVPR 2020,
 * §4.1) and their Ghost-ified versions, as analytic cost reports: VGG-16 and ResNet-56 for
 * CIFAR-10, ResNet-50 for ImageNet.
 *
 * Conventions (shared with the `ghostlab cost` verb, see src/model/cost-types.ts):
 * - MACs count convolutions and linear layers only (the papers' "FLOPs").
 * - Parameters count every learned tensor, BatchNorm scale and shift included, as PyTorch's
 *   `sum(p.numel() for p in model.parameters())` does. A layer's BatchNorm is counted in that
 *   layer's entry.
 *
 * Ghost-ification, as in the paper: a convolution with n outputs and a k×k kernel becomes a Ghost
 * module whose primary conv keeps the k×k kernel (and the stride and padding) and produces
 * m = ceil(n/s) intrinsic maps, followed by a d×d depthwise "cheap operation" (depth multiplier s−1,
 * stride 1, padding d//2) producing m·(s−1) ghost maps; each has its BatchNorm; the concatenation
 * is sliced to n channels (official GhostModule). Linear layers are left alone.
 *
 * Which convolutions are replaced:
 * - ResNet-50: every conv except the stem (maintainer's statement in Efficient-AI-Backbones#34),
 *   the downsampling 1×1 shortcut convs included.
 * - VGG-16 and ResNet-56 (CIFAR): every conv, the first one included. For VGG-16 the table decides
 *   it: with the first conv Ghost-ified the d = 1 row is 157.0M MACs (paper: 157M); kept plain it
 *   is 157.9M. ResNet-56's numbers do not decide it (±0.2M); it follows VGG-16.
 *   `ghostFirstConv` overrides the choice.
 *
 * How the paper's numbers compare (checked in test/unit/reference-nets.test.ts):
 * - VGG-16: 14.99M params / 313.2M conv MACs (+0.27M in the classifier) = the paper's 15.0M / 313M.
 *   Ghost-VGG-16, all eight ablation rows: params print as the paper's 7.6/7.7/7.7/7.7M and
 *   7.7/5.2/4.0/3.3M; the FLOPs print exactly as 157/158/160/163M and 158/107/80/65M when only
 *   the convolutions are counted. With the classifier's 0.27M MACs added (this module's `total`,
 *   per the cost contract) two rows print one higher: d = 7 → 163.6M ("164M"), s = 5 → 65.7M
 *   ("66M"). So the table is consistent with counting convolutions only.
 * - ResNet-56: 853,018 params / 125.5M = 0.85M / 125M. Ghost-ResNet-56 (s = 2, d = 3) gives
 *   0.438M / 65.1M, which print as 0.44M / 65M, not the paper's 0.43M / 63M. Those are reproduced
 *   either with d = 1 (0.430M / 63.0M) or with d = 3 leaving the cheap operation out of the count
 *   (0.427M / 62.7M); the paper does not say which.
 * - ResNet-50: 25,557,032 / 4.09G = 25.6M / 4.1B. Ghost-ResNet-50 (d = 3): MACs 2.151G (s = 2)
 *   and 1.18G (s = 4) print as the paper's 2.2B / 1.2B; params 13.95M and 8.15M do NOT match
 *   13.0M / 6.5M. The plain Linear(2048, 1000) classifier alone holds 2.05M. The paper's values
 *   are close to 25.6M/s (12.8M, 6.4M), as if the classifier were compressed s-fold as well, but
 *   even Ghost-ifying it as a 1×1 conv gives 12.9M / 6.6M. Not reproducible from the paper's
 *   description.
 */
import type { CostReport, LayerCost } from './cost-types';
import type { ConvGeometry } from './theory';

export const REFERENCE_NETS = ['vgg16_cifar', 'resnet56_cifar', 'resnet50'] as const;
export type ReferenceNetArch = (typeof REFERENCE_NETS)[number];

export interface ReferenceNetOptions {
  /** Replace the convolutions by Ghost modules (default false). */
  ghost?: boolean;
  /** Ghost ratio s: each intrinsic map yields s−1 ghost maps (integer ≥ 1, default 2). */
  s?: number;
  /** Kernel size d of the cheap depthwise operation (odd integer ≥ 1, default 3). */
  d?: number;
  /** Input height = width (default 32 for the CIFAR nets, 224 for ResNet-50). */
  input?: number;
  /** Ghost-ify the first (stem) convolution too (default: true for the CIFAR nets, false for
   *  ResNet-50; see the module comment). */
  ghostFirstConv?: boolean;
}

/** One row of the paper's tables, as printed ("7.7M", "4.1B"). */
export interface PaperRow {
  arch: ReferenceNetArch;
  ghost: boolean;
  s?: number;
  d?: number;
  params: string;
  flops: string;
  /** Top-1 accuracy in %, as printed (ImageNet rows: top-1 / top-5). */
  accuracy: string;
  table: string;
}

/**
 * The GhostNet paper's numbers for these nets (facts file §5.1): the CIFAR-10 d and s ablations on
 * VGG-16, the CIFAR-10 comparison table (VGG-16, ResNet-56) and the ImageNet ResNet-50 table.
 * The Ghost-ResNet rows do not state d; the paper's default is d = 3.
 */
export const PAPER_TABLE: readonly PaperRow[] = [
  { arch: 'vgg16_cifar', ghost: false, params: '15.0M', flops: '313M', accuracy: '93.6', table: 'CIFAR-10' },
  { arch: 'vgg16_cifar', ghost: true, s: 2, d: 1, params: '7.6M', flops: '157M', accuracy: '93.5', table: 'effect of d' },
  { arch: 'vgg16_cifar', ghost: true, s: 2, d: 3, params: '7.7M', flops: '158M', accuracy: '93.7', table: 'effect of d' },
  { arch: 'vgg16_cifar', ghost: true, s: 2, d: 5, params: '7.7M', flops: '160M', accuracy: '93.4', table: 'effect of d' },
  { arch: 'vgg16_cifar', ghost: true, s: 2, d: 7, params: '7.7M', flops: '163M', accuracy: '93.1', table: 'effect of d' },
  { arch: 'vgg16_cifar', ghost: true, s: 3, d: 3, params: '5.2M', flops: '107M', accuracy: '93.4', table: 'effect of s' },
  { arch: 'vgg16_cifar', ghost: true, s: 4, d: 3, params: '4.0M', flops: '80M', accuracy: '93.0', table: 'effect of s' },
  { arch: 'vgg16_cifar', ghost: true, s: 5, d: 3, params: '3.3M', flops: '65M', accuracy: '92.9', table: 'effect of s' },
  { arch: 'resnet56_cifar', ghost: false, params: '0.85M', flops: '125M', accuracy: '93.0', table: 'CIFAR-10' },
  { arch: 'resnet56_cifar', ghost: true, s: 2, params: '0.43M', flops: '63M', accuracy: '92.7', table: 'CIFAR-10' },
  { arch: 'resnet50', ghost: false, params: '25.6M', flops: '4.1B', accuracy: '75.3 / 92.2', table: 'ImageNet' },
  { arch: 'resnet50', ghost: true, s: 2, params: '13.0M', flops: '2.2B', accuracy: '75.0 / 92.3', table: 'ImageNet' },
  { arch: 'resnet50', ghost: true, s: 4, params: '6.5M', flops: '1.2B', accuracy: '74.1 / 91.9', table: 'ImageNet' },
];

type Shape = { h: number; w: number; c: number };

interface ConvSpec {
  cout: number;
  k: number;
  stride?: number;
  pad?: number;
  groups?: number;
  bias?: boolean;
  bn?: boolean;
  /** May this conv become a Ghost module when the net is Ghost-ified? */
  ghostable?: boolean;
}

class TooSmall extends Error {}

function outSize(x: number, k: number, stride: number, pad: number): number {
  return Math.floor((x + 2 * pad - k) / stride) + 1;
}

/** Accumulates layers while tracking the running feature shape. */
class NetBuilder {
  readonly layers: LayerCost[] = [];
  /** The convolutions a Ghost module replaces (or would, in the plain net), by layer name. */
  readonly ghostable = new Map<string, ConvGeometry>();
  shape: Shape;
  constructor(
    input: Shape,
    private readonly ghost: { s: number; d: number } | null,
  ) {
    this.shape = { ...input };
  }

  private push(name: string, kind: string, shape: Shape, params: number, macs: number): void {
    this.layers.push({ name, kind, outShape: [shape.h, shape.w, shape.c], params, macs });
  }

  private plainConv(name: string, kind: string, cin: number, spec: Required<Omit<ConvSpec, 'ghostable'>>, from: Shape): Shape {
    const { cout, k, stride, pad, groups, bias, bn } = spec;
    const h = outSize(from.h, k, stride, pad);
    const w = outSize(from.w, k, stride, pad);
    if (h < 1 || w < 1) throw new TooSmall(`${name} would output ${h}×${w}`);
    const perOut = (cin / groups) * k * k;
    const params = cout * perOut + (bias ? cout : 0) + (bn ? 2 * cout : 0);
    const macs = h * w * cout * perOut;
    const out = { h, w, c: cout };
    this.push(name, kind, out, params, macs);
    return out;
  }

  /** A conv (+ BN), or the Ghost module that replaces it. Updates the running shape. */
  conv(name: string, spec: ConvSpec, from: Shape = this.shape): Shape {
    const full = {
      cout: spec.cout,
      k: spec.k,
      stride: spec.stride ?? 1,
      pad: spec.pad ?? Math.floor(spec.k / 2),
      groups: spec.groups ?? 1,
      bias: spec.bias ?? false,
      bn: spec.bn ?? true,
    };
    let out: Shape;
    if (spec.ghostable ?? true) {
      const h = outSize(from.h, full.k, full.stride, full.pad);
      const w = outSize(from.w, full.k, full.stride, full.pad);
      this.ghostable.set(name, { c: from.c, k: full.k, n: full.cout, h, w, stride: full.stride });
    }
    if (this.ghost && (spec.ghostable ?? true)) {
      const { s, d } = this.ghost;
      const m = Math.ceil(full.cout / s);
      const primary = this.plainConv(`${name}.primary_conv`, 'ghost-primary', from.c, { ...full, cout: m, bias: false, bn: true }, from);
      const ghosts = m * (s - 1);
      if (ghosts > 0) {
        this.plainConv(
          `${name}.cheap_operation`,
          'ghost-cheap',
          m,
          { cout: ghosts, k: d, stride: 1, pad: Math.floor(d / 2), groups: m, bias: false, bn: true },
          primary,
        );
      }
      out = { h: primary.h, w: primary.w, c: full.cout };
    } else {
      out = this.plainConv(name, full.groups > 1 ? 'dwconv' : 'conv', from.c, full, from);
    }
    this.shape = out;
    return out;
  }

  maxPool(name: string, k: number, stride: number, pad = 0): void {
    const s = this.shape;
    this.shape = { h: outSize(s.h, k, stride, pad), w: outSize(s.w, k, stride, pad), c: s.c };
    if (this.shape.h < 1 || this.shape.w < 1) throw new TooSmall(`${name} would output ${this.shape.h}×${this.shape.w}`);
    this.push(name, 'maxpool', this.shape, 0, 0);
  }

  globalAvgPool(name: string): void {
    this.shape = { h: 1, w: 1, c: this.shape.c };
    this.push(name, 'avgpool', this.shape, 0, 0);
  }

  linear(name: string, cout: number, opts: { bias?: boolean; bn?: boolean } = {}): void {
    const cin = this.shape.h * this.shape.w * this.shape.c; // flatten
    const bias = opts.bias ?? true;
    const params = cin * cout + (bias ? cout : 0) + (opts.bn ? 2 * cout : 0);
    this.shape = { h: 1, w: 1, c: cout };
    this.push(name, opts.bn ? 'linear+bn' : 'linear', this.shape, params, cin * cout);
  }

  /** A residual add (no cost); records the shape. */
  add(name: string, a: Shape, b: Shape): void {
    if (a.h !== b.h || a.w !== b.w || a.c !== b.c) {
      throw new Error(`${name}: residual shapes differ (${a.h}×${a.w}×${a.c} vs ${b.h}×${b.w}×${b.c})`);
    }
    this.shape = { ...a };
  }
}

function checkInt(name: string, v: number, min: number): number {
  if (!Number.isFinite(v) || !Number.isInteger(v) || v < min) {
    throw new Error(`${name} must be an integer ≥ ${min} (got ${v})`);
  }
  return v;
}

/** VGG-16 for CIFAR (the ℓ1-pruning paper's variant: 13 conv3×3+BN+ReLU, 5 max-pools, then
 *  Linear(512,512)+BN1d+ReLU+Linear(512,10)). Its 14.99M parameters and 313.5M MACs are the
 *  paper's 15.0M / 313M; a single Linear(512,10) classifier would give 14.7M. */
function vgg16(b: NetBuilder, ghostFirst: boolean): void {
  const cfg: (number | 'M')[] = [64, 64, 'M', 128, 128, 'M', 256, 256, 256, 'M', 512, 512, 512, 'M', 512, 512, 512, 'M'];
  let i = 0;
  let first = true;
  for (const v of cfg) {
    if (v === 'M') b.maxPool(`features.${i}`, 2, 2);
    else {
      b.conv(`features.${i}`, { cout: v, k: 3, pad: 1, ghostable: ghostFirst || !first });
      first = false;
    }
    i += 1;
  }
  b.linear('classifier.0', 512, { bn: true });
  b.linear('classifier.3', 10);
}

/** ResNet-56 for CIFAR (He et al. 2016 §4.2): conv3×3(16), 3 stages × 9 basic blocks (16/32/64),
 *  option-A shortcuts (stride-2 subsampling + zero-padded channels: no parameters), global
 *  average pool, Linear(64, 10). */
function resnet56(b: NetBuilder, ghostFirst: boolean): void {
  b.conv('conv1', { cout: 16, k: 3, ghostable: ghostFirst });
  const widths = [16, 32, 64];
  widths.forEach((planes, li) => {
    for (let j = 0; j < 9; j++) {
      const stride = li > 0 && j === 0 ? 2 : 1;
      const input = b.shape;
      const p = `layer${li + 1}.${j}`;
      b.conv(`${p}.conv1`, { cout: planes, k: 3, stride });
      const out = b.conv(`${p}.conv2`, { cout: planes, k: 3 });
      // Option A: the shortcut subsamples and zero-pads: no parameters, no MACs.
      const shortcut = { h: outSize(input.h, 1, stride, 0), w: outSize(input.w, 1, stride, 0), c: planes };
      b.add(`${p}.add`, out, shortcut);
    }
  });
  b.globalAvgPool('avgpool');
  b.linear('fc', 10);
}

/** ResNet-50 (torchvision, v1.5: the stride sits on the 3×3 conv of each bottleneck). */
function resnet50(b: NetBuilder, ghostFirst: boolean): void {
  b.conv('conv1', { cout: 64, k: 7, stride: 2, pad: 3, ghostable: ghostFirst });
  b.maxPool('maxpool', 3, 2, 1);
  const stages: [number, number][] = [
    [64, 3],
    [128, 4],
    [256, 6],
    [512, 3],
  ];
  stages.forEach(([planes, blocks], li) => {
    for (let j = 0; j < blocks; j++) {
      const stride = li > 0 && j === 0 ? 2 : 1;
      const input = b.shape;
      const p = `layer${li + 1}.${j}`;
      b.conv(`${p}.conv1`, { cout: planes, k: 1 });
      b.conv(`${p}.conv2`, { cout: planes, k: 3, stride });
      const out = b.conv(`${p}.conv3`, { cout: planes * 4, k: 1 });
      let shortcut = input;
      if (j === 0) shortcut = b.conv(`${p}.downsample`, { cout: planes * 4, k: 1, stride, pad: 0 }, input);
      b.add(`${p}.add`, out, shortcut);
    }
  });
  b.globalAvgPool('avgpool');
  b.linear('fc', 1000);
}

/**
 * Per-layer and total parameters and MACs of a reference net, plain or Ghost-ified.
 * Throws an Error with a one-line message for an unknown arch or invalid options.
 */
export function costReferenceNet(arch: string, opts: ReferenceNetOptions = {}): CostReport {
  return buildReferenceNet(arch, opts).report;
}

/**
 * The convolutions that Ghost-ification replaces (the same rules as `costReferenceNet`), by layer
 * name, with the c, k, n, h', w' and stride of the plain convolution. The Ghost-ified report
 * names their parts `<name>.primary_conv` and `<name>.cheap_operation`.
 */
export function ghostableConvs(arch: string, opts: Omit<ReferenceNetOptions, 'ghost' | 's' | 'd'> = {}): Map<string, ConvGeometry> {
  return buildReferenceNet(arch, { ...opts, ghost: false }).ghostable;
}

function buildReferenceNet(arch: string, opts: ReferenceNetOptions): { report: CostReport; ghostable: Map<string, ConvGeometry> } {
  if (!(REFERENCE_NETS as readonly string[]).includes(arch)) {
    throw new Error(`unknown reference net '${arch}' (expected one of ${REFERENCE_NETS.join(', ')})`);
  }
  const a = arch as ReferenceNetArch;
  const input = checkInt('input', opts.input ?? (a === 'resnet50' ? 224 : 32), 1);
  if (input > 8192) throw new Error(`input must be ≤ 8192 (got ${input})`);
  let ghost: { s: number; d: number } | null = null;
  if (opts.ghost) {
    const s = checkInt('s', opts.s ?? 2, 1);
    const d = checkInt('d', opts.d ?? 3, 1);
    if (d % 2 === 0) throw new Error(`d must be odd: a ${d}×${d} cheap conv with padding ${d / 2} changes the map size (got ${d})`);
    if (s > 1024) throw new Error(`s must be ≤ 1024 (got ${s})`);
    if (d > 99) throw new Error(`d must be ≤ 99 (got ${d})`);
    ghost = { s, d };
  }
  const b = new NetBuilder({ h: input, w: input, c: 3 }, ghost);
  const ghostFirst = opts.ghostFirstConv ?? a !== 'resnet50';
  try {
    if (a === 'vgg16_cifar') vgg16(b, ghostFirst);
    else if (a === 'resnet56_cifar') resnet56(b, ghostFirst);
    else resnet50(b, ghostFirst);
  } catch (e) {
    if (e instanceof TooSmall) throw new Error(`input ${input} is too small for ${a}: ${e.message}`);
    throw e;
  }
  const total = b.layers.reduce((t, l) => ({ params: t.params + l.params, macs: t.macs + l.macs }), { params: 0, macs: 0 });
  return { report: { arch: a, input: [input, input, 3], layers: b.layers, total }, ghostable: b.ghostable };
}
