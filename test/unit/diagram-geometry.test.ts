import { describe, expect, it } from 'vitest';
import { arrowHead, column, plainText, runs, TERMS } from '../../src/components/diagrams/diagram';

describe('diagram helpers', () => {
  it('splits labels into plain runs, subscripts and superscripts', () => {
    expect(runs('Φ_{i,j} and F^{W}')).toEqual([
      { text: 'Φ', shift: 0 },
      { text: 'i,j', shift: 1 },
      { text: ' and F', shift: 0 },
      { text: 'W', shift: -1 },
    ]);
    expect(runs('plain')).toEqual([{ text: 'plain', shift: 0 }]);
    expect(plainText('y_{ij}, F^{H}')).toBe('y ij, F H');
  });

  it('stacks cards top to bottom and links each to the next', () => {
    const { cards, links, bottom } = column(10, 20, [
      { x: 0, w: 100, h: 30, lines: [] },
      { x: 0, w: 100, h: 40, lines: [] },
      { x: 20, w: 60, h: 30, lines: [] },
    ]);
    expect(cards.map((c) => c.y)).toEqual([10, 60, 120]);
    expect(bottom).toBe(150);
    expect(links.map((l) => l.points)).toEqual([
      [[50, 40], [50, 60]],
      [[50, 100], [50, 120]],
    ]);
  });

  it('points an arrowhead along the last segment, tip on the end point', () => {
    const pts = arrowHead([[0, 0], [0, 10], [20, 10]], 7).split(' ').map((p) => p.split(',').map(Number));
    expect(pts[0]).toEqual([20, 10]);
    // Both base corners sit 7 units back along x, symmetric about the segment.
    expect(pts[1]![0]).toBeCloseTo(13);
    expect(pts[2]![0]).toBeCloseTo(13);
    expect(pts[1]![1]! + pts[2]![1]!).toBeCloseTo(20);
  });

  it('has one CSS colour per term', async () => {
    const { readFileSync } = await import('node:fs');
    const css = readFileSync('src/components/diagrams/diagram.css', 'utf8');
    for (const t of TERMS) {
      expect(css, t).toContain(`--term-${t}:`);
      expect(css, t).toContain(`.katex .term-${t} { --term: var(--term-${t}); }`);
    }
  });
});
