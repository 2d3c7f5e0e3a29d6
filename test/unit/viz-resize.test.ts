import { describe, expect, it } from 'vitest';
import { baseToRGBA, bilinearSource, resizeBilinear, resizeNearest } from '../../src/viz/attention-overlay';
import { channelOf, hwcOf, mapsFromTensor, splitChannels, thumbSize, upscaleNearestRGBA } from '../../src/viz/feature-grid';

const rows = (a: Float32Array, w: number) => Array.from({ length: a.length / w }, (_, r) => Array.from(a.subarray(r * w, (r + 1) * w)));

describe('nearest resize (PyTorch mode="nearest")', () => {
  it('picks floor(i * in / out): the 7 → 3 → 7 trap', () => {
    const src = Float32Array.from({ length: 7 }, (_, i) => i);
    expect(Array.from(resizeNearest(src, 1, 7, 1, 3))).toEqual([0, 2, 4]);
    expect(Array.from(resizeNearest(Float32Array.from([0, 1, 2]), 1, 3, 1, 7))).toEqual([0, 0, 0, 1, 1, 2, 2]);
  });
  it('upsamples 2-D maps by repeating pixels', () => {
    expect(rows(resizeNearest([1, 2, 3, 4], 2, 2, 4, 4), 4)).toEqual([
      [1, 1, 2, 2],
      [1, 1, 2, 2],
      [3, 3, 4, 4],
      [3, 3, 4, 4],
    ]);
  });
  it('is the identity at the same size', () => {
    const src = Float32Array.from({ length: 12 }, (_, i) => i * 1.5);
    expect(Array.from(resizeNearest(src, 3, 4, 3, 4))).toEqual(Array.from(src));
  });
  it('rejects bad sizes', () => {
    expect(() => resizeNearest([1], 1, 1, 0, 3)).toThrow(RangeError);
    expect(() => resizeNearest([1], 2, 2, 3, 3)).toThrow(RangeError);
  });
});

describe('bilinear resize (PyTorch mode="bilinear")', () => {
  it('align_corners=False matches PyTorch on 2×2 → 4×4', () => {
    const out = resizeBilinear([0, 1, 2, 3], 2, 2, 4, 4);
    expect(rows(out, 4)).toEqual([
      [0, 0.25, 0.75, 1],
      [0.5, 0.75, 1.25, 1.5],
      [1.5, 1.75, 2.25, 2.5],
      [2, 2.25, 2.75, 3],
    ]);
  });
  it('align_corners=True keeps the corners', () => {
    const out = resizeBilinear([0, 3], 1, 2, 1, 4, true);
    expect(Array.from(out).map((v) => Math.round(v * 1e6) / 1e6)).toEqual([0, 1, 2, 3]);
    expect(bilinearSource(0, 5, 1, true)).toBe(0);
  });
  it('keeps constants constant and downsamples by averaging neighbours', () => {
    expect(Array.from(resizeBilinear(new Float32Array(9).fill(0.7), 3, 3, 5, 7)).every((v) => Math.abs(v - 0.7) < 1e-6)).toBe(true);
    // 4 → 2 without align_corners samples at 0.5 and 2.5: averages of neighbours
    expect(Array.from(resizeBilinear([0, 1, 2, 3], 1, 4, 1, 2))).toEqual([0.5, 2.5]);
  });
  it('source coordinates follow area_pixel_compute_source_index', () => {
    expect(bilinearSource(0, 2, 4, false)).toBe(0); // -0.25 clamped
    expect(bilinearSource(1, 2, 4, false)).toBe(0.25);
    expect(bilinearSource(3, 7, 3, false)).toBeCloseTo((3.5 * 7) / 3 - 0.5);
  });
});

describe('RGBA helpers', () => {
  it('enlarges RGBA pixels by nearest neighbour', () => {
    const src = Uint8ClampedArray.from([1, 2, 3, 4, 5, 6, 7, 8]); // 2×1
    const dst = new Uint8ClampedArray(4 * 2 * 4); // 4×2
    upscaleNearestRGBA(src, 2, 1, dst, 4, 2);
    const px = (i: number) => Array.from(dst.subarray(i * 4, i * 4 + 4));
    expect([px(0), px(1), px(2), px(3)]).toEqual([[1, 2, 3, 4], [1, 2, 3, 4], [5, 6, 7, 8], [5, 6, 7, 8]]);
    expect(px(4)).toEqual([1, 2, 3, 4]);
    expect(px(7)).toEqual([5, 6, 7, 8]);
  });
  it('turns grey, RGB and float base images into RGBA', () => {
    expect(Array.from(baseToRGBA({ data: Uint8Array.from([0, 255]), width: 2, height: 1, channels: 1 }))).toEqual([0, 0, 0, 255, 255, 255, 255, 255]);
    expect(Array.from(baseToRGBA({ data: [0, 0.5, 1], width: 1, height: 1, channels: 3 }))).toEqual([0, 128, 255, 255]);
    // data outside [0, 255]: its own extent
    expect(Array.from(baseToRGBA({ data: [-2, 2], width: 2, height: 1, channels: 1 })).filter((_, i) => i % 4 === 0)).toEqual([0, 255]);
    expect(() => baseToRGBA({ data: [1], width: 2, height: 1, channels: 1 })).toThrow(RangeError);
    // channels inferred from the length
    expect(Array.from(baseToRGBA({ data: Uint8Array.from([10, 20, 30]), width: 1, height: 1 }))).toEqual([10, 20, 30, 255]);
    expect(Array.from(baseToRGBA({ data: Uint8Array.from([10, 20]), width: 2, height: 1 }))).toEqual([10, 10, 10, 255, 20, 20, 20, 255]);
    expect(() => baseToRGBA({ data: [1, 2], width: 1, height: 1 })).toThrow(RangeError);
  });
});

describe('tensor layout helpers', () => {
  // a 2×3 image with 2 channels: value = 100·c + 10·y + x
  const H = 2, W = 3, C = 2;
  const hwc = new Float32Array(H * W * C);
  const chw = new Float32Array(H * W * C);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) for (let c = 0; c < C; c++) {
    hwc[(y * W + x) * C + c] = 100 * c + 10 * y + x;
    chw[c * H * W + y * W + x] = 100 * c + 10 * y + x;
  }
  it('reads shapes, with an optional batch of 1', () => {
    expect(hwcOf([2, 3, 4], 'HWC')).toEqual([2, 3, 4]);
    expect(hwcOf([4, 2, 3], 'CHW')).toEqual([2, 3, 4]);
    expect(hwcOf([1, 4, 2, 3], 'CHW')).toEqual([2, 3, 4]);
    expect(() => hwcOf([2, 4, 2, 3], 'CHW')).toThrow(RangeError);
  });
  it('splits HWC and CHW the same way', () => {
    const a = splitChannels(hwc, [H, W, C], 'HWC');
    const b = splitChannels(chw, [C, H, W], 'CHW');
    expect(a.map((m) => Array.from(m))).toEqual(b.map((m) => Array.from(m)));
    expect(Array.from(a[1])).toEqual([100, 101, 102, 110, 111, 112]);
    expect(Array.from(channelOf(hwc, [H, W, C], 'HWC', 0))).toEqual([0, 1, 2, 10, 11, 12]);
    expect(() => channelOf(hwc, [H, W, C], 'HWC', 2)).toThrow(RangeError);
    expect(() => splitChannels(hwc.subarray(1), [H, W, C], 'HWC')).toThrow(RangeError);
  });
  it('makes grid maps with groups', () => {
    const maps = mapsFromTensor(chw, [1, C, H, W], 'CHW', { idPrefix: 'L3:', group: (c) => (c < 1 ? 'intrinsic' : 'ghost') });
    expect(maps.map((m) => [m.id, m.group, m.height, m.width])).toEqual([
      ['L3:0', 'intrinsic', 2, 3],
      ['L3:1', 'ghost', 2, 3],
    ]);
    const some = mapsFromTensor(hwc, [H, W, C], 'HWC', { channels: [1] });
    expect(Array.from(some[0].data)).toEqual([100, 101, 102, 110, 111, 112]);
  });
  it('sizes thumbnails by the longer side', () => {
    expect(thumbSize({ height: 7, width: 7 }, 28)).toEqual({ width: 28, height: 28 });
    expect(thumbSize({ height: 1, width: 10 }, 30)).toEqual({ width: 30, height: 3 });
    expect(thumbSize({ height: 0, width: 0 }, 30)).toEqual({ width: 1, height: 1 });
  });
});
