/**
 * Kernel view: a small kh × kw kernel (3×3, 5×5, GhostNetV2's 1×5 and 5×1 DFC kernels) as
 * coloured cells with their values written in, text colour chosen for contrast with each cell.
 */
import { format as d3format, rgb, select } from 'd3';
import { colourLUT, cssColourOf, defaultScheme, domainOf, type ColourDomain, type Interpolator, type ScaleKind, type SchemeName } from './colour-scale';
import { injectStyle } from './feature-grid';

export interface KernelData {
  /** row-major height × width weights */
  data: ArrayLike<number>;
  height: number;
  width: number;
}

export interface KernelOptions {
  /** side of one cell in CSS pixels (default 36) */
  cellSize?: number;
  /** write the values in the cells (default: when cells are at least 22 px) */
  showValues?: boolean;
  /** fixed domain (e.g. shared by all kernels of a layer); default: this kernel's, symmetric when signed */
  domain?: ColourDomain;
  kind?: ScaleKind | 'auto';
  scheme?: SchemeName | Interpolator;
  format?: (v: number) => string;
  onHover?: (info: { row: number; col: number; value: number } | null) => void;
  strings: { ariaLabel: string };
}

export interface KernelHandle {
  readonly element: SVGSVGElement;
  update(kernel: KernelData, options?: Partial<KernelOptions>): void;
  destroy(): void;
}

/** Black or white text, whichever reads better on a fill colour (WCAG relative luminance). */
export function textColourOn(fill: string): '#111' | '#fff' {
  const c = rgb(fill);
  if (!c || Number.isNaN(c.r)) return '#111';
  const lin = (v: number) => {
    const s = v / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  const L = 0.2126 * lin(c.r) + 0.7152 * lin(c.g) + 0.0722 * lin(c.b);
  // contrast with black (L + 0.05) / 0.05 vs with white 1.05 / (L + 0.05): equal at L ≈ 0.179
  return L > 0.179 ? '#111' : '#fff';
}

const KERNEL_CSS = `
.gv-kernel { display: block; max-width: 100%; height: auto; }
.gv-kernel rect { stroke: var(--bg, #fff); stroke-width: 1; }
.gv-kernel text { font-family: var(--mono, monospace); pointer-events: none; }
.gv-kernel rect.gv-kernel-frame { fill: none; stroke: var(--border, #ccc); }
`;

interface Cell {
  row: number;
  col: number;
  value: number;
}

export function drawKernel(el: HTMLElement, kernel: KernelData, options: KernelOptions): KernelHandle {
  injectStyle('gv-kernel-css', KERNEL_CSS);
  let opts = { ...options };
  let cur = kernel;
  const svg = select(el).append('svg').attr('class', 'gv-kernel').attr('role', 'img');
  const title = svg.append('title');
  const desc = svg.append('desc');
  const cellsG = svg.append('g');
  const frame = svg.append('rect').attr('class', 'gv-kernel-frame');
  const f2 = d3format('.2~g');

  function render(): void {
    const { height: h, width: w } = cur;
    const size = opts.cellSize ?? 36;
    const fmt = opts.format ?? ((v: number) => (Number.isFinite(v) ? f2(v).replace('−', '-') : String(v)));
    const show = opts.showValues ?? size >= 22;
    const domain = opts.domain ?? domainOf([cur.data], { kind: opts.kind ?? 'auto' });
    const lut = colourLUT(opts.scheme ?? defaultScheme(domain.kind));
    svg
      .attr('width', w * size + 2)
      .attr('height', h * size + 2)
      .attr('viewBox', `-1 -1 ${w * size + 2} ${h * size + 2}`)
      .attr('aria-label', `${opts.strings.ariaLabel} (${h}×${w})`);
    title.text(`${opts.strings.ariaLabel} (${h}×${w})`);
    const rows: string[] = [];
    for (let r = 0; r < h; r++) rows.push(Array.from({ length: w }, (_, c) => fmt(cur.data[r * w + c])).join(', '));
    desc.text(rows.join('; '));
    const cells: Cell[] = [];
    for (let r = 0; r < h; r++) for (let c = 0; c < w; c++) cells.push({ row: r, col: c, value: cur.data[r * w + c] });
    const g = cellsG
      .selectAll<SVGGElement, Cell>('g')
      .data(cells)
      .join((e) => {
        const s = e.append('g');
        s.append('rect');
        s.append('text').attr('text-anchor', 'middle').attr('dominant-baseline', 'central');
        return s;
      })
      .attr('transform', (d) => `translate(${d.col * size},${d.row * size})`);
    g.select('rect')
      .attr('width', size)
      .attr('height', size)
      .attr('fill', (d) => (Number.isNaN(d.value) ? 'var(--bg-soft, #eee)' : cssColourOf(d.value, domain, lut)));
    g.select('text')
      .attr('x', size / 2)
      .attr('y', size / 2)
      .style('font-size', `${Math.max(8, Math.min(14, size * 0.3))}px`)
      // inline style: the site's `svg text { fill: var(--fg) }` would beat a fill attribute
      .style('fill', (d) => textColourOn(cssColourOf(Number.isNaN(d.value) ? 0 : d.value, domain, lut)))
      .text((d) => (show ? fmt(d.value) : ''));
    frame.attr('width', w * size).attr('height', h * size);
  }

  svg.on('pointermove', (ev: PointerEvent) => {
    if (!opts.onHover) return;
    const t = (ev.target as Element).closest('g');
    const d = t ? (select(t).datum() as Cell | undefined) : undefined;
    opts.onHover(d && typeof d.row === 'number' ? { row: d.row, col: d.col, value: d.value } : null);
  });
  svg.on('pointerleave', () => opts.onHover?.(null));

  render();
  return {
    element: svg.node()!,
    update(k, more) {
      if (more) opts = { ...opts, ...more };
      cur = k;
      render();
    },
    destroy() {
      svg.remove();
    },
  };
}
