// @vitest-environment happy-dom
/**
 * renderRatioBars: one bar per row at its measured ratio, a tick at its predicted one, a line at 1×,
 * redrawn in place (no second svg), rows that leave are removed.
 */
import { describe, expect, it } from 'vitest';
import { renderRatioBars, type RatioRow } from '../../src/viz/ratio-bars';

const opts = { ariaLabel: 'speed-ups', xLabel: 'ratio', testIdPrefix: 'r' };

describe('renderRatioBars', () => {
  it('draws measured bars and predicted ticks on one scale, and redraws in place', () => {
    const el = document.createElement('div');
    Object.defineProperty(el, 'clientWidth', { value: 600 });
    const rows: RatioRow[] = [
      { id: 'a', label: 'A', measured: 1.5, predicted: 2 },
      { id: 'b', label: 'B', measured: 0.8, predicted: 1.4 },
    ];
    renderRatioBars(el, rows, opts);
    const bar = (id: string) => el.querySelector(`[data-testid="r-${id}"]`)!;
    const tick = (id: string) => el.querySelector(`[data-testid="r-${id}-predicted"]`)!;
    expect(Number(bar('a').getAttribute('data-value'))).toBe(1.5);
    expect(Number(tick('b').getAttribute('data-value'))).toBe(1.4);
    // One linear scale from 0: widths are proportional to the ratios, ticks sit at the predictions.
    const wa = Number(bar('a').getAttribute('width'));
    const wb = Number(bar('b').getAttribute('width'));
    expect(wa / wb).toBeCloseTo(1.5 / 0.8, 6);
    expect(Number(tick('a').getAttribute('x1')) / wa).toBeCloseTo(2 / 1.5, 6);
    const unity = Number(el.querySelector('line.unity')!.getAttribute('x1'));
    expect(unity / wa).toBeCloseTo(1 / 1.5, 6);
    expect(el.querySelector('svg')!.getAttribute('aria-label')).toBe('speed-ups');

    renderRatioBars(el, [rows[0]!], opts);
    expect(el.querySelectorAll('svg')).toHaveLength(1);
    expect(el.querySelector('[data-testid="r-b"]')).toBeNull();
    expect(el.querySelectorAll('g.row')).toHaveLength(1);
  });
});
