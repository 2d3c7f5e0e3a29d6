/**
 * A grid of H × W cells with one selected cell and a set of highlighted ("reached") cells: the
 * receptive-field pictures of the DFC calculator. d3's reusable style:
 * `renderCellGrid(element, data, options)` draws or redraws in place.
 *
 * Each cell is an SVG rect with `data-row`, `data-col` and `data-state` ('selected' | 'reached' |
 * 'none'); clicking a cell calls `options.onSelect(row, col)`.
 */
import { select } from 'd3';

export interface CellGridData {
  rows: number;
  cols: number;
  selected: [number, number];
  /** [row, col] pairs to highlight (the selected cell may be among them). */
  reached: [number, number][];
}

export interface CellGridOptions {
  ariaLabel: string;
  /** Colour of reached cells (CSS colour or var()). */
  color: string;
  /** Largest drawn side in px (default 300); the grid is square-celled. */
  maxSize?: number;
  testId?: string;
  onSelect?: (row: number, col: number) => void;
}

interface Cell {
  r: number;
  c: number;
  state: 'selected' | 'reached' | 'none';
}

export function renderCellGrid(el: HTMLElement, data: CellGridData, opts: CellGridOptions): void {
  const avail = Math.max(120, Math.floor(el.clientWidth || 300));
  const maxSize = Math.min(opts.maxSize ?? 300, avail);
  const cell = Math.max(4, Math.floor(maxSize / Math.max(data.rows, data.cols)));
  const width = cell * data.cols;
  const height = cell * data.rows;
  const reached = new Set(data.reached.map(([r, c]) => r * data.cols + c));
  const cells: Cell[] = [];
  for (let r = 0; r < data.rows; r++) {
    for (let c = 0; c < data.cols; c++) {
      const state = r === data.selected[0] && c === data.selected[1] ? 'selected' : reached.has(r * data.cols + c) ? 'reached' : 'none';
      cells.push({ r, c, state });
    }
  }

  const root = select(el);
  let svg = root.select<SVGSVGElement>('svg.cell-grid');
  if (svg.empty()) {
    svg = root.append('svg').attr('class', 'chart cell-grid').attr('role', 'img');
    svg.append('title');
    svg.append('g').attr('class', 'cells');
  }
  svg
    .attr('width', width + 2)
    .attr('height', height + 2)
    .attr('viewBox', `-1 -1 ${width + 2} ${height + 2}`)
    .attr('aria-label', opts.ariaLabel);
  if (opts.testId) svg.attr('data-testid', opts.testId);
  svg.attr('data-reached', String(data.reached.length));
  svg.select('title').text(opts.ariaLabel);

  const rects = svg
    .select<SVGGElement>('g.cells')
    .selectAll<SVGRectElement, Cell>('rect')
    .data(cells, (d) => `${d.r},${d.c}`)
    .join('rect')
    .attr('x', (d) => d.c * cell)
    .attr('y', (d) => d.r * cell)
    .attr('width', cell)
    .attr('height', cell)
    .attr('data-row', (d) => d.r)
    .attr('data-col', (d) => d.c)
    .attr('data-state', (d) => d.state)
    .attr('class', (d) => `cell ${d.state}`)
    .style('fill', (d) => (d.state === 'selected' ? 'var(--accent)' : d.state === 'reached' ? opts.color : 'var(--bg)'))
    .style('fill-opacity', (d) => (d.state === 'reached' ? 0.75 : 1))
    .style('stroke', 'var(--border)')
    .style('stroke-width', cell >= 8 ? 1 : 0.5)
    .style('cursor', () => (opts.onSelect ? 'pointer' : null));
  const onSelect = opts.onSelect;
  if (onSelect) rects.on('click', (_e: Event, d: Cell) => onSelect(d.r, d.c));
  else rects.on('click', null);
}
