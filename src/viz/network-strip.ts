/**
 * Network strip: a horizontal row of columns, one per block or layer, each showing a few
 * feature-map thumbnails, the layer's name, output shape, parameters and MACs. A click, Enter or
 * Space selects a column (arrow keys move between columns); the selected one is highlighted and
 * scrolled into view. The strip scrolls horizontally when it does not fit.
 */
import { format as d3format, select } from 'd3';
import { colourLUT, defaultScheme, domainsByMode, type Interpolator, type ScaleKind, type ScaleMode, type SchemeName } from './colour-scale';
import { injectStyle, navigate, paintMap, thumbSize, watchPixelRatio, type MapData } from './feature-grid';

export interface StripColumn {
  id: string;
  name: string;
  /** e.g. 'conv', 'ghost', 'dfc'; shown small under the name */
  kind?: string;
  outShape: readonly number[];
  params: number;
  macs: number;
  /** a few maps to show (the strip draws at most `mapsPerColumn` of them) */
  maps: readonly MapData[];
}

export interface NetworkStripStrings {
  /** accessible name of the strip, e.g. "Layers" / "网络层" */
  ariaLabel: string;
  /** short captions, e.g. "params" / "参数", "MACs" / "乘加" */
  params: string;
  macs: string;
  /** caption of the output shape, e.g. "out" / "输出" (optional) */
  shape?: string;
  /** display names of kinds, e.g. { ghost: 'Ghost module' } */
  kindNames?: Record<string, string>;
}

export interface NetworkStripOptions {
  /** longer side of each thumbnail in CSS pixels (default 32) */
  cellSize?: number;
  /** thumbnails per column (default 4) */
  mapsPerColumn?: number;
  /** 'layer' (default): one colour range per column; 'local': per map; 'global': one across the strip */
  scaleMode?: ScaleMode;
  kind?: ScaleKind | 'auto';
  scheme?: SchemeName | Interpolator;
  selected?: string | null;
  onSelect?: (id: string, column: StripColumn) => void;
  /** how counts are written (default SI: 12.3k, 1.41M, 2.3G) */
  formatCount?: (n: number) => string;
  strings: NetworkStripStrings;
}

export interface NetworkStripHandle {
  readonly element: HTMLElement;
  update(columns: readonly StripColumn[], options?: Partial<NetworkStripOptions>): void;
  select(id: string | null): void;
  destroy(): void;
}

/** 5182508 → "5.18M", 141150512 → "141M", 0 → "0". */
export const formatCount: (n: number) => string = (() => {
  const f = d3format('.3~s');
  return (n: number) => (Number.isFinite(n) ? (Math.abs(n) < 1000 ? String(Math.round(n)) : f(n).replace('−', '-')) : '—');
})();

const STRIP_CSS = `
.gv-strip { max-width: 100%; min-width: 0; display: flex; gap: 8px; overflow-x: auto; overscroll-behavior-x: contain; padding: 4px 4px 10px; scroll-snap-type: x proximity; -webkit-overflow-scrolling: touch; }
.gv-col { flex: 0 0 auto; display: flex; flex-direction: column; align-items: center; gap: 4px; min-width: 84px; max-width: 150px; padding: 6px;
  border: 1px solid var(--border, #ccc); border-radius: var(--radius, 8px); background: var(--bg, #fff); color: var(--fg, #111); cursor: pointer; scroll-snap-align: start; }
.gv-col:hover { border-color: var(--fg-soft, #777); }
.gv-col[aria-selected='true'] { border: 2px solid var(--accent, #0b7a68); background: var(--accent-soft, #d8efe9); padding: 5px; }
.gv-col:focus-visible { outline: 3px solid var(--accent, #0b7a68); outline-offset: 2px; }
.gv-col-name { font-weight: 600; font-size: 0.8rem; text-align: center; line-height: 1.2; overflow-wrap: anywhere; }
.gv-col-kind { font-size: 0.7rem; color: var(--fg-soft, #555); }
.gv-col-maps { display: grid; gap: 2px; }
.gv-col-maps canvas { display: block; image-rendering: pixelated; border: 1px solid var(--border, #ccc); }
.gv-col-maps canvas[data-group='intrinsic'] { border-color: var(--intrinsic, #2f6fd1); }
.gv-col-maps canvas[data-group='ghost'] { border-color: var(--ghost, #d0672a); border-style: dashed; }
.gv-col-meta { font: 0.7rem/1.35 var(--mono, monospace); color: var(--fg-soft, #555); text-align: center; }
.gv-col-meta b { font-weight: 600; color: var(--fg, #111); }
`;

export function drawNetworkStrip(el: HTMLElement, columns: readonly StripColumn[], options: NetworkStripOptions): NetworkStripHandle {
  injectStyle('gv-strip-css', STRIP_CSS);
  let opts = { ...options };
  let cols: StripColumn[] = [];
  let selected: string | null = opts.selected ?? null;
  let focusIndex = 0;
  const strip = select(el).append('div').attr('class', 'gv-strip').attr('role', 'listbox').attr('aria-orientation', 'horizontal');
  const node = strip.node()!;

  const items = () => Array.from(node.children) as HTMLElement[];

  function render(): void {
    const size = opts.cellSize ?? 32;
    const k = Math.max(1, opts.mapsPerColumn ?? 4);
    const fc = opts.formatCount ?? formatCount;
    const s = opts.strings;
    strip.attr('aria-label', s.ariaLabel);
    const shown = cols.map((c) => c.maps.slice(0, k));
    const domains = domainsByMode(
      shown.map((ms) => ms.map((m) => m.data)),
      opts.scaleMode ?? 'layer',
      { kind: opts.kind ?? 'auto' },
    );
    const kind = domains.find((d) => d.length)?.[0]?.kind ?? 'sequential';
    const lut = colourLUT(opts.scheme ?? defaultScheme(kind));
    const data = cols.map((c, i) => ({ c, i }));
    strip
      .selectAll<HTMLDivElement, { c: StripColumn; i: number }>('div.gv-col')
      .data(data, (d) => d.c.id)
      .join((enter) => {
        const e = enter.append('div').attr('class', 'gv-col').attr('role', 'option').attr('tabindex', '-1');
        e.append('div').attr('class', 'gv-col-name');
        e.append('div').attr('class', 'gv-col-kind');
        e.append('div').attr('class', 'gv-col-maps').attr('aria-hidden', 'true');
        e.append('div').attr('class', 'gv-col-meta').attr('aria-hidden', 'true');
        // Spaces between the visible parts (the layout draws none) keep "stem", "conv" and "out …"
        // separate words, so the visible text reads as the start of the accessible name (WCAG 2.5.3).
        e.each(function () {
          for (const child of Array.from(this.children).slice(1)) this.insertBefore(document.createTextNode(' '), child);
        });
        return e;
      })
      .order()
      .each(function ({ c, i }) {
        const col = this;
        col.dataset.id = c.id;
        col.dataset.index = String(i);
        const shape = c.outShape.join('×');
        const kindName = c.kind ? s.kindNames?.[c.kind] ?? c.kind : '';
        col.setAttribute('aria-selected', String(c.id === selected));
        col.setAttribute(
          'aria-label',
          [c.name, kindName, `${s.shape ? `${s.shape} ` : ''}${shape}`, `${s.params} ${fc(c.params)}`, `${s.macs} ${fc(c.macs)}`].filter(Boolean).join(', '),
        );
        (col.children[0] as HTMLElement).textContent = c.name;
        const kindEl = col.children[1] as HTMLElement;
        kindEl.textContent = kindName;
        kindEl.hidden = !kindName;
        const mapsEl = col.children[2] as HTMLElement;
        const ms = shown[i];
        mapsEl.style.gridTemplateColumns = `repeat(${Math.min(ms.length, Math.ceil(Math.sqrt(k))) || 1}, auto)`;
        select(mapsEl)
          .selectAll<HTMLCanvasElement, MapData>('canvas')
          .data(ms)
          .join('canvas')
          .each(function (m, j) {
            const t = thumbSize(m, size);
            if (m.group) this.dataset.group = m.group;
            else delete this.dataset.group;
            paintMap(this, m, domains[i][j], lut, t.width, t.height);
          });
        const meta = col.children[3] as HTMLElement;
        meta.replaceChildren();
        const line = (caption: string | undefined, value: string) => {
          const div = document.createElement('div');
          if (caption) div.append(`${caption} `);
          const b = document.createElement('b');
          b.textContent = value;
          div.append(b);
          if (meta.childNodes.length) meta.append(' ');
          meta.append(div);
        };
        line(s.shape, shape);
        line(s.params, fc(c.params));
        line(s.macs, fc(c.macs));
      });
    focusIndex = Math.max(0, Math.min(focusIndex, cols.length - 1));
    const si = cols.findIndex((c) => c.id === selected);
    if (si >= 0) focusIndex = si;
    items().forEach((it, i) => it.setAttribute('tabindex', i === focusIndex ? '0' : '-1'));
    if (si >= 0) reveal(items()[si]);
  }

  function choose(i: number, focus: boolean): void {
    const c = cols[i];
    if (!c) return;
    handle.select(c.id);
    moveFocus(i, focus);
    opts.onSelect?.(c.id, c);
  }
  function moveFocus(i: number, focus = true): void {
    const its = items();
    if (!its.length) return;
    its[focusIndex]?.setAttribute('tabindex', '-1');
    focusIndex = Math.max(0, Math.min(its.length - 1, i));
    const it = its[focusIndex];
    it.setAttribute('tabindex', '0');
    if (focus) it.focus({ preventScroll: true });
    reveal(it);
  }
  /** Scrolls the strip (only the strip, never the page) so a column is in view. */
  function reveal(it: HTMLElement): void {
    const sr = node.getBoundingClientRect();
    const r = it.getBoundingClientRect();
    if (r.left < sr.left) node.scrollLeft += r.left - sr.left - 8;
    else if (r.right > sr.right) node.scrollLeft += r.right - sr.right + 8;
  }

  node.addEventListener('click', (ev) => {
    const col = (ev.target as Element).closest<HTMLElement>('.gv-col');
    if (col) choose(Number(col.dataset.index), false);
  });
  node.addEventListener('keydown', (ev) => {
    if (!cols.length) return;
    if (ev.key === 'Enter' || ev.key === ' ') {
      ev.preventDefault();
      choose(focusIndex, true);
      return;
    }
    const key = ev.key === 'ArrowDown' ? 'ArrowRight' : ev.key === 'ArrowUp' ? 'ArrowLeft' : ev.key;
    const next = navigate(key, focusIndex, cols.length, 1);
    if (next === null) return;
    ev.preventDefault();
    moveFocus(next);
  });
  node.addEventListener('focusin', (ev) => {
    const col = (ev.target as Element).closest<HTMLElement>('.gv-col');
    if (col) focusIndex = Number(col.dataset.index);
  });
  const unwatch = watchPixelRatio(() => render());

  const handle: NetworkStripHandle = {
    element: node,
    update(next, more) {
      if (more) {
        opts = { ...opts, ...more };
        if (more.selected !== undefined) selected = more.selected;
      }
      cols = next.slice();
      render();
    },
    select(id) {
      selected = id;
      for (const it of items()) {
        it.setAttribute('aria-selected', String(it.dataset.id === id));
        if (it.dataset.id === id) reveal(it);
      }
    },
    destroy() {
      unwatch();
      node.remove();
    },
  };
  handle.update(columns);
  return handle;
}
