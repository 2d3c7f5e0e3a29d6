import { describe, expect, it } from 'vitest';
import {
  attentionCosts,
  convWindow,
  dfcCost,
  dfcReceptiveField,
  DFC_DEFAULTS,
  ghostModuleCost,
  ghostRatioApprox,
  ghostRatioCurve,
  ghostRatioExact,
  ghostRatioPaperForm,
  GHOST_DEFAULTS,
  GHOST_LIMITS,
  sanitizeInt,
  type ClampNote,
} from '../../src/model/theory';

const close = (a: number, b: number, rel = 1e-12) => expect(Math.abs(a - b)).toBeLessThanOrEqual(rel * Math.max(1, Math.abs(b)));

describe('Ghost module cost (GhostNet §3.1)', () => {
  it('s=2, d=3, c=16, k=3, n=32, h′=w′=8, worked out by hand', () => {
    const r = ghostModuleCost({ s: 2, d: 3, c: 16, k: 3, n: 32, h: 8, w: 8 });
    // m = ceil(32/2) = 16 intrinsic maps; 16·(2−1) = 16 ghost maps; 32 channels, nothing sliced.
    expect(r.m).toBe(16);
    expect(r.ghostComputed).toBe(16);
    expect(r.ghostKept).toBe(16);
    expect(r.sliced).toBe(0);
    expect(r.divides).toBe(true);
    // Ordinary: n·h′·w′·c·k² = 32·8·8·16·9 = 294,912 FLOPs; n·c·k² = 32·16·9 = 4,608 params.
    expect(r.ordinary).toEqual({ flops: 294_912, params: 4_608 });
    // Ghost: 16·64·16·9 = 147,456 + 16·1·64·9 = 9,216 → 156,672 FLOPs;
    //        16·16·9 = 2,304 + 16·1·9 = 144 → 2,448 params.
    expect(r.ghost.primaryFlops).toBe(147_456);
    expect(r.ghost.cheapFlops).toBe(9_216);
    expect(r.ghost.flops).toBe(156_672);
    expect(r.ghost.params).toBe(2_448);
    // r_s = 294,912 / 156,672 = 32/17 (both divided by 9,216); r_c = 4,608 / 2,448 = 32/17 (÷144).
    close(r.rs, 32 / 17);
    close(r.rc, 32 / 17);
    // Paper's form: 16·9 / (½·16·9 + ½·9) = 144 / 76.5 = 32/17; d = k so s·c/(s+c−1) = 32/17 too.
    close(r.paperForm, 32 / 17);
    close(r.approxSc, 32 / 17);
    expect(r.approxS).toBe(2);
    expect(r.wastedFlops).toBe(0);
    expect(r.notes).toEqual([]);
  });

  it('s ∤ n: ceil(n/s) intrinsic maps, the extra ghost map is computed then sliced away', () => {
    const r = ghostModuleCost({ s: 3, d: 3, c: 16, k: 3, n: 32, h: 8, w: 8 });
    // m = ceil(32/3) = 11; 11·2 = 22 ghost maps computed; 33 channels → 1 sliced; 21 ghost kept.
    expect([r.m, r.ghostComputed, r.sliced, r.ghostKept, r.divides]).toEqual([11, 22, 1, 21, false]);
    // Ghost FLOPs: 11·64·144 = 101,376 + 22·64·9 = 12,672 → 114,048; params 1,584 + 198 = 1,782.
    expect(r.ghost.flops).toBe(114_048);
    expect(r.ghost.params).toBe(1_782);
    // r_s = 294,912 / 114,048 = 256/99 (÷1,152); r_c = 4,608 / 1,782 = 256/99 (÷18).
    close(r.rs, 256 / 99);
    close(r.rc, 256 / 99);
    // The paper's form assumes m = n/s: 144 / (48 + 6) = 8/3 > 256/99.
    close(r.paperForm, 8 / 3);
    expect(r.rs).toBeLessThan(r.paperForm);
    // The sliced map costs 1·64·9 = 576 FLOPs; without it: 294,912 / (101,376 + 21·576) = 512/197.
    expect(r.wastedFlops).toBe(576);
    close(r.rsKeptOnly, 512 / 197);
  });

  it('r_c equals r_s exactly (h′w′ cancels), and both equal the paper form when s | n', () => {
    for (const s of [1, 2, 3, 4, 5, 8])
      for (const n of [1, 7, 16, 30, 64, 100])
        for (const [c, k, d] of [
          [3, 3, 3],
          [16, 1, 3],
          [64, 3, 5],
          [100, 5, 1],
        ]) {
          const r = ghostModuleCost({ s, d, c, k, n, h: 13, w: 7 });
          close(r.rc, r.rs, 1e-12);
          close(r.rs, ghostRatioExact(s, c, k, d, n));
          if (n % s === 0) close(r.rs, r.paperForm, 1e-12);
          else expect(r.rs).toBeLessThanOrEqual(r.paperForm * (1 + 1e-12));
          expect(r.paperForm).toBeLessThanOrEqual(s * (1 + 1e-12));
        }
  });

  it('the approximations: s·c/(s+c−1) is the paper form with d = k, and tends to s as c grows', () => {
    close(ghostRatioPaperForm(4, 64, 3, 3), ghostRatioApprox(4, 64));
    // s = 2, c = 1000: 2000/1001.
    close(ghostRatioApprox(2, 1000), 2000 / 1001);
    expect(Math.abs(ghostRatioApprox(4, 1e6) - 4)).toBeLessThan(1e-4);
    // GhostNet's own 1×1 primary conv with d = 3: r = s·c/(c + 9(s−1)); c = 16, s = 2 → 32/25.
    close(ghostRatioPaperForm(2, 16, 1, 3), 32 / 25);
  });

  it('d > k can make the Ghost module more expensive (r_s < 1)', () => {
    // s=2, d=5, c=4, k=1, n=4, 1×1 output: ordinary 4·4 = 16; Ghost 2·4 + 2·25 = 58 → 8/29.
    const r = ghostModuleCost({ s: 2, d: 5, c: 4, k: 1, n: 4, h: 1, w: 1 });
    expect(r.ordinary.flops).toBe(16);
    expect(r.ghost.flops).toBe(58);
    close(r.rs, 8 / 29);
    close(r.paperForm, 8 / 29);
    close(r.approxSc, 8 / 5);
  });

  it('s = 1 is the ordinary conv: no ghost maps, every ratio is 1', () => {
    const r = ghostModuleCost({ ...GHOST_DEFAULTS, s: 1 });
    expect([r.m, r.ghostComputed, r.sliced]).toEqual([GHOST_DEFAULTS.n, 0, 0]);
    expect([r.rs, r.rc, r.paperForm, r.approxSc, r.approxS]).toEqual([1, 1, 1, 1, 1]);
  });

  it('n < s: one intrinsic map, s−1 ghost maps, n−1 kept', () => {
    const r = ghostModuleCost({ s: 5, d: 3, c: 8, k: 3, n: 2, h: 4, w: 4 });
    expect([r.m, r.ghostComputed, r.ghostKept, r.sliced]).toEqual([1, 4, 1, 3]);
  });

  it('sanitises anything a reader can type, with a note for each change', () => {
    const r = ghostModuleCost({ s: '', d: 'abc', c: -5, k: 2.4, n: 1e9, h: Number.POSITIVE_INFINITY, w: Number.NaN });
    expect(r.inputs).toEqual({ s: GHOST_DEFAULTS.s, d: GHOST_DEFAULTS.d, c: 1, k: 2, n: GHOST_LIMITS.n.max, h: GHOST_LIMITS.h.max, w: GHOST_DEFAULTS.w });
    const reasons = Object.fromEntries(r.notes.map((n) => [n.param, n.reason]));
    expect(reasons).toEqual({ s: 'not-a-number', d: 'not-a-number', c: 'below-min', k: 'rounded', n: 'above-max', h: 'above-max', w: 'not-a-number' });
    for (const v of [r.rs, r.rc, r.paperForm, r.approxSc, r.ghost.flops, r.ordinary.flops]) expect(Number.isFinite(v)).toBe(true);
  });

  it('strings as typed in a number box: "3" is 3, " 7 " is 7, "2.5" rounds to 3, "1e3" is 1000', () => {
    const notes: ClampNote[] = [];
    const lim = { min: 1, max: 10_000 };
    expect(sanitizeInt('x', '3', lim, 9, notes)).toBe(3);
    expect(sanitizeInt('x', ' 7 ', lim, 9, notes)).toBe(7);
    expect(notes).toEqual([]);
    expect(sanitizeInt('x', '2.5', lim, 9, notes)).toBe(3);
    expect(sanitizeInt('x', '1e3', lim, 9, notes)).toBe(1000);
    expect(sanitizeInt('x', null, lim, 9, notes)).toBe(9);
    expect(sanitizeInt('x', '0', lim, 9, notes)).toBe(1);
    expect(notes.map((n) => n.reason)).toEqual(['rounded', 'not-a-number', 'below-min']);
  });

  it('never produces NaN or Infinity, even at the limits or for random junk', () => {
    const max = Object.fromEntries(Object.entries(GHOST_LIMITS).map(([k, l]) => [k, l.max]));
    const min = Object.fromEntries(Object.entries(GHOST_LIMITS).map(([k, l]) => [k, l.min]));
    const junk = ['', '-', 'e', '1e309', '-1e309', '0x10', ' ', '1,000', '∞', -0, 0.49, 1e-9, 1e300];
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const cases: Record<string, unknown>[] = [max, min];
    for (let i = 0; i < 300; i++) {
      const c: Record<string, unknown> = {};
      for (const k of Object.keys(GHOST_LIMITS)) c[k] = rand() < 0.3 ? junk[Math.floor(rand() * junk.length)] : Math.floor(rand() * 2e4) - 5e3;
      cases.push(c);
    }
    for (const c of cases) {
      const r = ghostModuleCost(c);
      for (const v of [r.rs, r.rc, r.rsKeptOnly, r.paperForm, r.approxSc, r.ghost.flops, r.ghost.params, r.ordinary.flops, r.ordinary.params]) {
        expect(Number.isFinite(v), JSON.stringify(c)).toBe(true);
        expect(v).toBeGreaterThan(0);
      }
    }
  });

  it('the r_s-against-s curve: exact dots for the given n, and the closed forms', () => {
    const pts = ghostRatioCurve(6, 16, 3, 3, 32);
    expect(pts.map((p) => p.s)).toEqual([1, 2, 3, 4, 5, 6]);
    close(pts[1].exact, 32 / 17);
    close(pts[2].exact, 256 / 99);
    close(pts[2].paperForm, 8 / 3);
    expect(ghostRatioCurve(1e9, 16, 3, 3, 32)).toHaveLength(GHOST_LIMITS.s.max);
    expect(ghostRatioCurve(Number.NaN, 16, 3, 3, 32)).toHaveLength(1);
  });
});

describe('DFC attention costs (GhostNetV2 §4.1)', () => {
  it('the defaults (14 × 14 × 200, K = 5), by hand', () => {
    const r = dfcCost(DFC_DEFAULTS);
    // HW = 196. Full FC: 200·196² = 200·38,416 = 7,683,200.
    expect(r.full.fc).toBe(7_683_200);
    // Decoupled FC: 200·(14²·14 + 14·14²) = 200·5,488 = 1,097,600.
    expect(r.full.decoupledFc).toBe(1_097_600);
    // Depthwise: 200·(5·196 + 5·196) = 392,000.
    expect(r.full.dfcConv).toBe(392_000);
    // Self-attention: 2·196²·200 = 15,366,400 + 4·196·200² = 31,360,000.
    expect(r.full.selfAttentionScores).toBe(15_366_400);
    expect(r.full.selfAttentionProjections).toBe(31_360_000);
    expect(r.full.selfAttention).toBe(46_726_400);
    // DFC's own 1×1 conv: 196·200² = 7,840,000; with the two passes 8,232,000.
    expect(r.full.dfcProjection).toBe(7_840_000);
    expect(r.full.dfcWithProjection).toBe(8_232_000);
    close(r.ratios.fcOverDfcConv, 19.6);
    close(r.ratios.fcOverDecoupled, 7);
    // Down-sampled branch 7 × 7: FC 200·49² = 480,200; DFC 200·10·49 = 98,000; 4× cheaper.
    expect(r.downsampled?.H).toBe(7);
    expect(r.downsampled?.fc).toBe(480_200);
    expect(r.downsampled?.dfcConv).toBe(98_000);
    close(r.ratios.fullOverDownsampledDfcConv ?? 0, 4);
  });

  it('a non-square map with unequal kernels', () => {
    // H=4, W=6, C=3, K_H=3, K_W=1: HW = 24.
    const a = attentionCosts(4, 6, 3, 3, 1);
    expect(a.fc).toBe(3 * 24 * 24); // 1,728
    expect(a.decoupledFc).toBe(3 * (16 * 6 + 4 * 36)); // 720
    expect(a.dfcConv).toBe(3 * (3 * 24 + 1 * 24)); // 288
    expect(a.selfAttention).toBe(2 * 576 * 3 + 4 * 24 * 9); // 3,456 + 864
    // Odd sizes floor: 5 × 7 → 2 × 3.
    const r = dfcCost({ H: 5, W: 7, C: 3, KH: 3, KW: 1 });
    expect([r.downsampled?.H, r.downsampled?.W]).toEqual([2, 3]);
  });

  it('no down-sampled branch below 2 × 2, and junk inputs are clamped', () => {
    expect(dfcCost({ H: 1, W: 9 }).downsampled).toBeNull();
    const r = dfcCost({ H: 'x', W: -3, C: 1e12, KH: 0, KW: 2.6 });
    expect(r.inputs).toEqual({ H: DFC_DEFAULTS.H, W: 1, C: 8192, KH: 1, KW: 3 });
    expect(r.notes).toHaveLength(5);
    for (const v of Object.values(r.ratios)) if (v !== null) expect(Number.isFinite(v)).toBe(true);
  });
});

describe('DFC against self-attention and FC attention: both sides counted alike', () => {
  it('at the defaults, mixing only and with projections give different, honest ratios', () => {
    const r = dfcCost(DFC_DEFAULTS);
    // Mixing only: QKᵀ and A·V (15,366,400) ÷ two 5-tap passes (392,000) = 39.2.
    close(r.ratios.selfAttentionOverDfcMixing, 39.2);
    // With projections: 46,726,400 ÷ 8,232,000 = 5,840.8 / 1,029 ≈ 5.676.
    close(r.ratios.selfAttentionOverDfcWithProjections, 46_726_400 / 8_232_000);
    expect(r.ratios.selfAttentionOverDfcWithProjections).toBeLessThan(6);
    expect(r.comparisons.map((c) => [c.against, c.counted])).toEqual([
      ['self-attention', 'mixing'],
      ['self-attention', 'with-projections'],
      ['fc', 'mixing'],
    ]);
    expect(r.comparisons.map((c) => [c.dfc, c.other])).toEqual([
      [392_000, 15_366_400],
      [8_232_000, 46_726_400],
      [392_000, 7_683_200],
    ]);
    // Every comparison pits like against like: the unfair mix (SA with projections ÷ DFC without)
    // is not among them.
    for (const c of r.comparisons) close(c.ratio, c.other / c.dfc);
    expect(r.comparisons.some((c) => c.other === r.full.selfAttention && c.dfc === r.full.dfcConv)).toBe(false);
  });

  it('a 7 × 7 input pools to 3 × 3, where DFC’s 5-tap passes cost more than full FC attention', () => {
    const r = dfcCost({ H: 7, W: 7, C: 160, KH: 5, KW: 5 });
    expect([r.downsampled?.H, r.downsampled?.W]).toEqual([3, 3]);
    const fc = r.downsampledComparisons.find((c) => c.against === 'fc')!;
    // 160·(5 + 5)·9 = 14,400 against 160·9² = 12,960.
    expect([fc.dfc, fc.other]).toEqual([14_400, 12_960]);
    expect(fc.ratio).toBeLessThan(1);
    // At 7 × 7 itself DFC is still cheaper than FC attention (49 > 10 taps).
    expect(r.comparisons.find((c) => c.against === 'fc')!.ratio).toBeGreaterThan(1);
  });

  it('DFC costs more exactly when K_H + K_W exceeds HW (FC) or 2·HW (self-attention, mixing)', () => {
    for (const [H, W, KH, KW] of [
      [1, 1, 1, 1],
      [2, 2, 3, 3],
      [3, 3, 5, 5],
      [4, 5, 15, 15],
      [14, 14, 5, 5],
    ]) {
      const a = attentionCosts(H, W, 8, KH, KW);
      expect(a.dfcConv > a.fc, `${H}×${W} K=${KH}+${KW}`).toBe(KH + KW > H * W);
      expect(a.dfcConv > a.selfAttentionScores).toBe(KH + KW > 2 * H * W);
    }
  });
});

describe('DFC receptive field', () => {
  const key = (cells: [number, number][]) => cells.map(([r, c]) => `${r},${c}`).sort();

  it('depthwise, paper order: a K_H column segment, then a K_H × K_W rectangle', () => {
    const rf = dfcReceptiveField(7, 7, 3, 4, { mode: 'dw', KH: 3, KW: 3 });
    expect(rf.firstAxis).toBe('H');
    expect(key(rf.first)).toEqual(key([[2, 4], [3, 4], [4, 4]]));
    const rect: [number, number][] = [];
    for (let r = 2; r <= 4; r++) for (let c = 3; c <= 5; c++) rect.push([r, c]);
    expect(key(rf.second)).toEqual(key(rect));
  });

  it('depthwise, official-code order (Conv(1,K) first): a row segment first, same rectangle after', () => {
    const rf = dfcReceptiveField(7, 7, 3, 4, { mode: 'dw', KH: 3, KW: 5, order: 'code' });
    expect(rf.firstAxis).toBe('W');
    expect(key(rf.first)).toEqual(key([[3, 2], [3, 3], [3, 4], [3, 5], [3, 6]]));
    const paper = dfcReceptiveField(7, 7, 3, 4, { mode: 'dw', KH: 3, KW: 5, order: 'paper' });
    expect(key(rf.second)).toEqual(key(paper.second));
    expect(rf.second).toHaveLength(15);
  });

  it('FC layers: the whole column, then the whole map', () => {
    const rf = dfcReceptiveField(5, 6, 1, 2, { mode: 'fc', KH: 3, KW: 3 });
    expect(key(rf.first)).toEqual(key([0, 1, 2, 3, 4].map((r) => [r, 2] as [number, number])));
    expect(rf.second).toHaveLength(30);
    const code = dfcReceptiveField(5, 6, 1, 2, { mode: 'fc', KH: 3, KW: 3, order: 'code' });
    expect(key(code.first)).toEqual(key([0, 1, 2, 3, 4, 5].map((c) => [1, c] as [number, number])));
  });

  it('clips at the border (zero padding), handles even kernels like PyTorch padding K//2, clamps the pixel', () => {
    const corner = dfcReceptiveField(8, 8, 0, 0, { mode: 'dw', KH: 5, KW: 5 });
    expect(corner.second).toHaveLength(9); // rows 0..2 × cols 0..2
    // K = 4, padding 2: output x reads x−2 … x+1.
    expect(convWindow(3, 4, 7)).toEqual([1, 4]);
    expect(convWindow(3, 5, 7)).toEqual([1, 5]);
    expect(convWindow(0, 1, 7)).toEqual([0, 0]);
    const far = dfcReceptiveField(4, 4, 100, -3, { mode: 'dw', KH: 1, KW: 1 });
    expect([far.i, far.j]).toEqual([3, 0]);
    expect(key(far.second)).toEqual(['3,0']);
    const bad = dfcReceptiveField(Number.NaN, 0, Number.NaN, 2, { mode: 'dw', KH: Number.NaN, KW: 0 });
    expect(bad.second).toEqual([[0, 0]]);
  });
});
