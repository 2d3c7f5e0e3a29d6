import { describe, expect, it } from 'vitest';
import { ghostResemblance } from '../../src/model';

describe('ghostResemblance', () => {
  const intrinsic = [
    [1, 0, 0, 0],
    [0, 1, 0, 0],
    [0, 0, 1, 1],
  ];
  it('a ghost that is a rescaled copy of its source resembles it fully, and the source is its nearest map', () => {
    const r = ghostResemblance(intrinsic, [[3, 0, 0, 0], [0, 0, 2, 2]], [0, 2]);
    expect(r.own).toEqual([1, 1]);
    expect(r.nearest).toEqual([0, 2]);
    expect(r.meanOwn).toBe(1);
    expect(r.sourceIsNearest).toBe(1);
  });
  it('a ghost closer to another intrinsic map than to its own source counts against the source', () => {
    // ghost 0 comes from map 0 but looks like map 1; ghost 1 is the negative of its source.
    const r = ghostResemblance(intrinsic, [[0.1, 1, 0, 0], [-1, 0, 0, 0]], [0, 0]);
    expect(r.own[0]).toBeCloseTo(0.1 / Math.sqrt(1.01), 6);
    expect(r.own[1]).toBe(-1);
    expect(r.nearest[0]).toBe(1);
    expect(r.sourceIsNearest).toBe(0);
    expect(r.meanOwn).toBeCloseTo((0.1 / Math.sqrt(1.01) - 1) / 2, 6);
  });
  it('refuses a source outside the intrinsic maps', () => {
    expect(() => ghostResemblance(intrinsic, [[1, 0, 0, 0]], [3])).toThrow(RangeError);
  });
});
