import { describe, expect, it } from 'vitest';
import { costReferenceNet, PAPER_TABLE, REFERENCE_NETS, type ReferenceNetOptions } from '../../src/model/reference-nets';
import type { CostReport } from '../../src/model/cost-types';

/** Does `value` print as the paper's `printed` ("7.7M", "0.43M", "313M", "4.1B")? */
function printsAs(value: number, printed: string): boolean {
  const m = /^([\d.]+)([MB])$/.exec(printed);
  if (!m) throw new Error(`bad paper number ${printed}`);
  const decimals = m[1].includes('.') ? m[1].split('.')[1].length : 0;
  const scale = m[2] === 'M' ? 1e6 : 1e9;
  return (value / scale).toFixed(decimals) === Number(m[1]).toFixed(decimals);
}

const convMacs = (r: CostReport) => r.layers.filter((l) => !l.kind.startsWith('linear')).reduce((a, l) => a + l.macs, 0);
const sum = (r: CostReport, key: 'params' | 'macs') => r.layers.reduce((a, l) => a + l[key], 0);

describe('reference nets, plain', () => {
  it('the plain rows of the paper’s tables', () => {
    for (const row of PAPER_TABLE.filter((r) => !r.ghost)) {
      const r = costReferenceNet(row.arch);
      expect(printsAs(r.total.params, row.params), `${row.arch} ${r.total.params}`).toBe(true);
      expect(printsAs(r.total.macs, row.flops), `${row.arch} ${r.total.macs}`).toBe(true);
    }
  });

  it('VGG-16 (CIFAR): hand count = the paper’s 15.0M weights / 313M FLOPs', () => {
    const r = costReferenceNet('vgg16_cifar');
    // Conv weights: 3·64·9 + 64·64·9 + 64·128·9 + 128·128·9 + 128·256·9 + 2·256·256·9 + 256·512·9
    //   + 2·512·512·9 + 3·512·512·9 = 14,710,464; BN: 2·(2·64 + 2·128 + 3·256 + 6·512) = 8,448;
    //   classifier Linear(512,512) 262,656 + BN1d 1,024 + Linear(512,10) 5,130.
    expect(r.total.params).toBe(14_710_464 + 8_448 + 262_656 + 1_024 + 5_130);
    // Conv MACs at 32/16/8/4/2: 313,196,544; linear 262,144 + 5,120.
    expect(convMacs(r)).toBe(313_196_544);
    expect(r.total.macs).toBe(313_196_544 + 262_144 + 5_120);
    expect(printsAs(r.total.params, '15.0M')).toBe(true);
    expect(printsAs(r.total.macs, '313M')).toBe(true);
    expect(r.input).toEqual([32, 32, 3]);
    expect(r.layers.at(-1)?.outShape).toEqual([1, 1, 10]);
  });

  it('ResNet-56 (CIFAR): 853,018 params (0.85M), 125M FLOPs', () => {
    const r = costReferenceNet('resnet56_cifar');
    // conv1 432 + BN 32; stage 1: 18·2,304 + 18·32; stage 2: 4,608 + 17·9,216 + 18·64;
    // stage 3: 18,432 + 17·36,864 + 18·128; fc 650. Option-A shortcuts have no parameters.
    expect(r.total.params).toBe(432 + 32 + 18 * 2304 + 18 * 32 + 4608 + 17 * 9216 + 18 * 64 + 18432 + 17 * 36864 + 18 * 128 + 650);
    expect(printsAs(r.total.params, '0.85M')).toBe(true);
    expect(printsAs(r.total.macs, '125M')).toBe(true);
    expect(r.layers.find((l) => l.name === 'layer3.8.conv2')?.outShape).toEqual([8, 8, 64]);
  });

  it('ResNet-50: torchvision’s 25,557,032 params (25.6M), 4.1B FLOPs', () => {
    const r = costReferenceNet('resnet50');
    expect(r.total.params).toBe(25_557_032);
    expect(printsAs(r.total.params, '25.6M')).toBe(true);
    expect(printsAs(r.total.macs, '4.1B')).toBe(true);
    expect(r.layers.find((l) => l.name === 'layer4.2.conv3')?.outShape).toEqual([7, 7, 2048]);
  });

  it('totals are the sums of the layers; every layer has a sane shape', () => {
    for (const arch of REFERENCE_NETS)
      for (const opts of [{}, { ghost: true, s: 3, d: 5 }] as ReferenceNetOptions[]) {
        const r = costReferenceNet(arch, opts);
        expect(r.total).toEqual({ params: sum(r, 'params'), macs: sum(r, 'macs') });
        for (const l of r.layers) {
          expect(l.outShape).toHaveLength(3);
          expect(Number.isInteger(l.params) && Number.isInteger(l.macs)).toBe(true);
        }
      }
  });
});

describe('Ghost-VGG-16 (paper ablations, CIFAR-10)', () => {
  // The paper's FLOPs are reproduced by the convolutions' MACs; with the classifier's 0.27M
  // added, two rows print one higher (see src/model/reference-nets.ts).
  for (const row of PAPER_TABLE.filter((r) => r.arch === 'vgg16_cifar' && r.ghost)) {
    it(`s = ${row.s}, d = ${row.d}: ${row.params} weights, ${row.flops} FLOPs`, () => {
      const r = costReferenceNet('vgg16_cifar', { ghost: true, s: row.s, d: row.d });
      expect(printsAs(r.total.params, row.params), `${r.total.params}`).toBe(true);
      expect(printsAs(convMacs(r), row.flops), `${convMacs(r)}`).toBe(true);
      expect(Math.abs(r.total.macs - Number.parseFloat(row.flops) * 1e6)).toBeLessThan(0.7e6);
    });
  }

  it('with the classifier MACs counted, d = 7 and s = 5 print one higher than the paper', () => {
    expect(printsAs(costReferenceNet('vgg16_cifar', { ghost: true, s: 2, d: 7 }).total.macs, '164M')).toBe(true);
    expect(printsAs(costReferenceNet('vgg16_cifar', { ghost: true, s: 5, d: 3 }).total.macs, '66M')).toBe(true);
  });

  it('the first conv is Ghost-ified: kept plain, the d = 1 row would be 158M, not 157M', () => {
    const plainFirst = costReferenceNet('vgg16_cifar', { ghost: true, s: 2, d: 1, ghostFirstConv: false });
    expect(printsAs(convMacs(plainFirst), '158M')).toBe(true);
  });

  it('a Ghost module by hand: the first conv 3 → 64 at s = 2, d = 3 on 32 × 32', () => {
    const r = costReferenceNet('vgg16_cifar', { ghost: true, s: 2, d: 3 });
    const [primary, cheap] = r.layers;
    // primary: Conv(3, 32, 3×3) + BN(32): 864 + 64 params; 32·32·32·27 = 884,736 MACs.
    expect(primary).toEqual({ name: 'features.0.primary_conv', kind: 'ghost-primary', outShape: [32, 32, 32], params: 928, macs: 884_736 });
    // cheap: depthwise 3×3, 32 → 32 + BN(32): 288 + 64 params; 32·32·32·9 = 294,912 MACs.
    expect(cheap).toEqual({ name: 'features.0.cheap_operation', kind: 'ghost-cheap', outShape: [32, 32, 32], params: 352, macs: 294_912 });
  });
});

describe('Ghost-ResNet-56 and Ghost-ResNet-50', () => {
  it('Ghost-ResNet-56, s = 2: the paper’s 0.43M / 63M match d = 1 (or d = 3 without the cheap op); d = 3 gives 0.44M / 65M', () => {
    const d1 = costReferenceNet('resnet56_cifar', { ghost: true, s: 2, d: 1 });
    expect(printsAs(d1.total.params, '0.43M')).toBe(true);
    expect(printsAs(d1.total.macs, '63M')).toBe(true);
    const d3 = costReferenceNet('resnet56_cifar', { ghost: true, s: 2, d: 3 });
    expect(printsAs(d3.total.params, '0.44M')).toBe(true);
    expect(printsAs(d3.total.macs, '65M')).toBe(true);
    const cheap = d3.layers.filter((l) => l.kind === 'ghost-cheap');
    const withoutCheap = { params: d3.total.params - cheap.reduce((a, l) => a + l.params, 0), macs: d3.total.macs - cheap.reduce((a, l) => a + l.macs, 0) };
    expect(printsAs(withoutCheap.params, '0.43M')).toBe(true);
    expect(printsAs(withoutCheap.macs, '63M')).toBe(true);
  });

  it('Ghost-ResNet-50 (stem kept, d = 3): FLOPs 2.2B (s = 2) and 1.2B (s = 4) as in the paper', () => {
    const s2 = costReferenceNet('resnet50', { ghost: true, s: 2, d: 3 });
    const s4 = costReferenceNet('resnet50', { ghost: true, s: 4, d: 3 });
    expect(printsAs(s2.total.macs, '2.2B')).toBe(true);
    expect(printsAs(s4.total.macs, '1.2B')).toBe(true);
    expect(s2.layers[0]).toMatchObject({ name: 'conv1', kind: 'conv', params: 64 * 3 * 49 + 128 });
    expect(s2.layers.some((l) => l.name === 'layer1.0.downsample.primary_conv')).toBe(true);
  });

  it('Ghost-ResNet-50 params do not reproduce the paper’s 13.0M / 6.5M (documented): 14.0M / 8.2M', () => {
    const s2 = costReferenceNet('resnet50', { ghost: true, s: 2, d: 3 });
    const s4 = costReferenceNet('resnet50', { ghost: true, s: 4, d: 3 });
    expect(printsAs(s2.total.params, '14.0M')).toBe(true);
    expect(printsAs(s4.total.params, '8.2M')).toBe(true);
    // The kept Linear(2048, 1000) alone is 2,049,000 of them.
    expect(s2.layers.at(-1)).toMatchObject({ name: 'fc', params: 2_049_000 });
  });
});

describe('options and errors', () => {
  it('s = 1 Ghost modules have no cheap operation and cost the same MACs as the convs they replace', () => {
    const plain = costReferenceNet('resnet56_cifar');
    const g = costReferenceNet('resnet56_cifar', { ghost: true, s: 1 });
    expect(g.layers.some((l) => l.kind === 'ghost-cheap')).toBe(false);
    expect(g.total.macs).toBe(plain.total.macs);
  });

  it('odd output channels: ceil(n/s) intrinsic maps', () => {
    const r = costReferenceNet('resnet56_cifar', { ghost: true, s: 3, d: 3 });
    const first = r.layers.find((l) => l.name === 'layer1.0.conv1.primary_conv');
    expect(first?.outShape).toEqual([32, 32, 6]); // ceil(16/3)
    expect(r.layers.find((l) => l.name === 'layer1.0.conv1.cheap_operation')?.outShape).toEqual([32, 32, 12]);
  });

  it('other input sizes', () => {
    expect(costReferenceNet('resnet50', { input: 256 }).layers.find((l) => l.name === 'avgpool')?.outShape).toEqual([1, 1, 2048]);
    expect(costReferenceNet('resnet56_cifar', { input: 64 }).total.macs).toBeGreaterThan(4 * 125e6 - 1e6);
  });

  it('rejects bad input with one clear line', () => {
    expect(() => costReferenceNet('vgg19')).toThrow(/unknown reference net 'vgg19'/);
    expect(() => costReferenceNet('vgg16_cifar', { ghost: true, s: 0 })).toThrow(/s must be an integer/);
    expect(() => costReferenceNet('vgg16_cifar', { ghost: true, d: 4 })).toThrow(/d must be odd/);
    expect(() => costReferenceNet('vgg16_cifar', { ghost: true, s: 2.5 })).toThrow(/s must be an integer/);
    expect(() => costReferenceNet('vgg16_cifar', { input: 16 })).toThrow(/too small/);
    expect(() => costReferenceNet('resnet50', { input: Number.NaN })).toThrow(/input must be an integer/);
  });
});
