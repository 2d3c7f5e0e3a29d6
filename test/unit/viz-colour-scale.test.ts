import { describe, expect, it } from 'vitest';
import {
  colourLUT,
  colourOf,
  domainOf,
  domainsByMode,
  extentOf,
  mergeExtents,
  normalise,
  paintValues,
  resolveKind,
  toDomain,
} from '../../src/viz/colour-scale';

describe('extentOf', () => {
  it('skips NaN and ±Infinity and counts them', () => {
    expect(extentOf([3, NaN, -2, Infinity, -Infinity, 1])).toEqual({ min: -2, max: 3, count: 3, nonFinite: 3 });
  });
  it('is null without finite values', () => {
    expect(extentOf([])).toBeNull();
    expect(extentOf([NaN, Infinity])).toBeNull();
  });
  it('respects a sub-range', () => {
    expect(extentOf(Float32Array.from([9, 1, 2, 9]), 1, 3)).toEqual({ min: 1, max: 2, count: 2, nonFinite: 0 });
  });
  it('merges', () => {
    expect(mergeExtents([extentOf([1, 2]), null, extentOf([-5, 0])])).toEqual({ min: -5, max: 2, count: 4, nonFinite: 0 });
    expect(mergeExtents([null, null])).toBeNull();
  });
});

describe('domains', () => {
  it('is diverging and symmetric around 0 for signed data', () => {
    const d = domainOf([Float32Array.from([-0.5, 2, 1])]);
    expect(d).toEqual({ kind: 'diverging', min: -2, max: 2 });
    expect(normalise(0, d)).toBe(0.5);
  });
  it('is sequential over the extent for non-negative data', () => {
    expect(domainOf([[0, 3, 1]])).toEqual({ kind: 'sequential', min: 0, max: 3 });
    expect(domainOf([[2, 3]], { includeZero: true })).toEqual({ kind: 'sequential', min: 0, max: 3 });
  });
  it('never divides by zero on constant maps', () => {
    for (const c of [0, 0.25, -4, 1e-30]) {
      for (const kind of ['sequential', 'diverging'] as const) {
        const d = toDomain(extentOf([c, c, c]), kind);
        expect(d.max).toBeGreaterThan(d.min);
        expect(Number.isFinite(normalise(c, d))).toBe(true);
      }
    }
    expect(toDomain(extentOf([0, 0]), 'sequential')).toEqual({ kind: 'sequential', min: 0, max: 1 });
    expect(toDomain(extentOf([0, 0]), 'diverging')).toEqual({ kind: 'diverging', min: -1, max: 1 });
    // a constant positive map sits mid-scale
    expect(normalise(0.25, toDomain(extentOf([0.25]), 'sequential'))).toBeCloseTo(0.5);
  });
  it('handles all-NaN maps', () => {
    expect(toDomain(extentOf([NaN, NaN]), 'sequential')).toEqual({ kind: 'sequential', min: 0, max: 1 });
    expect(resolveKind(null)).toBe('sequential');
  });
  it('picks domains per map, per layer and globally', () => {
    const layers = [
      [[0, 1], [0, 4]],
      [[-1, 2]],
    ];
    const local = domainsByMode(layers, 'local');
    // one kind for everything (there is a negative value somewhere): diverging
    expect(local.flat().every((d) => d.kind === 'diverging')).toBe(true);
    expect(local[0].map((d) => d.max)).toEqual([1, 4]);
    expect(local[1][0]).toEqual({ kind: 'diverging', min: -2, max: 2 });
    const layer = domainsByMode(layers, 'layer');
    expect(layer[0]).toEqual([{ kind: 'diverging', min: -4, max: 4 }, { kind: 'diverging', min: -4, max: 4 }]);
    expect(layer[1]).toEqual([{ kind: 'diverging', min: -2, max: 2 }]);
    const global = domainsByMode(layers, 'global');
    expect(global.flat()).toEqual([{ kind: 'diverging', min: -4, max: 4 }, { kind: 'diverging', min: -4, max: 4 }, { kind: 'diverging', min: -4, max: 4 }]);
    // a forced kind
    expect(domainsByMode([[[1, 3]]], 'local', { kind: 'diverging' })[0][0]).toEqual({ kind: 'diverging', min: -3, max: 3 });
  });
  it('keeps the shape of the input, empty layers included', () => {
    expect(domainsByMode([[], [[1]]], 'layer').map((l) => l.length)).toEqual([0, 1]);
  });
});

describe('normalise and colours', () => {
  const d = { kind: 'sequential' as const, min: 0, max: 10 };
  it('clamps and keeps NaN', () => {
    expect(normalise(-5, d)).toBe(0);
    expect(normalise(50, d)).toBe(1);
    expect(normalise(Infinity, d)).toBe(1);
    expect(normalise(-Infinity, d)).toBe(0);
    expect(normalise(NaN, d)).toBeNaN();
  });
  it('builds lookup tables of the right orientation', () => {
    const greys = colourLUT('greys');
    expect(greys.length).toBe(256 * 4);
    expect(greys[0]).toBeLessThan(10); // low = black
    expect(greys[255 * 4]).toBeGreaterThan(245); // high = white
    const rdbu = colourLUT('rdbu');
    expect(rdbu[2]).toBeGreaterThan(rdbu[0]); // low end blue
    expect(rdbu[255 * 4]).toBeGreaterThan(rdbu[255 * 4 + 2]); // high end red
    const mid = rdbu.subarray(127 * 4, 128 * 4);
    expect(Math.min(mid[0], mid[1], mid[2])).toBeGreaterThan(230); // white-ish at 0
    expect(colourLUT('greys')).toBe(greys); // cached
  });
  it('paints values into RGBA with NaN colour and clamping', () => {
    const lut = colourLUT('greys');
    const out = new Uint8ClampedArray(5 * 4);
    paintValues(out, [0, 10, NaN, 99, -Infinity], d, lut, { nan: [1, 2, 3, 4] });
    expect(Array.from(out.subarray(0, 4))).toEqual(Array.from(lut.subarray(0, 4)));
    expect(Array.from(out.subarray(4, 8))).toEqual(Array.from(lut.subarray(255 * 4, 256 * 4)));
    expect(Array.from(out.subarray(8, 12))).toEqual([1, 2, 3, 4]);
    expect(Array.from(out.subarray(12, 16))).toEqual(Array.from(lut.subarray(255 * 4, 256 * 4)));
    expect(Array.from(out.subarray(16, 20))).toEqual(Array.from(lut.subarray(0, 4)));
    expect(colourOf(5, d, lut)).toEqual(Array.from(lut.subarray(128 * 4, 129 * 4)));
  });
  it('paints a strided channel', () => {
    const lut = colourLUT('greys');
    const hwc = [0, 10, 10, 0]; // 2 pixels × 2 channels
    const out = new Uint8ClampedArray(8);
    paintValues(out, hwc, d, lut, { offset: 1, stride: 2, count: 2 });
    expect(out[0]).toBe(lut[255 * 4]);
    expect(out[4]).toBe(lut[0]);
  });
});
