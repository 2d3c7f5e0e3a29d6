import { describe, expect, it } from 'vitest';
import { atPaperPrecision, EXPLORER_NETS, ghostifyReferenceNet, paperRows, printsAs, type GhostifyReport } from '../../src/model/ghostify';
import { ghostifyGhostNet } from '../../src/model/ghostify-ghostnet';
import { costReferenceNet, ghostableConvs, REFERENCE_NETS } from '../../src/model/reference-nets';
import { ghostnetCost } from '../../src/model/layers';
import { ghostModuleCost } from '../../src/model/theory';

const ghostify = (net: string, s: number, d: number): GhostifyReport =>
  (REFERENCE_NETS as readonly string[]).includes(net) ? ghostifyReferenceNet(net, s, d) : ghostifyGhostNet(net, s, d);

/** Every replaced layer's numbers are what the one-layer calculator computes from its c, k, n, h', w'. */
function expectLayersMatchCalculator(r: GhostifyReport): void {
  const replaced = r.layers.filter((l) => l.conv);
  expect(replaced.length).toBeGreaterThan(0);
  for (const l of replaced) {
    const calc = ghostModuleCost({ ...l.conv!, s: r.s, d: r.d });
    expect(calc.notes, l.name).toEqual([]); // within the calculator's limits
    expect(l.plain.macs, l.name).toBe(calc.ordinary.flops);
    expect(l.ghost.macs, l.name).toBe(calc.ghost.flops);
    expect(l.rs, l.name).toBeCloseTo(calc.rs, 12);
    // Parameters: the calculator counts weights only; the reports add BatchNorm (2 per channel).
    expect(l.plain.params - 2 * l.conv!.n, l.name).toBe(calc.ordinary.params);
    expect(l.ghost.params - 2 * (calc.m + calc.ghostComputed), l.name).toBe(calc.ghost.params);
  }
  for (const l of r.layers.filter((x) => !x.conv)) {
    expect(l.ghost, l.name).toEqual(l.plain);
    expect(l.rs).toBe(1);
  }
}

describe('ghostify: the reference nets', () => {
  it('Ghost-VGG-16 at s = 3, d = 3: the totals of `ghostlab cost --ghost` and the paper’s 5.2M / 107M', () => {
    const r = ghostifyReferenceNet('vgg16_cifar', 3, 3);
    const cli = costReferenceNet('vgg16_cifar', { ghost: true, s: 3, d: 3 });
    expect(r.ghost).toEqual(cli.total);
    expect(r.plain).toEqual(costReferenceNet('vgg16_cifar').total);
    expect(printsAs(r.ghost.params, '5.2M')).toBe(true);
    expect(printsAs(r.convMacs.ghost, '107M')).toBe(true);
    // The classifier's linear MACs are the only difference between the two MAC counts.
    expect(r.ghost.macs - r.convMacs.ghost).toBe(512 * 512 + 512 * 10);
    expect(r.layers.filter((l) => l.conv)).toHaveLength(13);
    expect(r.layers.map((l) => l.kind).slice(-2)).toEqual(['linear+bn', 'linear']);
    expectLayersMatchCalculator(r);
  });

  it('every VGG-16 row of the paper’s s and d tables: conv-only MACs print as the paper’s', () => {
    for (const [s, d] of [[2, 1], [2, 3], [2, 5], [2, 7], [3, 3], [4, 3], [5, 3]] as const) {
      const r = ghostifyReferenceNet('vgg16_cifar', s, d);
      const row = paperRows('vgg16_cifar', s, d).ghost!;
      expect(row, `${s},${d}`).not.toBeNull();
      expect(printsAs(r.ghost.params, row.params), `${s},${d}`).toBe(true);
      expect(printsAs(r.convMacs.ghost, row.flops), `${s},${d}`).toBe(true);
    }
    // With the classifier counted, d = 7 prints one million above the paper (the documented gap).
    expect(atPaperPrecision(ghostifyReferenceNet('vgg16_cifar', 2, 7).ghost.macs, '163M')).toBe('164M');
  });

  it('layer sums equal the totals and match the calculator, for every net, s and d of the explorer', () => {
    for (const net of EXPLORER_NETS) {
      for (const s of [2, 3, 4, 5]) {
        for (const d of [1, 3, 5, 7]) {
          const r = ghostify(net, s, d);
          expect(r.layers.reduce((a, l) => a + l.ghost.macs, 0)).toBe(r.ghost.macs);
          expect(r.layers.reduce((a, l) => a + l.plain.params, 0)).toBe(r.plain.params);
          expect(r.layers.every((l) => l.plain.macs > 0 || l.plain.params > 0)).toBe(true);
          if (s === 3 && (d === 1 || d === 7)) expectLayersMatchCalculator(r);
        }
      }
    }
  });

  it('which convolutions are replaced follows the paper: ResNet-50 keeps its stem and classifier', () => {
    const r = ghostifyReferenceNet('resnet50', 2, 3);
    expect(r.layers[0]).toMatchObject({ name: 'conv1', conv: null });
    expect(r.layers.at(-1)).toMatchObject({ name: 'fc', kind: 'linear', conv: null });
    expect(r.layers.filter((l) => l.conv)).toHaveLength(16 * 3 + 4); // bottleneck convs + 4 downsamples
    expect(r.layers.find((l) => l.name === 'layer2.0.conv2')?.conv).toEqual({ c: 128, k: 3, n: 128, h: 28, w: 28, stride: 2 });
    expect(ghostableConvs('resnet50').has('conv1')).toBe(false);
    expect(ghostableConvs('resnet56_cifar').size).toBe(1 + 54);
    expectLayersMatchCalculator(r);
  });

  it('the paper’s rows: a match where the paper has one, none elsewhere', () => {
    expect(paperRows('vgg16_cifar', 3, 5).ghost).toBeNull();
    expect(paperRows('vgg16_cifar', 3, 5).plain).toMatchObject({ params: '15.0M', accuracy: '93.6' });
    expect(paperRows('vgg16_cifar', 3, 3).ghost).toMatchObject({ params: '5.2M', flops: '107M', accuracy: '93.4' });
    expect(paperRows('resnet56_cifar', 2, 3).ghost).toMatchObject({ params: '0.43M', accuracy: '92.7' });
    expect(paperRows('resnet56_cifar', 2, 1).ghost).toBeNull(); // the row's d is the default, 3
    expect(paperRows('resnet50', 4, 3).ghost).toMatchObject({ flops: '1.2B', accuracy: '74.1 / 91.9' });
    expect(paperRows('ghostnet_100', 2, 3).ghost).toMatchObject({ params: '5.2M', flops: '141M' });
    expect(paperRows('ghostnet-fmnist', 2, 3).all).toEqual([]);
  });

  it('ResNet-50: the MACs print as the paper’s 2.2B / 1.2B, the parameters do not (known gap)', () => {
    for (const s of [2, 4]) {
      const r = ghostifyReferenceNet('resnet50', s, 3);
      const row = paperRows('resnet50', s, 3).ghost!;
      expect(printsAs(r.ghost.macs, row.flops)).toBe(true);
      expect(printsAs(r.ghost.params, row.params)).toBe(false);
    }
  });

  it('bad input: one clear message', () => {
    expect(() => ghostifyReferenceNet('alexnet', 2, 3)).toThrow(/unknown reference net 'alexnet'/);
    expect(() => ghostifyReferenceNet('vgg16_cifar', 2, 4)).toThrow(/d must be odd/);
    expect(() => ghostifyGhostNet('resnet50', 2, 3)).toThrow(/unknown GhostNet for the explorer/);
    expect(() => ghostifyGhostNet('ghostnet_100', 1, 3)).toThrow(/ratio s must be an integer >= 2/);
    expect(() => atPaperPrecision(1, '12')).toThrow(/not a paper count/);
  });
});

describe('ghostify: GhostNets against their plain twins', () => {
  it('ghostnet_100 at s = 2, d = 3 is GhostNet 1.0× itself: 5,182,508 params, 141,150,512 MACs', () => {
    const r = ghostifyGhostNet('ghostnet_100', 2, 3);
    expect(r.ghost).toEqual({ params: 5_182_508, macs: 141_150_512 });
    expect(r.ghost).toEqual(ghostnetCost('ghostnet_100').total);
    // 16 bottlenecks × 2 Ghost modules, all with 1×1 primary convs.
    const replaced = r.layers.filter((l) => l.conv);
    expect(replaced).toHaveLength(32);
    expect(replaced.every((l) => l.conv!.k === 1 && l.conv!.stride === 1)).toBe(true);
    expect(replaced[0]).toMatchObject({ name: 'blocks.0.0.ghost1', conv: { c: 16, n: 16, h: 112, w: 112 } });
    // With k = 1 and d = 3 no module reaches r_s = 2 (facts §6: 1.28× at c = 16, 1.80× at c = 80).
    expect(Math.max(...replaced.map((l) => l.rs))).toBeLessThan(2);
    expectLayersMatchCalculator(r);
  });

  it('other s and d equal `ghostlab cost --arch ARCH --s S --d D`', () => {
    for (const arch of ['ghostnet_100', 'ghostnet-fmnist']) {
      const r = ghostifyGhostNet(arch, 4, 5);
      expect(r.ghost).toEqual(ghostnetCost(arch, { ratio: 4, dwSize: 5 }).total);
      expect(r.input).toEqual(ghostnetCost(arch).input);
    }
    // The Fashion-MNIST twin is the shipped plainnet-fmnist.
    expect(ghostifyGhostNet('ghostnet-fmnist', 3, 3).plain).toEqual(ghostnetCost('plainnet-fmnist').total);
  });
});
