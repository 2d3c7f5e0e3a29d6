import { describe, expect, it } from 'vitest';
import { probRows, topK } from '../../src/viz/prob-bars';
import { legendTicks } from '../../src/viz/legend';
import { formatCount } from '../../src/viz/network-strip';
import { navigate, defaultFormat } from '../../src/viz/feature-grid';
import { textColourOn } from '../../src/viz/kernel-view';

describe('topK', () => {
  it('returns indices of the largest values, ties by index, NaN last', () => {
    expect(topK([0.1, 0.5, 0.2, 0.5, NaN], 3)).toEqual([1, 3, 2]);
    expect(topK([NaN, 1], 2)).toEqual([1, 0]);
    expect(topK([1, 2], 0)).toEqual([]);
    expect(topK([1, 2], 5)).toEqual([1, 0]);
  });
  it('agrees with a sort for 1000 classes and large k', () => {
    const p = Array.from({ length: 1000 }, (_, i) => Math.sin(i * 12.9898) * 0.5 + 0.5);
    const sorted = p.map((_, i) => i).sort((a, b) => p[b] - p[a] || a - b);
    expect(topK(p, 5)).toEqual(sorted.slice(0, 5));
    expect(topK(p, 100)).toEqual(sorted.slice(0, 100));
  });
});

describe('probRows', () => {
  const labels = ['a', 'b', 'c'];
  it('shows all classes in given order when they fit, top emphasised', () => {
    const r = probRows({ labels, probs: [0.2, 0.7, 0.1] });
    expect(r.rows.map((x) => [x.label, x.top])).toEqual([['a', false], ['b', true], ['c', false]]);
    expect(r.rest).toBeNull();
    expect(probRows({ labels, probs: [0.2, 0.7, 0.1] }, { order: 'desc' }).rows.map((x) => x.label)).toEqual(['b', 'a', 'c']);
  });
  it('shows the top k and the rest for many classes', () => {
    const probs = Array.from({ length: 1000 }, (_, i) => (i === 7 ? 0.5 : 0.5 / 999));
    const r = probRows({ labels: [], probs }, { topK: 5, classLabel: (i) => `class ${i}` });
    expect(r.rows).toHaveLength(5);
    expect(r.rows[0]).toMatchObject({ index: 7, label: 'class 7', top: true });
    expect(r.rest!.count).toBe(995);
    expect(r.rest!.p).toBeCloseTo((0.5 / 999) * 995, 9);
  });
  it('treats NaN and negative probabilities as 0', () => {
    expect(probRows({ labels, probs: [NaN, -1, 1] }).rows.map((x) => x.p)).toEqual([0, 0, 1]);
  });
});

describe('legend ticks', () => {
  const fmt = (v: number) => String(v);
  it('shows min, zero and max for a diverging domain', () => {
    expect(legendTicks({ kind: 'diverging', min: -2, max: 2 }, 'diverging', fmt, { ariaLabel: '' }).map((t) => [t.t, t.text])).toEqual([
      [0, '-2'],
      [0.5, '0'],
      [1, '2'],
    ]);
  });
  it('shows zero only when inside the domain and clear of the ends', () => {
    expect(legendTicks({ kind: 'sequential', min: 0, max: 5 }, 'sequential', fmt, { ariaLabel: '' })).toHaveLength(2);
    expect(legendTicks({ kind: 'sequential', min: -1, max: 3 }, 'sequential', fmt, { ariaLabel: '' })).toHaveLength(3);
  });
  it('uses the given words for per-map scales', () => {
    const s = { ariaLabel: '', min: '最小', max: '最大', zero: '0' };
    expect(legendTicks(null, 'diverging', fmt, s).map((t) => t.text)).toEqual(['最小', '0', '最大']);
    expect(legendTicks(null, 'sequential', fmt, s).map((t) => t.text)).toEqual(['最小', '最大']);
  });
});

describe('formatting and navigation', () => {
  it('formats counts in SI units', () => {
    expect(formatCount(0)).toBe('0');
    expect(formatCount(356)).toBe('356');
    expect(formatCount(5182508)).toBe('5.18M');
    expect(formatCount(141150512)).toBe('141M');
    expect(formatCount(NaN)).toBe('—');
  });
  it('formats values with an ASCII minus', () => {
    expect(defaultFormat(-0.123456)).toBe('-0.123');
    expect(defaultFormat(NaN)).toBe('NaN');
  });
  it('moves through a wrapped grid with the arrow keys', () => {
    // 10 items, 4 columns
    expect(navigate('ArrowRight', 3, 10, 4)).toBe(4);
    expect(navigate('ArrowRight', 9, 10, 4)).toBe(9);
    expect(navigate('ArrowLeft', 0, 10, 4)).toBe(0);
    expect(navigate('ArrowDown', 5, 10, 4)).toBe(9);
    expect(navigate('ArrowDown', 7, 10, 4)).toBe(7);
    expect(navigate('ArrowUp', 5, 10, 4)).toBe(1);
    expect(navigate('Home', 5, 10, 4)).toBe(0);
    expect(navigate('End', 5, 10, 4)).toBe(9);
    expect(navigate('a', 5, 10, 4)).toBeNull();
  });
  it('picks readable text on a cell colour', () => {
    expect(textColourOn('rgb(255,255,255)')).toBe('#111');
    expect(textColourOn('rgb(5,48,97)')).toBe('#fff');
    expect(textColourOn('rgb(0,0,0)')).toBe('#fff');
  });
});
