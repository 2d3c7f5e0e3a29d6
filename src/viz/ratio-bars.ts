/**
 * Measured ratios against predicted ones, d3's reusable style: `renderRatioBars(element, rows, options)`.
 * One horizontal bar per row (the measured ratio) with a tick where the prediction lies, and a
 * dashed line at 1× (no difference). Redraws in place; knows nothing of what the ratios are.
 */
import { axisBottom, scaleBand, scaleLinear, select } from 'd3';

export interface RatioRow {
  id: string;
  label: string;
  measured: number;
  predicted: number;
  /** Text after the bar (default: the measured value). */
  valueLabel?: string;
}

export interface RatioBarsOptions {
  ariaLabel: string;
  xLabel: string;
  /** Prefix for each bar's data-testid: `${prefix}-${row.id}`. */
  testIdPrefix?: string;
}

const ROW = 30;

export function renderRatioBars(el: HTMLElement, rows: RatioRow[], opts: RatioBarsOptions): void {
  const width = Math.max(260, Math.floor(el.clientWidth || 560));
  const narrow = width < 480;
  // On narrow screens the labels sit above the bars instead of to their left.
  const margin = { top: 6, right: 8, bottom: 40, left: narrow ? 8 : 200 };
  const rowH = narrow ? ROW + 16 : ROW;
  const height = margin.top + margin.bottom + rowH * Math.max(1, rows.length);
  const innerW = width - margin.left - margin.right;
  const innerH = height - margin.top - margin.bottom;
  const hi = Math.max(1.2, ...rows.flatMap((r) => [r.measured, r.predicted]).filter(Number.isFinite)) * 1.05;
  // The value labels sit after the bars: the scale stops short of the right edge to leave them room.
  const labelRoom = narrow ? 96 : 116;
  const x = scaleLinear().domain([0, hi]).range([0, Math.max(40, innerW - labelRoom)]).clamp(true);
  const y = scaleBand<string>()
    .domain(rows.map((r) => r.id))
    .range([0, innerH])
    .paddingInner(0.3);
  const prefix = opts.testIdPrefix ?? 'ratio';

  const root = select(el);
  let svg = root.select<SVGSVGElement>('svg.ratio-bars');
  if (svg.empty()) {
    svg = root.append('svg').attr('class', 'chart ratio-bars').attr('role', 'img');
    svg.append('title');
    const g = svg.append('g').attr('class', 'plot');
    g.append('g').attr('class', 'axis x-axis');
    g.append('text').attr('class', 'axis-label x-label').attr('text-anchor', 'middle');
    g.append('line').attr('class', 'unity').attr('stroke-dasharray', '4 3');
    g.append('g').attr('class', 'rows');
  }
  svg.attr('width', width).attr('height', height).attr('viewBox', `0 0 ${width} ${height}`).attr('aria-label', opts.ariaLabel);
  svg.select('title').text(opts.ariaLabel);
  const g = svg.select<SVGGElement>('g.plot').attr('transform', `translate(${margin.left},${margin.top})`);
  g.select<SVGGElement>('g.x-axis')
    .attr('transform', `translate(0,${innerH})`)
    .call(axisBottom(x).ticks(Math.max(2, Math.floor(innerW / 60))).tickFormat((v) => `${+v}×`));
  g.select('text.x-label').attr('x', innerW / 2).attr('y', innerH + 34).text(opts.xLabel);
  g.select('line.unity').attr('x1', x(1)).attr('x2', x(1)).attr('y1', 0).attr('y2', innerH).style('stroke', 'var(--fg-soft)');

  const barH = narrow ? y.bandwidth() - 16 : y.bandwidth();
  const top = narrow ? 16 : 0;
  const sel = g
    .select<SVGGElement>('g.rows')
    .selectAll<SVGGElement, RatioRow>('g.row')
    .data(rows, (r) => r.id)
    .join((enter) => {
      const r = enter.append('g').attr('class', 'row');
      r.append('rect').attr('class', 'measured');
      r.append('line').attr('class', 'predicted');
      r.append('text').attr('class', 'bar-label');
      r.append('text').attr('class', 'bar-value');
      return r;
    });
  sel.attr('transform', (r) => `translate(0,${y(r.id) ?? 0})`);
  sel
    .select('rect.measured')
    .attr('data-testid', (r) => `${prefix}-${r.id}`)
    .attr('data-value', (r) => String(r.measured))
    .attr('y', top)
    .attr('height', Math.max(4, barH))
    .attr('width', (r) => Math.max(1, x(r.measured)))
    .style('fill', 'var(--ghost)');
  sel
    .select('line.predicted')
    .attr('data-testid', (r) => `${prefix}-${r.id}-predicted`)
    .attr('data-value', (r) => String(r.predicted))
    .attr('x1', (r) => x(r.predicted))
    .attr('x2', (r) => x(r.predicted))
    .attr('y1', top - 3)
    .attr('y2', top + barH + 3)
    .style('stroke', 'var(--intrinsic)')
    .style('stroke-width', 3);
  sel
    .select('text.bar-label')
    .attr('x', narrow ? 0 : -8)
    .attr('y', narrow ? 11 : y.bandwidth() / 2)
    .attr('dy', narrow ? 0 : '0.35em')
    .attr('text-anchor', narrow ? 'start' : 'end')
    .text((r) => r.label);
  sel
    .select('text.bar-value')
    .attr('x', (r) => Math.max(x(r.measured), x(r.predicted)) + 6)
    .attr('y', top + barH / 2)
    .attr('dy', '0.35em')
    .text((r) => r.valueLabel ?? `${r.measured.toFixed(2)}×`);
}
