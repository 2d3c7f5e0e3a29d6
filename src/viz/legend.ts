/**
 * Colour-bar legend for a colour domain: a gradient bar with min, max and (when the domain spans
 * it) zero ticks. Works for diverging and sequential domains, and for per-map ('local') scales
 * where no single numeric range exists: pass `domain: null` and relative labels in `strings`.
 */
import { select } from 'd3';
import { colourLUT, defaultScheme, type ColourDomain, type Interpolator, type ScaleKind, type SchemeName } from './colour-scale';
import { defaultFormat, injectStyle } from './feature-grid';

export interface LegendStrings {
  /** accessible name, e.g. "Colour scale" / "颜色刻度"; the range is appended */
  ariaLabel: string;
  /** optional caption above the bar, e.g. "activation" */
  title?: string;
  /** labels used when the domain is null (per-map scale), e.g. "min" / "max" / "0" or "−max" */
  min?: string;
  max?: string;
  zero?: string;
}

export interface LegendOptions {
  /** bar width in CSS pixels (default 220) */
  width?: number;
  /** bar height in CSS pixels (default 12) */
  height?: number;
  /** used when domain is null: which kind of bar to draw (default 'sequential') */
  kind?: ScaleKind;
  scheme?: SchemeName | Interpolator;
  format?: (v: number) => string;
  strings: LegendStrings;
}

export interface LegendHandle {
  readonly element: SVGSVGElement;
  update(domain: ColourDomain | null, options?: Partial<LegendOptions>): void;
  destroy(): void;
}

interface Tick {
  t: number;
  text: string;
  anchor: 'start' | 'middle' | 'end';
}

/** Where the ticks of a domain go (t in [0, 1] along the bar) and what they say. */
export function legendTicks(domain: ColourDomain | null, kind: ScaleKind, fmt: (v: number) => string, strings: LegendStrings): Tick[] {
  if (!domain) {
    const ticks: Tick[] = [
      { t: 0, text: strings.min ?? '', anchor: 'start' },
      { t: 1, text: strings.max ?? '', anchor: 'end' },
    ];
    if (kind === 'diverging') ticks.splice(1, 0, { t: 0.5, text: strings.zero ?? '0', anchor: 'middle' });
    return ticks;
  }
  const ticks: Tick[] = [
    { t: 0, text: fmt(domain.min), anchor: 'start' },
    { t: 1, text: fmt(domain.max), anchor: 'end' },
  ];
  if (domain.min < 0 && domain.max > 0) {
    const t = -domain.min / (domain.max - domain.min);
    // keep the zero label clear of the end labels
    if (t > 0.15 && t < 0.85) ticks.splice(1, 0, { t, text: fmt(0), anchor: 'middle' });
  }
  return ticks;
}

const LEGEND_CSS = `
.gv-legend { display: block; overflow: visible; max-width: 100%; }
.gv-legend text { fill: var(--fg, #111); font: 11px var(--mono, monospace); }
.gv-legend .gv-legend-title { fill: var(--fg-soft, #555); font-family: var(--font, sans-serif); }
.gv-legend line { stroke: var(--fg-soft, #555); }
.gv-legend rect.gv-legend-bar { stroke: var(--border, #ccc); }
`;

let legendCounter = 0;

export function drawLegend(el: HTMLElement, domain: ColourDomain | null, options: LegendOptions): LegendHandle {
  injectStyle('gv-legend-css', LEGEND_CSS);
  let opts = { ...options };
  const id = `gv-legend-grad-${++legendCounter}`;
  const svg = select(el).append('svg').attr('class', 'gv-legend').attr('role', 'img');
  const grad = svg.append('defs').append('linearGradient').attr('id', id).attr('x1', '0').attr('x2', '1').attr('y1', '0').attr('y2', '0');
  const titleEl = svg.append('title');
  const title = svg.append('text').attr('class', 'gv-legend-title');
  const bar = svg.append('rect').attr('class', 'gv-legend-bar').attr('fill', `url(#${id})`);
  const ticksG = svg.append('g');

  function render(d: ColourDomain | null): void {
    const width = opts.width ?? 220;
    const height = opts.height ?? 12;
    const kind = d?.kind ?? opts.kind ?? 'sequential';
    const fmt = opts.format ?? defaultFormat;
    const pad = 4;
    const top = opts.strings.title ? 16 : 2;
    const totalH = top + height + 20;
    svg.attr('width', width + pad * 2).attr('height', totalH).attr('viewBox', `${-pad} 0 ${width + pad * 2} ${totalH}`);
    const lut = colourLUT(opts.scheme ?? defaultScheme(kind));
    const n = lut.length / 4;
    const stops = Array.from({ length: 17 }, (_, i) => i / 16);
    grad
      .selectAll('stop')
      .data(stops)
      .join('stop')
      .attr('offset', (t) => `${t * 100}%`)
      .attr('stop-color', (t) => {
        const k = Math.round(t * (n - 1)) * 4;
        return `rgb(${lut[k]},${lut[k + 1]},${lut[k + 2]})`;
      });
    title.attr('x', 0).attr('y', 11).text(opts.strings.title ?? '');
    bar.attr('x', 0).attr('y', top).attr('width', width).attr('height', height);
    const ticks = legendTicks(d, kind, fmt, opts.strings);
    const g = ticksG.selectAll<SVGGElement, Tick>('g').data(ticks).join((e) => {
      const s = e.append('g');
      s.append('line');
      s.append('text');
      return s;
    });
    g.attr('transform', (t) => `translate(${t.t * width},0)`);
    g.select('line').attr('y1', top).attr('y2', top + height + 3);
    g.select('text')
      .attr('y', top + height + 14)
      .attr('text-anchor', (t) => t.anchor)
      .text((t) => t.text);
    const range = d ? `${fmt(d.min)} … ${fmt(d.max)}` : ticks.map((t) => t.text).filter(Boolean).join(' … ');
    const label = range ? `${opts.strings.ariaLabel}: ${range}` : opts.strings.ariaLabel;
    svg.attr('aria-label', label);
    titleEl.text(label);
  }

  render(domain);
  return {
    element: svg.node()!,
    update(d, more) {
      if (more) opts = { ...opts, ...more };
      render(d);
    },
    destroy() {
      svg.remove();
    },
  };
}
