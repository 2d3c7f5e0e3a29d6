import { describe, expect, it } from 'vitest';
import { preprocessGray, preprocessImage, resizeBilinear, resolveConfig, toChannels, type RgbaImage } from '../../src/model/index.js';

function solid(w: number, h: number, rgba: [number, number, number, number]): RgbaImage {
  const data = new Uint8Array(w * h * 4);
  for (let i = 0; i < w * h; i++) data.set(rgba, i * 4);
  return { width: w, height: h, data };
}

describe('preprocessing', () => {
  it('bilinear resize keeps constants constant, is the identity at the same size, and averages when shrinking', () => {
    const c = new Float32Array(37 * 23).fill(100);
    expect([...resizeBilinear(c, 37, 23, 1, 10, 7)].every((v) => Math.abs(v - 100) < 1e-9)).toBe(true);
    const r = Float32Array.from({ length: 12 }, (_, i) => i);
    expect(resizeBilinear(r, 4, 3, 1, 4, 3)).toEqual(r);
    // 4 → 2 along x: each output is the mean-ish of two inputs (triangle filter of width 2)
    const row = Float32Array.from([0, 0, 100, 100]);
    const half = resizeBilinear(row, 4, 1, 1, 2, 1);
    expect(half[0]).toBeLessThan(30);
    expect(half[1]).toBeGreaterThan(70);
  });

  it('Fashion-MNIST: 28×28 grey bytes → (v/255 − mean)/std', () => {
    const pp = resolveConfig('ghostnet-fmnist').preprocess;
    const bytes = Uint8Array.from({ length: 784 }, (_, i) => i % 256);
    const x = preprocessGray(bytes, 28, 28, pp, [28, 28, 1]);
    expect(x.length).toBe(784);
    expect(x[300]).toBeCloseTo((300 % 256) / 255 / 1 - 0, 0);
    expect(x[300]).toBeCloseTo(((300 % 256) / 255 - 0.286) / 0.353, 5);
  });

  it('RGBA → luma, alpha composited on black, resized (shorter side) and centre-cropped', () => {
    const pp = resolveConfig('ghostnet-fmnist').preprocess;
    const img = solid(56, 112, [255, 255, 255, 255]);
    const x = preprocessImage(img, pp, [28, 28, 1]);
    expect(x.length).toBe(784);
    expect(x[0]).toBeCloseTo((1 - 0.286) / 0.353, 4);
    const transparent = preprocessImage(solid(28, 28, [255, 255, 255, 0]), pp, [28, 28, 1]);
    expect(transparent[0]).toBeCloseTo((0 - 0.286) / 0.353, 5);
    expect([...toChannels(solid(1, 1, [10, 20, 30, 255]), 1)][0]).toBeCloseTo(0.299 * 10 + 0.587 * 20 + 0.114 * 30, 4);
  });

  it('ImageNet: RGB with per-channel mean/std, resize 256 → crop 224', () => {
    const pp = resolveConfig('ghostnet_100').preprocess;
    const x = preprocessImage(solid(300, 400, [255, 0, 128, 255]), pp, [224, 224, 3]);
    expect(x.length).toBe(224 * 224 * 3);
    expect(x[0]).toBeCloseTo((1 - 0.485) / 0.229, 4);
    expect(x[1]).toBeCloseTo((0 - 0.456) / 0.224, 4);
    expect(x[2]).toBeCloseTo((128 / 255 - 0.406) / 0.225, 4);
  });

  it('centre crop picks the middle of a stripe image', () => {
    const pp = { resize: 4, crop: 2, grayscale: true, mean: [0], std: [1] };
    // 8×4 image, columns 0..7 with values 0,32,...: resized to 8×4 (shorter side 4) then crop cols 3..4, rows 1..2
    const data = new Uint8Array(8 * 4 * 4);
    for (let y = 0; y < 4; y++) for (let x = 0; x < 8; x++) data.set([x * 32, x * 32, x * 32, 255], (y * 8 + x) * 4);
    const out = preprocessImage({ width: 8, height: 4, data }, pp, [2, 2, 1]);
    expect(out[0]! * 255).toBeCloseTo(96, 3);
    expect(out[1]! * 255).toBeCloseTo(128, 3);
  });
});
