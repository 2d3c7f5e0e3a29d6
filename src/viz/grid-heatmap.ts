/**
 * A heatmap over a two-parameter grid (rows × columns), e.g. test accuracy over the ratio s and the
 * cheap kernel d. Each cell shows its value; cells without a value are drawn as pending. The
 * selected cell is outlined; clicking a cell (or focusing it and pressing Enter) calls `onSelect`.
 * Reference values (models outside the grid) are listed under the map with the same format.
 * Reusable d3 style: drawGridHeatmap(element, data, options) returns a handle to update it.
 */
import { interpolateViridis, scaleSequential, select } from 'd3';
import { injectStyle } from './feature-grid';

export interface GridCell {
  row: number;
  col: number;
  /** null: not available (drawn as pending, not selectable) */
  value: number | null;
}

export interface GridHeatmapData {
  rows: readonly number[];
  cols: readonly number[];
  cells: readonly GridCell[];
  selected: { row: number; col: number } | null;
  /** values from outside the grid, shown for comparison */
  references?: readonly { label: string; value: number }[];
}

export interface GridHeatmapOptions {
  format: (v: number) => string;
  /** header texts, e.g. (v) => `s = ${v}` */
  rowLabel: (v: number) => string;
  colLabel: (v: number) => string;
  onSelect?: (row: number, col: number) => void;
  strings: { ariaLabel: string; pending: string; cellName: (row: number, col: number, value: string) => string };
}

export interface GridHeatmapHandle {
  update(data: GridHeatmapData): void;
  select(cell: { row: number; col: number } | null): void;
  destroy(): void;
}

const CSS = `
.gv-gridmap { display: inline-grid; gap: 3px; font-size: 0.85rem; }
.gv-gridmap .gv-gm-h { color: var(--fg-soft, #555); text-align: center; align-self: center; padding: 0 0.3rem; }
.gv-gridmap button { font: inherit; min-width: 4.2rem; min-height: 2.4rem; border: 2px solid transparent; border-radius: 4px; cursor: pointer; font-variant-numeric: tabular-nums; }
.gv-gridmap button[aria-pressed='true'] { border-color: var(--fg, #111); box-shadow: 0 0 0 2px var(--bg, #fff) inset; font-weight: 700; }
.gv-gridmap button:disabled { cursor: not-allowed; background: repeating-linear-gradient(45deg, var(--bg-soft, #eee) 0 6px, var(--bg, #fff) 6px 12px); color: var(--fg-soft, #555); }
.gv-gridmap-refs { list-style: none; padding: 0; margin: 0.5rem 0 0; font-size: 0.85rem; color: var(--fg-soft, #555); }
`;

export function drawGridHeatmap(el: HTMLElement, data: GridHeatmapData, opts: GridHeatmapOptions): GridHeatmapHandle {
  injectStyle('gv-gridmap', CSS);
  const root = select(el).append('div').attr('class', 'gv-gridmap-wrap');
  const grid = root.append('div').attr('class', 'gv-gridmap').attr('role', 'group').attr('aria-label', opts.strings.ariaLabel);
  const refs = root.append('ul').attr('class', 'gv-gridmap-refs');
  let current = data;

  const draw = () => {
    const { rows, cols, cells } = current;
    const values = cells.map((c) => c.value).filter((v): v is number => v !== null);
    const lo = Math.min(...values);
    const hi = Math.max(...values);
    const colour = scaleSequential(interpolateViridis).domain([lo, hi > lo ? hi : lo + 1e-9]);
    grid.style('grid-template-columns', `auto repeat(${cols.length}, auto)`);
    grid.selectAll('*').remove();
    grid.append('span');
    for (const c of cols) grid.append('span').attr('class', 'gv-gm-h').text(opts.colLabel(c));
    for (const r of rows) {
      grid.append('span').attr('class', 'gv-gm-h').text(opts.rowLabel(r));
      for (const c of cols) {
        const cell = cells.find((x) => x.row === r && x.col === c);
        const v = cell?.value ?? null;
        const text = v === null ? opts.strings.pending : opts.format(v);
        const b = grid
          .append('button')
          .attr('type', 'button')
          .attr('data-row', r)
          .attr('data-col', c)
          .attr('aria-label', opts.strings.cellName(r, c, text))
          .attr('aria-pressed', String(current.selected?.row === r && current.selected?.col === c))
          .property('disabled', v === null)
          .text(text);
        if (v !== null) {
          const bg = colour(v);
          // Dark text on the light end of viridis, light text on the dark end (contrast ≥ 4.5).
          const light = (v - lo) / Math.max(hi - lo, 1e-9) > 0.55;
          b.style('background', bg).style('color', light ? '#111' : '#fff');
          b.on('click', () => opts.onSelect?.(r, c));
        }
      }
    }
    refs.selectAll('li').data(current.references ?? []).join('li').text((d) => `${d.label}: ${opts.format(d.value)}`);
  };
  draw();

  return {
    update(d) {
      current = d;
      draw();
    },
    select(cell) {
      current = { ...current, selected: cell };
      grid.selectAll<HTMLButtonElement, unknown>('button').attr('aria-pressed', function () {
        return String(cell !== null && this.dataset.row === String(cell.row) && this.dataset.col === String(cell.col));
      });
    },
    destroy() {
      root.remove();
    },
  };
}
