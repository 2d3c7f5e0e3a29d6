/**
 * Horizontal bars on a log scale, d3's reusable style: `renderLogBarChart(element, bars, options)`.
 * For costs that span many orders of magnitude (attention FLOPs). Redraws in place.
 */
import { axisBottom, scaleBand, scaleLog, select } from 'd3';

export interface Bar {
  id: string;
  label: string;
  value: number;
  color: string;
  /** Text at the end of the bar (default: the value). */
  valueLabel?: string;
}

export interface LogBarChartOptions {
  ariaLabel: string;
  xLabel: string;
  /** Prefix for each bar's data-testid: `${prefix}-${bar.id}`. */
  testIdPrefix?: string;
}

const ROW = 34;

export function renderLogBarChart(el: HTMLElement, bars: Bar[], opts: LogBarChartOptions): void {
  const width = Math.max(260, Math.floor(el.clientWidth || 560));
  const narrow = width < 480;
  // On narrow screens the labels sit above the bars instead of to their left.
  const margin = { top: 6, right: 64, bottom: 40, left: narrow ? 8 : 190 };
  const rowH = narrow ? ROW + 16 : ROW;
  const height = margin.top + margin.bottom + rowH * bars.length;
  const innerW = width - margin.left - margin.right;
  const innerH = height - margin.top - margin.bottom;
  const positive = bars.map((b) => b.value).filter((v) => Number.isFinite(v) && v > 0);
  const lo = Math.max(1, positive.length ? Math.min(...positive) : 1);
  const hi = Math.max(...positive, lo * 10);
  // One decade below the cheapest bar, so even it has a visible length.
  const loExp = Math.floor(Math.log10(lo)) - 1;
  const x = scaleLog()
    .domain([10 ** loExp, 10 ** Math.max(loExp + 1, Math.ceil(Math.log10(hi)))])
    .range([0, innerW])
    .clamp(true);
  const y = scaleBand<string>()
    .domain(bars.map((b) => b.id))
    .range([0, innerH])
    .paddingInner(0.25);
  const prefix = opts.testIdPrefix ?? 'bar';

  const root = select(el);
  let svg = root.select<SVGSVGElement>('svg.log-bar-chart');
  if (svg.empty()) {
    svg = root.append('svg').attr('class', 'chart log-bar-chart').attr('role', 'img');
    svg.append('title');
    const g = svg.append('g').attr('class', 'plot');
    g.append('g').attr('class', 'axis x-axis');
    g.append('text').attr('class', 'axis-label x-label').attr('text-anchor', 'middle');
    g.append('g').attr('class', 'bars');
  }
  svg.attr('width', width).attr('height', height).attr('viewBox', `0 0 ${width} ${height}`).attr('aria-label', opts.ariaLabel);
  svg.select('title').text(opts.ariaLabel);
  const g = svg.select<SVGGElement>('g.plot').attr('transform', `translate(${margin.left},${margin.top})`);
  const decades = Math.round(Math.log10(x.domain()[1] / x.domain()[0]));
  const every = Math.max(1, Math.ceil(decades / Math.max(2, Math.floor(innerW / 55))));
  const ticks: number[] = [];
  for (let e = Math.log10(x.domain()[0]); e <= Math.log10(x.domain()[1]) + 1e-9; e += every) ticks.push(10 ** e);
  g.select<SVGGElement>('g.x-axis')
    .attr('transform', `translate(0,${innerH})`)
    .call(
      axisBottom(x)
        .tickValues(ticks)
        .tickFormat((v) => `10${superscript(Math.round(Math.log10(+v)))}`),
    );
  g.select('text.x-label').attr('x', innerW / 2).attr('y', innerH + 34).text(opts.xLabel);

  const barH = narrow ? y.bandwidth() - 16 : y.bandwidth();
  const rows = g
    .select<SVGGElement>('g.bars')
    .selectAll<SVGGElement, Bar>('g.bar')
    .data(bars, (b) => b.id)
    .join((enter) => {
      const r = enter.append('g').attr('class', 'bar');
      r.append('rect');
      r.append('text').attr('class', 'bar-label');
      r.append('text').attr('class', 'bar-value');
      return r;
    });
  rows.attr('transform', (b) => `translate(0,${y(b.id) ?? 0})`);
  rows
    .select('rect')
    .attr('data-testid', (b) => `${prefix}-${b.id}`)
    .attr('data-value', (b) => String(b.value))
    .attr('y', narrow ? 16 : 0)
    .attr('height', Math.max(4, barH))
    .attr('width', (b) => Math.max(1, x(Math.max(b.value, x.domain()[0]))))
    .style('fill', (b) => b.color);
  rows
    .select('text.bar-label')
    .attr('x', narrow ? 0 : -8)
    .attr('y', narrow ? 11 : y.bandwidth() / 2)
    .attr('dy', narrow ? 0 : '0.35em')
    .attr('text-anchor', narrow ? 'start' : 'end')
    .text((b) => b.label);
  rows
    .select('text.bar-value')
    .attr('x', (b) => Math.max(1, x(Math.max(b.value, x.domain()[0]))) + 6)
    .attr('y', (narrow ? 16 : 0) + barH / 2)
    .attr('dy', '0.35em')
    .text((b) => b.valueLabel ?? String(b.value));
}

const SUP: Record<string, string> = { '-': '⁻', '0': '⁰', '1': '¹', '2': '²', '3': '³', '4': '⁴', '5': '⁵', '6': '⁶', '7': '⁷', '8': '⁸', '9': '⁹' };

function superscript(n: number): string {
  return String(n)
    .split('')
    .map((ch) => SUP[ch] ?? ch)
    .join('');
}
