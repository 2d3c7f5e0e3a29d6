import { describe, expect, it } from 'vitest';
import type { CheapKernels, LayerInfo } from '../../src/model';
import { ghostName, intrinsicName, mapNames } from '../../src/components/lab/map-names';

describe('map names (the chapter notation y′_i and Φ_{i,j}(y′_i), from 1)', () => {
  it('names intrinsic maps and each ghost by its source and its place among that source’s ghosts', () => {
    // s = 3: two ghosts per intrinsic map, in the official order (depth multiplier s − 1).
    const source = [0, 0, 1, 1, 2, 2];
    const layer = { outShape: [7, 7, 9], ghost: { intrinsic: 3, ghost: 6, kept: 9, source, ratio: 3, dwSize: 3, relu: true, attention: false, plain: false } } as unknown as LayerInfo;
    const kernels = { source } as unknown as CheapKernels;
    expect(mapNames(layer, kernels)).toEqual(['y′₁', 'y′₂', 'y′₃', 'Φ₁,₁(y′₁)', 'Φ₁,₂(y′₁)', 'Φ₂,₁(y′₂)', 'Φ₂,₂(y′₂)', 'Φ₃,₁(y′₃)', 'Φ₃,₂(y′₃)']);
  });

  it('writes every digit of an index of 10 or more as a subscript', () => {
    expect(intrinsicName(11)).toBe('y′₁₂');
    expect(ghostName(119, 0)).toBe('Φ₁₂₀,₁(y′₁₂₀)');
  });

  it('numbers the maps of any other layer by channel', () => {
    const layer = { outShape: [14, 14, 4] } as unknown as LayerInfo;
    expect(mapNames(layer, null)).toEqual(['0', '1', '2', '3']);
  });
});
