/**
 * A small reusable line chart in d3's style: `renderLineChart(element, data, options)` draws (or
 * redraws in place) an SVG with axes, one path per series (or dots), an optional marker and an
 * HTML legend. Calling it again with new data updates the same elements, so the DOM (and any
 * test looking at a path's `d`) follows the data.
 *
 * Colours are CSS colours, CSS variables welcome ('var(--intrinsic)'), so dark mode follows the
 * page palette.
 */
import { axisBottom, axisLeft, line as d3line, max as d3max, scaleLinear, select } from 'd3';

export interface LineSeries {
  id: string;
  label: string;
  points: [number, number][];
  color: string;
  /** 'line' (default), 'dashed', 'dotted', or 'dots' (markers only). */
  style?: 'line' | 'dashed' | 'dotted' | 'dots';
}

export interface LineChartMarker {
  x: number;
  y: number;
  label: string;
}

export interface LineChartData {
  series: LineSeries[];
  marker?: LineChartMarker;
}

export interface LineChartOptions {
  xLabel: string;
  yLabel: string;
  /** Accessible description of the whole chart (role="img"). */
  ariaLabel: string;
  xDomain?: [number, number];
  yDomain?: [number, number];
  /** Pixel height (default 260). Width follows the element. */
  height?: number;
  /** Integer ticks on x. */
  integerX?: boolean;
  /** Prefix for the data-testid of each path: `${prefix}-${series.id}`. */
  testIdPrefix?: string;
}

const MARGIN = { top: 12, right: 16, bottom: 42, left: 48 };
let counter = 0;

export function renderLineChart(el: HTMLElement, data: LineChartData, opts: LineChartOptions): void {
  const width = Math.max(240, Math.floor(el.clientWidth || 560));
  const height = opts.height ?? 260;
  const innerW = width - MARGIN.left - MARGIN.right;
  const innerH = height - MARGIN.top - MARGIN.bottom;
  const prefix = opts.testIdPrefix ?? 'series';

  const allX = data.series.flatMap((s) => s.points.map((p) => p[0]));
  const allY = data.series.flatMap((s) => s.points.map((p) => p[1]));
  const xDomain = opts.xDomain ?? [Math.min(...allX, 0), Math.max(...allX, 1)];
  const yDomain = opts.yDomain ?? [0, (d3max(allY) ?? 1) * 1.05 || 1];
  const x = scaleLinear().domain(xDomain).range([0, innerW]);
  const y = scaleLinear().domain(yDomain).range([innerH, 0]).clamp(false);

  const root = select(el);
  let svg = root.select<SVGSVGElement>('svg.line-chart');
  if (svg.empty()) {
    counter += 1;
    svg = root.append('svg').attr('class', 'chart line-chart').attr('role', 'img').attr('data-clip', `line-chart-clip-${counter}`);
    svg.append('title');
    const g = svg.append('g').attr('class', 'plot');
    g.append('defs').append('clipPath').attr('id', svg.attr('data-clip')).append('rect');
    g.append('g').attr('class', 'axis x-axis');
    g.append('g').attr('class', 'axis y-axis');
    g.append('text').attr('class', 'axis-label x-label').attr('text-anchor', 'middle');
    g.append('text').attr('class', 'axis-label y-label').attr('text-anchor', 'middle');
    g.append('g').attr('class', 'series').attr('clip-path', `url(#${svg.attr('data-clip')})`);
    g.append('g').attr('class', 'marker');
    root.append('ul').attr('class', 'chart-legend');
  }
  svg.attr('width', width).attr('height', height).attr('viewBox', `0 0 ${width} ${height}`).attr('aria-label', opts.ariaLabel);
  svg.select('title').text(opts.ariaLabel);
  const g = svg.select<SVGGElement>('g.plot').attr('transform', `translate(${MARGIN.left},${MARGIN.top})`);
  g.select('clipPath rect').attr('x', -4).attr('y', -4).attr('width', innerW + 8).attr('height', innerH + 8);

  const xTicks = opts.integerX ? Math.min(innerW / 40, xDomain[1] - xDomain[0]) : innerW / 70;
  const xAxis = axisBottom(x).ticks(Math.max(2, Math.floor(xTicks)));
  if (opts.integerX) xAxis.tickFormat((v) => (Number.isInteger(+v) ? String(v) : ''));
  g.select<SVGGElement>('g.x-axis').attr('transform', `translate(0,${innerH})`).call(xAxis);
  g.select<SVGGElement>('g.y-axis').call(axisLeft(y).ticks(Math.max(3, Math.floor(innerH / 45))));
  richText(g.select<SVGTextElement>('text.x-label').attr('x', innerW / 2).attr('y', innerH + 34), opts.xLabel);
  richText(g.select<SVGTextElement>('text.y-label').attr('transform', `translate(${-36},${innerH / 2}) rotate(-90)`), opts.yLabel);

  const gen = d3line<[number, number]>()
    .x((p) => x(p[0]))
    .y((p) => y(p[1]));

  const seriesG = g
    .select<SVGGElement>('g.series')
    .selectAll<SVGGElement, LineSeries>('g.one-series')
    .data(data.series, (s) => s.id)
    .join((enter) => {
      const e = enter.append('g').attr('class', 'one-series');
      e.append('path').attr('fill', 'none');
      return e;
    });
  seriesG.attr('data-series', (s) => s.id);
  seriesG
    .select('path')
    .attr('data-testid', (s) => `${prefix}-${s.id}`)
    .attr('d', (s) => (s.style === 'dots' ? null : gen(s.points)))
    .style('stroke', (s) => s.color)
    .style('stroke-width', (s) => (s.style === 'dashed' ? 1.5 : s.style === 'dotted' ? 2.75 : 2.25))
    .style('stroke-dasharray', (s) => (s.style === 'dashed' ? '6 4' : s.style === 'dotted' ? '1 5' : null))
    .style('stroke-linecap', (s) => (s.style === 'dotted' ? 'round' : null));
  seriesG
    .selectAll<SVGCircleElement, [number, number]>('circle')
    .data((s) => (s.style === 'dots' ? s.points.map((p) => ({ p, c: s.color })) : []))
    .join('circle')
    .attr('r', 3.5)
    .attr('cx', (d) => x(d.p[0]))
    .attr('cy', (d) => y(d.p[1]))
    .style('fill', (d) => d.c);

  const markerG = g.select<SVGGElement>('g.marker');
  const m = data.marker;
  markerG
    .selectAll('line')
    .data(m ? [m] : [])
    .join('line')
    .attr('x1', (d) => x(d.x))
    .attr('x2', (d) => x(d.x))
    .attr('y1', innerH)
    .attr('y2', 0)
    .style('stroke', 'var(--fg-soft)')
    .style('stroke-dasharray', '2 3');
  markerG
    .selectAll('circle')
    .data(m ? [m] : [])
    .join('circle')
    .attr('data-testid', `${prefix}-marker`)
    .attr('r', 6)
    .attr('cx', (d) => x(d.x))
    .attr('cy', (d) => y(d.y))
    .style('fill', 'var(--accent)')
    .style('stroke', 'var(--bg)')
    .style('stroke-width', 2);
  const labelX = m ? x(m.x) : 0;
  markerG
    .selectAll('text')
    .data(m ? [m] : [])
    .join('text')
    .attr('x', labelX > innerW * 0.6 ? labelX - 8 : labelX + 8)
    .attr('y', (d) => Math.max(12, y(d.y) - 10))
    .attr('text-anchor', labelX > innerW * 0.6 ? 'end' : 'start')
    .attr('class', 'marker-label')
    .each(function (d) {
      richText(select<SVGTextElement, unknown>(this as SVGTextElement), d.label);
    });

  root
    .select('ul.chart-legend')
    .selectAll<HTMLLIElement, LineSeries>('li')
    .data(data.series, (s) => s.id)
    .join((enter) => {
      const li = enter.append('li');
      li.append('span').attr('class', 'swatch').attr('aria-hidden', 'true');
      li.append('span').attr('class', 'legend-label');
      return li;
    })
    .call((li) => {
      li.select('span.swatch')
        .attr('data-style', (s) => s.style ?? 'line')
        .style('--swatch', (s) => s.color);
      li.select<HTMLSpanElement>('span.legend-label').each(function (s) {
        richText(select(this), s.label);
      });
    });
}

/**
 * Sets the text of an SVG <text> or an HTML element, rendering `x_{sub}` / `x_s` as a subscript
 * (an SVG tspan shifted down, or an HTML <sub>), so labels can name r_s and r_c properly.
 */
export function richText(sel: { node(): Element | null }, text: string): void {
  const node = sel.node();
  if (!node) return;
  const svg = node instanceof SVGElement;
  node.textContent = '';
  const re = /_\{([^}]*)\}|_([A-Za-z0-9])/g;
  let last = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m.index > last) node.appendChild(document.createTextNode(text.slice(last, m.index)));
    const sub = m[1] ?? m[2];
    if (svg) {
      const t = document.createElementNS('http://www.w3.org/2000/svg', 'tspan');
      t.setAttribute('baseline-shift', 'sub');
      t.setAttribute('font-size', '75%');
      t.textContent = sub;
      node.appendChild(t);
    } else {
      const el = document.createElement('sub');
      el.textContent = sub;
      node.appendChild(el);
    }
    last = m.index + m[0].length;
  }
  if (last < text.length) node.appendChild(document.createTextNode(text.slice(last)));
}
