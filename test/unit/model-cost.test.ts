import { describe, expect, it } from 'vitest';
import {
  ARCH_IDS,
  buildSpec,
  costReport,
  countParams,
  describeLayers,
  ghostnetCost,
  makeDivisible,
  paramEntries,
  randomWeights,
  resolveConfig,
} from '../../src/model/index.js';

describe('make_divisible (official rounding, divisor 4, 0.9 rule)', () => {
  it('matches the official values', () => {
    expect(makeDivisible(16 * 0.5, 4)).toBe(8);
    expect(makeDivisible(16 * 1.3, 4)).toBe(20);
    expect(makeDivisible(48 * 1.3, 4)).toBe(64); // 62.4 → int(64.4)//4*4
    expect(makeDivisible(72 * 0.5, 4)).toBe(36);
    expect(makeDivisible(184 * 1.3, 4)).toBe(240); // 239.2
    expect(makeDivisible(960 * 1.6, 4)).toBe(1536);
    expect(makeDivisible(72 * 0.25, 4)).toBe(20); // SE reduce of 72 → 18 → 20
    expect(makeDivisible(2, 4)).toBe(4); // min_value = divisor
    expect(makeDivisible(10, 8)).toBe(16); // 8 < 0.9·10 → +8
  });
});

describe('cost model', () => {
  const expected: Record<string, [number, number?]> = {
    ghostnet_050: [2_587_292],
    ghostnet_100: [5_182_508, 141_150_512],
    ghostnet_130: [7_358_820],
    ghostnetv2_100: [6_156_908, 167_048_288],
    ghostnetv2_130: [8_960_404],
    ghostnetv2_160: [12_392_698],
  };
  for (const [arch, [params, macs]] of Object.entries(expected)) {
    it(`${arch}: ${params} parameters${macs ? `, ${macs} MACs` : ''}`, () => {
      const r = ghostnetCost(arch);
      expect(r.total.params).toBe(params);
      if (macs) expect(r.total.macs).toBe(macs);
      expect(r.input).toEqual([224, 224, 3]);
    });
  }

  it('V1 0.5x / 1.3x and V2 1.3x / 1.6x MACs are the derived ones (≈42.3M, 227.0M, 269.3M, 398.6M)', () => {
    expect(Math.round(ghostnetCost('ghostnet_050').total.macs / 1e5) / 10).toBe(42.3);
    expect(Math.round(ghostnetCost('ghostnet_130').total.macs / 1e5) / 10).toBe(227);
    expect(Math.round(ghostnetCost('ghostnetv2_130').total.macs / 1e5) / 10).toBe(269.3);
    expect(Math.round(ghostnetCost('ghostnetv2_160').total.macs / 1e5) / 10).toBe(398.6);
  });

  it('--width and --input re-derive the network (V1 at width 1.1: ≈167M MACs)', () => {
    expect(Math.round(ghostnetCost('ghostnet_100', { width: 1.1 }).total.macs / 1e6)).toBe(167);
    const small = ghostnetCost('ghostnet_100', { input: 112 });
    expect(small.input).toEqual([112, 112, 3]);
    expect(small.total.params).toBe(5_182_508);
  });

  it('layers do not overlap: their sums are the totals; JSON rows have exactly the contract fields', () => {
    const r = ghostnetCost('ghostnetv2_100');
    expect(r.layers.reduce((a, l) => a + l.params, 0)).toBe(r.total.params);
    for (const l of r.layers) expect(Object.keys(l).sort()).toEqual(['kind', 'macs', 'name', 'outShape', 'params']);
    expect(r.layers.find((l) => l.name === 'blocks.9.0')?.outShape).toEqual([7, 7, 960]);
    expect(r.layers.find((l) => l.name === 'blocks.6.0.ghost1.attn')?.kind).toBe('dfc-attention');
  });

  it('the built weights have exactly the cost model parameter count, for every arch', () => {
    for (const arch of ARCH_IDS) {
      const spec = buildSpec(resolveConfig(arch));
      expect(countParams(randomWeights(spec, 0), spec), arch).toBe(costReport(spec).total.params);
    }
  });

  it('state_dict key counts match the official models (without num_batches_tracked)', () => {
    expect(paramEntries(buildSpec(resolveConfig('ghostnet_100'))).length).toBe(512 - 80);
    expect(paramEntries(buildSpec(resolveConfig('ghostnetv2_100'))).length).toBe(764 - 122);
  });

  it('official names and PyTorch shapes', () => {
    const e = new Map(paramEntries(buildSpec(resolveConfig('ghostnetv2_100'))).map((p) => [p.name, p.ptShape]));
    expect(e.get('conv_stem.weight')).toEqual([16, 3, 3, 3]);
    expect(e.get('blocks.0.0.ghost1.primary_conv.0.weight')).toEqual([8, 16, 1, 1]);
    expect(e.get('blocks.0.0.ghost1.cheap_operation.0.weight')).toEqual([8, 1, 3, 3]);
    expect(e.has('blocks.0.0.ghost1.short_conv.0.weight')).toBe(false); // layer_id 0
    expect(e.has('blocks.1.0.ghost1.short_conv.0.weight')).toBe(false); // layer_id 1
    expect(e.get('blocks.2.0.ghost1.short_conv.0.weight')).toEqual([72, 24, 1, 1]);
    expect(e.get('blocks.2.0.ghost1.short_conv.2.weight')).toEqual([72, 1, 1, 5]);
    expect(e.get('blocks.2.0.ghost1.short_conv.4.weight')).toEqual([72, 1, 5, 1]);
    expect(e.has('blocks.2.0.ghost2.short_conv.0.weight')).toBe(false); // ghost2 is always original
    expect(e.get('blocks.3.0.se.conv_reduce.weight')).toEqual([20, 72, 1, 1]);
    expect(e.get('blocks.3.0.se.conv_reduce.bias')).toEqual([20]);
    expect(e.get('blocks.1.0.conv_dw.weight')).toEqual([48, 1, 3, 3]);
    expect(e.get('blocks.6.3.shortcut.0.weight')).toEqual([80, 1, 3, 3]);
    expect(e.get('blocks.6.3.shortcut.2.weight')).toEqual([112, 80, 1, 1]);
    expect(e.has('blocks.6.0.shortcut.0.weight')).toBe(false);
    expect(e.get('blocks.9.0.conv.weight')).toEqual([960, 160, 1, 1]);
    expect(e.get('blocks.9.0.bn1.running_var')).toEqual([960]);
    expect(e.get('conv_head.weight')).toEqual([1280, 960, 1, 1]);
    expect(e.get('conv_head.bias')).toEqual([1280]);
    expect(e.get('classifier.weight')).toEqual([1000, 1280]);
  });

  it('plain twin: one conv per Ghost module with the same in/out channels, no attention', () => {
    const spec = buildSpec(resolveConfig('plainnet-fmnist'));
    const e = new Map(paramEntries(spec).map((p) => [p.name, p.ptShape]));
    expect(e.get('blocks.1.0.ghost1.primary_conv.0.weight')).toEqual([48, 16, 1, 1]);
    expect([...e.keys()].some((k) => k.includes('cheap_operation') || k.includes('short_conv'))).toBe(false);
  });

  it('Ghost module layer info: m = ceil(oup/s), m(s−1) ghost maps, source map of each ghost map', () => {
    const layers = describeLayers(buildSpec(resolveConfig('ghostnet-fmnist-s3-d3')));
    const g = layers.find((l) => l.name === 'blocks.0.0.ghost1')!.ghost!;
    expect(g).toMatchObject({ ratio: 3, dwSize: 3, intrinsic: 6, ghost: 12, kept: 16 });
    expect(g.source).toEqual([0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
  });

  it('labels: 1000 ImageNet names in class order, Fashion-MNIST names, numbered classes for other heads', () => {
    const l = resolveConfig('ghostnet_100').labels;
    expect(l).toHaveLength(1000);
    expect([l[0], l[1], l[281], l[417], l[999]]).toEqual(['tench', 'goldfish', 'tabby', 'balloon', 'toilet tissue']);
    expect(resolveConfig('ghostnetv2-fmnist').labels[9]).toBe('Ankle boot');
    expect(resolveConfig('ghostnet_100', { numClasses: 3 }).labels).toEqual(['class 0', 'class 1', 'class 2']);
  });

  it('ablation configs carry s and d; bad overrides are refused', () => {
    expect(resolveConfig('ghostnet-fmnist-s4-d3')).toMatchObject({ ratio: 4, dwSize: 3, input: [28, 28, 1], numClasses: 10 });
    expect(resolveConfig('ghostnet-fmnist-s2-d7').dwSize).toBe(7);
    expect(() => resolveConfig('nope')).toThrow(/unknown architecture/);
    expect(() => resolveConfig('ghostnet_100', { width: 0 })).toThrow(/width/);
    expect(() => resolveConfig('ghostnet_100', { dwSize: 2 })).toThrow(/odd/);
  });
});
