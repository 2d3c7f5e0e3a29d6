/**
 * Per-layer cost of a network, plain against Ghost-ified: `renderLayerCostChart(element, bars,
 * options)`. One band per layer, in forward order; a wide pale bar for the plain layer and a narrow
 * bar in front of it for the layer's Ghost version (a different colour when the layer stays as it
 * is). Redraws in place.
 *
 * The chart is a listbox: hovering a band or moving with the arrow keys (Home, End, PageUp,
 * PageDown too) makes it active (`onActivate`); a click, Enter or Space selects it (`onSelect`).
 * Each band is an option whose accessible name is the bar's `label`.
 */
import { axisLeft, scaleBand, scaleLinear, select } from 'd3';

export interface LayerCostBar {
  id: string;
  /** Accessible name of the band (what a screen reader announces). */
  label: string;
  plain: number;
  ghost: number;
  /** Does a Ghost module replace this layer? */
  replaced: boolean;
}

export interface LayerCostChartOptions {
  ariaLabel: string;
  yLabel: string;
  legend: { plain: string; ghost: string; unchanged: string };
  /** Tick labels of the value axis. */
  formatValue(v: number): string;
  /** The band to highlight as active (hovered or focused), and the one selected. */
  active?: number | null;
  selected?: number | null;
  onActivate?(index: number): void;
  onSelect?(index: number): void;
  /** Pixel height (default 240). Width follows the element. */
  height?: number;
  /** data-testid prefix: `${prefix}-layer` (bands), `-plain`, `-ghost` (bars). */
  testIdPrefix?: string;
}

const MARGIN = { top: 22, right: 8, bottom: 12, left: 50 };
let counter = 0;

interface ChartState {
  uid: string;
  bars: LayerCostBar[];
  opts: LayerCostChartOptions;
  active: number | null;
}

const STATE = new WeakMap<HTMLElement, ChartState>();

export function renderLayerCostChart(el: HTMLElement, bars: LayerCostBar[], opts: LayerCostChartOptions): void {
  const width = Math.max(240, Math.floor(el.clientWidth || 560));
  const height = opts.height ?? 240;
  const innerW = width - MARGIN.left - MARGIN.right;
  const innerH = height - MARGIN.top - MARGIN.bottom;
  const prefix = opts.testIdPrefix ?? 'layer-cost';
  const top = Math.max(1, ...bars.map((b) => Math.max(b.plain, b.ghost)));
  const x = scaleBand<number>()
    .domain(bars.map((_, i) => i))
    .range([0, innerW])
    .paddingInner(bars.length > 40 ? 0.1 : 0.2);
  const y = scaleLinear().domain([0, top]).range([innerH, 0]).nice();

  let state = STATE.get(el);
  const root = select(el);
  let svg = root.select<SVGSVGElement>('svg.layer-cost-chart');
  if (svg.empty() || !state) {
    counter += 1;
    state = { uid: `layer-cost-${counter}`, bars, opts, active: null };
    STATE.set(el, state);
    svg = root.append('svg').attr('class', 'chart layer-cost-chart').attr('role', 'listbox').attr('tabindex', 0);
    const g = svg.append('g').attr('class', 'plot');
    g.append('g').attr('class', 'axis y-axis');
    g.append('text').attr('class', 'axis-label y-label');
    g.append('line').attr('class', 'baseline');
    g.append('g').attr('class', 'bands');
    root.append('ul').attr('class', 'chart-legend');
    bindKeys(el, svg.node()!);
    svg.on('pointerleave', () => {
      const s = STATE.get(el)!;
      if (s.opts.selected !== undefined && s.opts.selected !== null) setActive(el, s.opts.selected, true);
    });
  }
  state.bars = bars;
  state.opts = opts;
  const st = state;
  if (opts.active !== undefined) st.active = opts.active;
  if (st.active !== null && st.active >= bars.length) st.active = bars.length ? bars.length - 1 : null;

  svg.attr('width', width).attr('height', height).attr('viewBox', `0 0 ${width} ${height}`).attr('aria-label', opts.ariaLabel);
  const g = svg.select<SVGGElement>('g.plot').attr('transform', `translate(${MARGIN.left},${MARGIN.top})`);
  g.select<SVGGElement>('g.y-axis').call(
    axisLeft(y)
      .ticks(Math.max(2, Math.floor(innerH / 45)))
      .tickFormat((v) => opts.formatValue(+v)),
  );
  g.select('text.y-label').attr('x', -MARGIN.left + 2).attr('y', -10).attr('text-anchor', 'start').text(opts.yLabel);
  g.select('line.baseline').attr('x1', 0).attr('x2', innerW).attr('y1', innerH).attr('y2', innerH);

  const bw = x.bandwidth();
  const step = x.step();
  const bands = g
    .select<SVGGElement>('g.bands')
    .selectAll<SVGGElement, LayerCostBar>('g.band')
    .data(bars)
    .join((enter) => {
      const b = enter.append('g').attr('class', 'band').attr('role', 'option');
      b.append('rect').attr('class', 'hit');
      b.append('rect').attr('class', 'bar plain');
      b.append('rect').attr('class', 'bar ghost');
      return b;
    });
  bands
    .attr('id', (_, i) => `${st.uid}-opt-${i}`)
    .attr('data-testid', `${prefix}-layer`)
    .attr('data-layer', (b) => b.id)
    .attr('data-index', (_, i) => i)
    .attr('data-replaced', (b) => String(b.replaced))
    .attr('aria-label', (b) => b.label)
    .attr('transform', (_, i) => `translate(${x(i) ?? 0},0)`)
    .on('pointerenter', (_e, b) => setActive(el, st.bars.indexOf(b), true))
    .on('click', (_e, b) => select1(el, st.bars.indexOf(b)));
  // The hit area fills the whole step, so thin bands are still easy to point at.
  bands
    .select('rect.hit')
    .attr('x', -(step - bw) / 2)
    .attr('width', step)
    .attr('y', 0)
    .attr('height', innerH);
  bands
    .select('rect.plain')
    .attr('data-testid', `${prefix}-plain`)
    .attr('data-value', (b) => String(b.plain))
    .attr('x', 0)
    .attr('width', bw)
    .attr('y', (b) => y(b.plain))
    .attr('height', (b) => innerH - y(b.plain));
  const gw = Math.max(1, bw * 0.55);
  bands
    .select('rect.ghost')
    .attr('data-testid', `${prefix}-ghost`)
    .attr('data-value', (b) => String(b.ghost))
    .classed('unchanged', (b) => !b.replaced)
    .attr('x', (bw - gw) / 2)
    .attr('width', gw)
    .attr('y', (b) => y(b.ghost))
    .attr('height', (b) => innerH - y(b.ghost));

  root
    .select('ul.chart-legend')
    .selectAll('li')
    .data([
      ['plain', opts.legend.plain],
      ['ghost', opts.legend.ghost],
      ['unchanged', opts.legend.unchanged],
    ])
    .join('li')
    .html(([kind, text]) => `<span class="swatch ${kind}" aria-hidden="true"></span>${escapeHtml(text!)}`);

  paint(el);
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}

/** Marks the active and selected bands and points aria-activedescendant at the active one. */
function paint(el: HTMLElement): void {
  const st = STATE.get(el)!;
  const svg = select(el).select<SVGSVGElement>('svg.layer-cost-chart');
  svg.selectAll<SVGGElement, LayerCostBar>('g.band')
    .classed('active', (_, i) => i === st.active)
    .classed('selected', (_, i) => i === st.opts.selected)
    .attr('aria-selected', (_, i) => String(i === st.opts.selected));
  if (st.active === null) svg.attr('aria-activedescendant', null);
  else svg.attr('aria-activedescendant', `${st.uid}-opt-${st.active}`);
}

function setActive(el: HTMLElement, i: number, notify: boolean): void {
  const st = STATE.get(el)!;
  if (i < 0 || i >= st.bars.length) return;
  const changed = st.active !== i;
  st.active = i;
  paint(el);
  if (notify && changed) st.opts.onActivate?.(i);
}

function select1(el: HTMLElement, i: number): void {
  const st = STATE.get(el)!;
  if (i < 0 || i >= st.bars.length) return;
  setActive(el, i, true);
  st.opts.onSelect?.(i);
}

function bindKeys(el: HTMLElement, svg: SVGSVGElement): void {
  svg.addEventListener('focus', () => {
    const st = STATE.get(el)!;
    if (st.active === null && st.bars.length) setActive(el, st.opts.selected ?? 0, true);
    else if (st.active !== null) st.opts.onActivate?.(st.active);
  });
  svg.addEventListener('keydown', (e) => {
    const st = STATE.get(el)!;
    const n = st.bars.length;
    if (!n) return;
    const cur = st.active ?? 0;
    const moves: Record<string, number> = {
      ArrowRight: cur + 1,
      ArrowDown: cur + 1,
      ArrowLeft: cur - 1,
      ArrowUp: cur - 1,
      PageDown: cur + 10,
      PageUp: cur - 10,
      Home: 0,
      End: n - 1,
    };
    if (e.key in moves) {
      e.preventDefault();
      setActive(el, Math.min(n - 1, Math.max(0, moves[e.key]!)), true);
    } else if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      select1(el, cur);
    }
  });
}
