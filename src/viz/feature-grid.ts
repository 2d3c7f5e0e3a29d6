/**
 * Feature-map grid: one small canvas per map, coloured through a lookup table, with labels,
 * intrinsic/ghost borders, hover read-out (row, col, value) with a tooltip, and a keyboard-operable
 * listbox (arrow keys move, Enter or Space selects).
 *
 * Also home of the raster helpers the other views share (painting a map into a canvas at the
 * device's pixel ratio with crisp pixels, injecting the views' CSS) and of the tensor helpers that
 * split an HWC or CHW Float32Array into per-channel maps. Knows nothing of any model: it draws
 * whatever arrays of any size it is given.
 */
import { format as d3format, select } from 'd3';
import {
  colourLUT,
  defaultScheme,
  domainsByMode,
  paintValues,
  resolveKind,
  type ColourDomain,
  type Interpolator,
  type ScaleKind,
  type ScaleMode,
  type SchemeName,
} from './colour-scale';

// ---------------------------------------------------------------------------------------------
// Data

/** One feature map: `data` holds height × width values in row-major order. */
export interface MapData {
  id: string;
  label?: string;
  /** 'intrinsic' and 'ghost' get the site's --intrinsic / --ghost borders; other names a neutral one. */
  group?: 'intrinsic' | 'ghost' | (string & {});
  data: ArrayLike<number>;
  height: number;
  width: number;
}

export type TensorLayout = 'HWC' | 'CHW';

/** [height, width, channels] of a 3-D shape (a leading batch of 1 is allowed) in the given layout. */
export function hwcOf(shape: readonly number[], layout: TensorLayout): [number, number, number] {
  let s = shape;
  if (s.length === 4) {
    if (s[0] !== 1) throw new RangeError(`expected a batch of 1, got shape [${shape.join(', ')}]`);
    s = s.slice(1);
  }
  if (s.length === 2) s = layout === 'HWC' ? [s[0], s[1], 1] : [1, s[0], s[1]];
  if (s.length !== 3 || s.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new RangeError(`expected a shape of rank 2, 3 or 4, got [${shape.join(', ')}]`);
  }
  return layout === 'HWC' ? [s[0], s[1], s[2]] : [s[1], s[2], s[0]];
}

/** Channel `c` of an HWC or CHW tensor as a row-major height × width Float32Array. */
export function channelOf(data: ArrayLike<number>, shape: readonly number[], layout: TensorLayout, c: number): Float32Array {
  const [h, w, ch] = hwcOf(shape, layout);
  if (data.length < h * w * ch) throw new RangeError(`data has ${data.length} values, shape needs ${h * w * ch}`);
  if (c < 0 || c >= ch) throw new RangeError(`channel ${c} out of range 0..${ch - 1}`);
  const hw = h * w;
  if (layout === 'CHW') {
    if (data instanceof Float32Array) return data.slice(c * hw, (c + 1) * hw);
    return Float32Array.from({ length: hw }, (_, i) => data[c * hw + i]);
  }
  const out = new Float32Array(hw);
  for (let i = 0, j = c; i < hw; i++, j += ch) out[i] = data[j];
  return out;
}

/** Every channel of an HWC or CHW tensor as its own row-major map. */
export function splitChannels(data: ArrayLike<number>, shape: readonly number[], layout: TensorLayout): Float32Array[] {
  const [h, w, ch] = hwcOf(shape, layout);
  const hw = h * w;
  if (data.length < hw * ch) throw new RangeError(`data has ${data.length} values, shape needs ${hw * ch}`);
  if (layout === 'CHW') return Array.from({ length: ch }, (_, c) => channelOf(data, shape, layout, c));
  const out = Array.from({ length: ch }, () => new Float32Array(hw));
  for (let i = 0, j = 0; i < hw; i++) for (let c = 0; c < ch; c++, j++) out[c][i] = data[j];
  return out;
}

/**
 * Maps for a grid from a tensor: ids `${prefix}${c}`, and an optional group per channel (for a
 * Ghost module's output, channels below the intrinsic count are intrinsic, the rest ghost).
 */
export function mapsFromTensor(
  data: ArrayLike<number>,
  shape: readonly number[],
  layout: TensorLayout,
  opts: { idPrefix?: string; group?: (c: number) => string | undefined; label?: (c: number) => string; channels?: readonly number[] } = {},
): MapData[] {
  const [h, w, ch] = hwcOf(shape, layout);
  const which = opts.channels ?? Array.from({ length: ch }, (_, c) => c);
  const all = opts.channels ? null : splitChannels(data, shape, layout);
  return which.map((c, i) => ({
    id: `${opts.idPrefix ?? 'c'}${c}`,
    label: opts.label ? opts.label(c) : String(c),
    group: opts.group?.(c),
    data: all ? all[i] : channelOf(data, shape, layout, c),
    height: h,
    width: w,
  }));
}

// ---------------------------------------------------------------------------------------------
// Shared raster and DOM helpers (used by the other views in src/viz)

/** Adds a <style> block once per id (the views carry their own CSS; colours come from the site's variables). */
export function injectStyle(id: string, css: string): void {
  if (typeof document === 'undefined' || document.getElementById(id)) return;
  const s = document.createElement('style');
  s.id = id;
  s.textContent = css;
  document.head.append(s);
}

export function pixelRatio(): number {
  return typeof window === 'undefined' ? 1 : Math.max(1, Math.min(4, window.devicePixelRatio || 1));
}

/** Calls `cb` whenever the device pixel ratio changes (browser zoom, another screen); returns an unsubscribe. */
export function watchPixelRatio(cb: () => void): () => void {
  if (typeof window === 'undefined' || !window.matchMedia) return () => {};
  let mq: MediaQueryList | null = null;
  const listen = () => {
    mq = window.matchMedia(`(resolution: ${window.devicePixelRatio || 1}dppx)`);
    mq.addEventListener('change', onChange, { once: true });
  };
  const onChange = () => {
    cb();
    listen();
  };
  listen();
  return () => mq?.removeEventListener('change', onChange);
}

let scratch: HTMLCanvasElement | null = null;
let scratchCtx: CanvasRenderingContext2D | null = null;
const imageDataCache = new Map<string, ImageData>();

/** A reusable ImageData of a size (the views paint synchronously, so one per size is enough). */
function scratchImage(width: number, height: number): ImageData {
  const key = `${width}x${height}`;
  let img = imageDataCache.get(key);
  if (!img) {
    if (imageDataCache.size > 32) imageDataCache.clear();
    img = new ImageData(width, height);
    imageDataCache.set(key, img);
  }
  return img;
}

/** Sizes a canvas for CSS size × pixel ratio and returns its 2-D context with smoothing off. */
export function prepareCanvas(
  canvas: HTMLCanvasElement,
  cssWidth: number,
  cssHeight: number,
  dpr = pixelRatio(),
  /** a CPU-backed context (willReadFrequently): cheaper to create and to putImageData into; right for thumbnails (first call on a canvas decides) */
  cpu = false,
): CanvasRenderingContext2D {
  const bw = Math.max(1, Math.round(cssWidth * dpr));
  const bh = Math.max(1, Math.round(cssHeight * dpr));
  if (canvas.width !== bw) canvas.width = bw;
  if (canvas.height !== bh) canvas.height = bh;
  // content-box: the CSS size is the drawing's size even when a border is added (the site sets border-box on everything)
  canvas.style.boxSizing = 'content-box';
  canvas.style.width = `${cssWidth}px`;
  canvas.style.height = `${cssHeight}px`;
  const ctx = canvas.getContext('2d', cpu ? { willReadFrequently: true } : undefined);
  if (!ctx) throw new Error('2-D canvas unavailable');
  ctx.imageSmoothingEnabled = false;
  return ctx;
}

/**
 * Paints an RGBA ImageData into `ctx`'s whole canvas (or the given rectangle in backing pixels),
 * scaled with or without smoothing.
 */
export function blitImageData(
  ctx: CanvasRenderingContext2D,
  img: ImageData,
  rect: { x: number; y: number; width: number; height: number } = { x: 0, y: 0, width: ctx.canvas.width, height: ctx.canvas.height },
  smooth = false,
): void {
  if (img.width === rect.width && img.height === rect.height && !smooth && rect.x === 0 && rect.y === 0) {
    ctx.putImageData(img, 0, 0);
    return;
  }
  if (!scratch) {
    scratch = document.createElement('canvas');
    scratchCtx = scratch.getContext('2d');
  }
  if (!scratchCtx) throw new Error('2-D canvas unavailable');
  if (scratch.width < img.width || scratch.height < img.height) {
    scratch.width = Math.max(scratch.width, img.width);
    scratch.height = Math.max(scratch.height, img.height);
  }
  scratchCtx.putImageData(img, 0, 0);
  ctx.imageSmoothingEnabled = smooth;
  if (smooth) ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(scratch, 0, 0, img.width, img.height, rect.x, rect.y, rect.width, rect.height);
}

/** Colours a map's values into a (shared, reused) ImageData of the map's own size. */
export function mapToImageData(map: Pick<MapData, 'data' | 'height' | 'width'>, domain: ColourDomain, lut: Uint8ClampedArray, nan?: readonly [number, number, number, number]): ImageData {
  const img = scratchImage(map.width, map.height);
  paintValues(img.data, map.data, domain, lut, { count: map.width * map.height, nan });
  return img;
}

/**
 * Nearest-neighbour enlargement of RGBA pixels (src w × h into dst W × H), whole pixels copied as
 * 32-bit words and repeated rows copied in one go. Pure (works on plain arrays).
 */
export function upscaleNearestRGBA(src: Uint8ClampedArray, w: number, h: number, dst: Uint8ClampedArray, W: number, H: number): void {
  const s32 = new Uint32Array(src.buffer, src.byteOffset, w * h);
  const d32 = new Uint32Array(dst.buffer, dst.byteOffset, W * H);
  const xs = new Int32Array(W);
  for (let x = 0; x < W; x++) xs[x] = Math.min(w - 1, Math.floor((x * w) / W));
  let prev = -1;
  for (let y = 0; y < H; y++) {
    const sy = Math.min(h - 1, Math.floor((y * h) / H));
    const o = y * W;
    if (sy === prev) {
      d32.copyWithin(o, o - W, o);
      continue;
    }
    prev = sy;
    const r = sy * w;
    for (let x = 0; x < W; x++) d32[o + x] = s32[r + xs[x]];
  }
}

/**
 * Paints a map into a canvas of the given CSS size: crisp (nearest) pixels at the device pixel
 * ratio. The enlargement is done in JS and written with one putImageData into a CPU-backed
 * context: measured in Chromium, 480 thumbnails paint ~7× faster than with drawImage from a scratch
 * canvas, and the contexts are created ~40% faster than GPU-eligible ones.
 */
export function paintMap(
  canvas: HTMLCanvasElement,
  map: Pick<MapData, 'data' | 'height' | 'width'>,
  domain: ColourDomain,
  lut: Uint8ClampedArray,
  cssWidth: number,
  cssHeight: number,
  nan?: readonly [number, number, number, number],
): void {
  const ctx = prepareCanvas(canvas, cssWidth, cssHeight, pixelRatio(), true);
  const W = canvas.width;
  const H = canvas.height;
  if (map.width === 0 || map.height === 0) {
    ctx.clearRect(0, 0, W, H);
    return;
  }
  const small = mapToImageData(map, domain, lut, nan);
  if (W === map.width && H === map.height) {
    ctx.putImageData(small, 0, 0);
    return;
  }
  const big = scratchImage(W, H);
  upscaleNearestRGBA(small.data, map.width, map.height, big.data, W, H);
  ctx.putImageData(big, 0, 0);
}

/** CSS size of a thumbnail whose longer side is `size`, keeping the map's aspect ratio. */
export function thumbSize(map: Pick<MapData, 'height' | 'width'>, size: number): { width: number; height: number } {
  const m = Math.max(map.width, map.height, 1);
  return { width: Math.max(1, Math.round((size * map.width) / m)), height: Math.max(1, Math.round((size * map.height) / m)) };
}

/** The value formatter the views use by default: 3 significant digits, no trailing zeros. */
export const defaultFormat: (v: number) => string = (() => {
  const f = d3format('.3~g');
  return (v: number) => (Number.isFinite(v) ? f(v).replace('−', '-') : String(v));
})();

/**
 * A map's smallest and largest value, "-0.52 … 1.31": with its name, the text alternative of a map
 * whose values a sighted reader sees as colours. NaN is skipped; an empty map gives "—".
 */
export function valueRange(data: ArrayLike<number>, format: (v: number) => string = defaultFormat): string {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo <= hi ? `${format(lo)} … ${format(hi)}` : '—';
}

/** Number of items in the first visual row of a wrapped list (for up/down arrow keys). */
export function columnsOf(items: readonly HTMLElement[]): number {
  if (items.length === 0) return 1;
  const top = items[0].offsetTop;
  let n = 0;
  while (n < items.length && Math.abs(items[n].offsetTop - top) < 2) n++;
  return Math.max(1, n);
}

/** The index reached from `i` by a navigation key in a wrapped grid of `n` items and `cols` columns; null for other keys. */
export function navigate(key: string, i: number, n: number, cols: number): number | null {
  switch (key) {
    case 'ArrowRight':
      return Math.min(n - 1, i + 1);
    case 'ArrowLeft':
      return Math.max(0, i - 1);
    case 'ArrowDown':
      return i + cols < n ? i + cols : i;
    case 'ArrowUp':
      return i - cols >= 0 ? i - cols : i;
    case 'Home':
      return 0;
    case 'End':
      return n - 1;
    case 'PageDown':
      return Math.min(n - 1, i + cols * 4);
    case 'PageUp':
      return Math.max(0, i - cols * 4);
    default:
      return null;
  }
}

// ---------------------------------------------------------------------------------------------
// The grid

export interface MapHover {
  id: string;
  map: MapData;
  /** row and column in the map's own pixels (0-based) */
  row: number;
  col: number;
  value: number;
  domain: ColourDomain;
}

export interface FeatureGridStrings {
  /** accessible name of the whole grid, e.g. "Feature maps of block 3" */
  ariaLabel: string;
  /** accessible name of one map; default: its label (or id), its group name and its value range */
  mapLabel?: (map: MapData, index: number) => string;
  /** display names of groups, e.g. { intrinsic: 'intrinsic', ghost: 'ghost' } / { intrinsic: '本征', ghost: '幻影' } */
  groupNames?: Record<string, string>;
}

export interface FeatureGridOptions {
  scaleMode: ScaleMode;
  /** the longer side of each thumbnail in CSS pixels */
  cellSize: number;
  /** fixed number of columns; default: as many as fit */
  columns?: number;
  /** diverging / sequential / auto (default: diverging if any value is negative) */
  kind?: ScaleKind | 'auto';
  /** colour scheme; default RdBu for diverging, greys for sequential */
  scheme?: SchemeName | Interpolator;
  /** a fixed domain for every map: required for scaleMode 'global' (from domainsByMode over all layers); without it 'global' acts as 'layer' */
  domain?: ColourDomain;
  /** sequential domains start at 0 (or below): a map of non-negative values (after a ReLU) keeps 0 as its lowest colour */
  includeZero?: boolean;
  /** show each map's label under it (default true) */
  labels?: boolean;
  /** extra border colours per group name (CSS colours); intrinsic/ghost use the site's variables */
  groupColours?: Record<string, string>;
  highlight?: readonly string[];
  /** the selected map (aria-selected); several for a selected pair */
  selected?: string | readonly string[] | null;
  onHover?: (info: MapHover | null) => void;
  /** a map got keyboard focus (arrow keys, Tab): the keyboard's hover */
  onFocusMap?: (id: string, map: MapData) => void;
  /** a click, Enter or Space on a map */
  onClick?: (id: string, map: MapData) => void;
  format?: (v: number) => string;
  /** tooltip text; default `label (row, col) value` */
  tooltip?: (info: MapHover) => string;
  strings: FeatureGridStrings;
}

export interface FeatureGridHandle {
  readonly element: HTMLElement;
  update(maps: readonly MapData[], options?: Partial<FeatureGridOptions>): void;
  setHighlight(ids: readonly string[]): void;
  /** selects one map, several (a pair) or none */
  select(id: string | readonly string[] | null): void;
  focus(id: string, opts?: { preventScroll?: boolean }): void;
  domainOf(id: string): ColourDomain | undefined;
  destroy(): void;
}

const GRID_CSS = `
.gv-wrap { position: relative; max-width: 100%; min-width: 0; }
.gv-grid { display: grid; gap: 6px 4px; grid-template-columns: repeat(auto-fill, var(--gv-col)); justify-content: start; margin: 0; padding: 2px; }
.gv-grid.gv-fixed { grid-template-columns: repeat(var(--gv-cols), var(--gv-col)); }
.gv-cell { display: flex; flex-direction: column; align-items: center; gap: 2px; padding: 2px; border-radius: 4px; cursor: crosshair; min-width: 0; }
.gv-cell canvas { display: block; border: 2px solid var(--border, #ccc); image-rendering: pixelated; background: var(--bg-soft, #eee); }
.gv-cell[data-group='intrinsic'] canvas { border-color: var(--intrinsic, #2f6fd1); }
.gv-cell[data-group='ghost'] canvas { border-color: var(--ghost, #d0672a); border-style: dashed; }
.gv-cell.gv-hl canvas { outline: 3px solid var(--accent, #0b7a68); outline-offset: 1px; }
.gv-cell[aria-selected='true'] { background: var(--accent-soft, #d8efe9); box-shadow: inset 0 0 0 1px var(--accent, #0b7a68); }
.gv-cell:focus-visible { outline: 3px solid var(--accent, #0b7a68); outline-offset: 1px; }
.gv-label { font-size: 0.7rem; line-height: 1.1; color: var(--fg-soft, #555); max-width: 100%; text-align: center; overflow-wrap: anywhere; font-family: var(--mono, monospace); }
.gv-tip { position: absolute; z-index: 3; pointer-events: none; background: var(--bg, #fff); color: var(--fg, #111); border: 1px solid var(--border, #ccc);
  border-radius: 4px; padding: 1px 6px; font: 0.75rem/1.4 var(--mono, monospace); white-space: nowrap; box-shadow: 0 1px 4px rgba(0,0,0,.2); }
.gv-tip[hidden] { display: none; }
`;

let gridCounter = 0;

/**
 * Draws `maps` into `el` as a grid of thumbnails. Returns a handle to update the maps (cells are
 * kept by id and repainted), change highlights and selection, and remove everything.
 */
export function drawFeatureGrid(el: HTMLElement, maps: readonly MapData[], options: FeatureGridOptions): FeatureGridHandle {
  injectStyle('gv-grid-css', GRID_CSS);
  let opts: FeatureGridOptions = { ...options };
  let current: MapData[] = [];
  let domains = new Map<string, ColourDomain>();
  let highlight = new Set(opts.highlight ?? []);
  const asSet = (sel: string | readonly string[] | null | undefined) => new Set(sel == null ? [] : typeof sel === 'string' ? [sel] : sel);
  let selected = asSet(opts.selected);
  let focusIndex = 0;
  const uid = `gv${++gridCounter}`;

  const wrap = document.createElement('div');
  wrap.className = 'gv-wrap';
  const grid = document.createElement('div');
  grid.className = 'gv-grid';
  grid.setAttribute('role', 'listbox');
  const tip = document.createElement('div');
  tip.className = 'gv-tip';
  tip.hidden = true;
  tip.setAttribute('aria-hidden', 'true');
  wrap.append(grid, tip);
  el.append(wrap);

  const fmt = () => opts.format ?? defaultFormat;
  const cells = (): HTMLElement[] => Array.from(grid.children) as HTMLElement[];
  const mapAt = (cell: Element | null): { map: MapData; index: number } | null => {
    if (!cell) return null;
    const index = Number((cell as HTMLElement).dataset.index);
    const map = current[index];
    return map ? { map, index } : null;
  };

  function accessibleName(map: MapData, index: number): string {
    if (opts.strings.mapLabel) return opts.strings.mapLabel(map, index);
    const g = map.group ? opts.strings.groupNames?.[map.group] ?? map.group : '';
    const name = g ? `${map.label ?? map.id} (${g})` : map.label ?? map.id;
    return `${name}: ${valueRange(map.data, fmt())}`;
  }

  function computeDomains(): void {
    domains = new Map();
    if (opts.domain) {
      for (const m of current) domains.set(m.id, opts.domain);
      return;
    }
    const mode = opts.scaleMode === 'global' ? 'layer' : opts.scaleMode;
    const ds = domainsByMode([current.map((m) => m.data)], mode, { kind: opts.kind ?? 'auto', includeZero: opts.includeZero })[0];
    current.forEach((m, i) => domains.set(m.id, ds[i]));
  }

  function lut(): Uint8ClampedArray {
    // every domain of one grid has the same kind (decided over all its maps)
    const first: ColourDomain | undefined = domains.values().next().value;
    const kind = first?.kind ?? resolveKind(null, opts.kind ?? 'auto');
    return colourLUT(opts.scheme ?? defaultScheme(kind));
  }

  function render(): void {
    grid.setAttribute('aria-label', opts.strings.ariaLabel);
    grid.classList.toggle('gv-fixed', !!opts.columns);
    grid.style.setProperty('--gv-col', `${opts.cellSize + 8}px`);
    if (opts.columns) grid.style.setProperty('--gv-cols', String(opts.columns));
    computeDomains();
    const table = lut();
    const showLabels = opts.labels !== false;
    const indexed = current.map((m, i) => ({ m, i }));
    select(grid)
      .selectAll<HTMLDivElement, { m: MapData; i: number }>('div.gv-cell')
      .data(indexed, (d) => d.m.id)
      .join((enter) =>
        enter.append('div').attr('class', 'gv-cell').attr('role', 'option').attr('tabindex', '-1').call((s) => {
          s.append('canvas').attr('aria-hidden', 'true');
          s.append('span').attr('class', 'gv-label').attr('aria-hidden', 'true');
        }),
      )
      .order()
      .each(function (d) {
        const cell = this;
        cell.id = `${uid}-${d.i}`;
        cell.dataset.index = String(d.i);
        cell.dataset.id = d.m.id;
        if (d.m.group) cell.dataset.group = d.m.group;
        else delete cell.dataset.group;
        cell.setAttribute('aria-label', accessibleName(d.m, d.i));
        cell.setAttribute('aria-selected', String(selected.has(d.m.id)));
        cell.classList.toggle('gv-hl', highlight.has(d.m.id));
        const canvas = cell.firstElementChild as HTMLCanvasElement;
        const size = thumbSize(d.m, opts.cellSize);
        const custom = d.m.group ? opts.groupColours?.[d.m.group] : undefined;
        canvas.style.borderColor = custom ?? '';
        paintMap(canvas, d.m, domains.get(d.m.id)!, table, size.width, size.height);
        const label = cell.lastElementChild as HTMLElement;
        label.textContent = showLabels ? d.m.label ?? d.m.id : '';
        label.hidden = !showLabels;
      });
    grid.setAttribute('aria-multiselectable', String(selected.size > 1));
    focusIndex = Math.min(focusIndex, Math.max(0, current.length - 1));
    cells().forEach((c, i) => c.setAttribute('tabindex', i === focusIndex ? '0' : '-1'));
  }

  function hoverAt(cell: HTMLElement, clientX: number, clientY: number): MapHover | null {
    const hit = mapAt(cell);
    if (!hit) return null;
    const canvas = cell.firstElementChild as HTMLCanvasElement;
    const r = canvas.getBoundingClientRect();
    // the canvas has a 2 px border: map coordinates inside its content box
    const bw = canvas.clientLeft;
    const bh = canvas.clientTop;
    const x = clientX - r.left - bw;
    const y = clientY - r.top - bh;
    const { map } = hit;
    if (x < 0 || y < 0 || x >= canvas.clientWidth || y >= canvas.clientHeight) return null;
    const col = Math.min(map.width - 1, Math.floor((x / canvas.clientWidth) * map.width));
    const row = Math.min(map.height - 1, Math.floor((y / canvas.clientHeight) * map.height));
    return { id: map.id, map, row, col, value: map.data[row * map.width + col], domain: domains.get(map.id)! };
  }

  function showTip(info: MapHover | null, clientX = 0, clientY = 0): void {
    if (!info) {
      tip.hidden = true;
      return;
    }
    tip.textContent = opts.tooltip ? opts.tooltip(info) : `${info.map.label ?? info.id} (${info.row}, ${info.col}) ${fmt()(info.value)}`;
    tip.hidden = false;
    const wr = wrap.getBoundingClientRect();
    const x = clientX - wr.left + 14;
    const y = clientY - wr.top + 14;
    const maxX = Math.max(0, wrap.clientWidth - tip.offsetWidth - 2);
    tip.style.left = `${Math.min(x, maxX)}px`;
    tip.style.top = `${y}px`;
  }

  let lastHoverKey = '';
  const onMove = (ev: PointerEvent) => {
    const cell = (ev.target as Element).closest<HTMLElement>('.gv-cell');
    const info = cell ? hoverAt(cell, ev.clientX, ev.clientY) : null;
    showTip(info, ev.clientX, ev.clientY);
    const key = info ? `${info.id}:${info.row}:${info.col}` : '';
    if (key !== lastHoverKey) {
      lastHoverKey = key;
      opts.onHover?.(info);
    }
  };
  const onLeave = () => {
    showTip(null);
    if (lastHoverKey) {
      lastHoverKey = '';
      opts.onHover?.(null);
    }
  };
  const activate = (cell: HTMLElement) => {
    const hit = mapAt(cell);
    if (!hit) return;
    handle.select(hit.map.id);
    opts.onClick?.(hit.map.id, hit.map);
  };
  const onClick = (ev: MouseEvent) => {
    const cell = (ev.target as Element).closest<HTMLElement>('.gv-cell');
    if (!cell) return;
    moveFocus(Number(cell.dataset.index), false);
    activate(cell);
  };
  const moveFocus = (i: number, focus = true, preventScroll = false) => {
    const cs = cells();
    if (!cs.length) return;
    cs[focusIndex]?.setAttribute('tabindex', '-1');
    focusIndex = Math.max(0, Math.min(cs.length - 1, i));
    const c = cs[focusIndex];
    c.setAttribute('tabindex', '0');
    if (focus) {
      c.focus({ preventScroll });
      if (!preventScroll) c.scrollIntoView?.({ block: 'nearest', inline: 'nearest' });
    }
  };
  const onKey = (ev: KeyboardEvent) => {
    const cs = cells();
    if (!cs.length) return;
    if (ev.key === 'Enter' || ev.key === ' ') {
      ev.preventDefault();
      activate(cs[focusIndex]);
      return;
    }
    if (ev.key === 'Escape') {
      showTip(null);
      return;
    }
    const cols = opts.columns ?? columnsOf(cs);
    const next = navigate(ev.key, focusIndex, cs.length, cols);
    if (next === null) return;
    ev.preventDefault();
    moveFocus(next);
  };
  const onFocusIn = (ev: FocusEvent) => {
    const cell = (ev.target as Element).closest<HTMLElement>('.gv-cell');
    if (!cell) return;
    // The roving tab stop follows focus, however it arrived (keys, a click, a restored focus).
    cells()[focusIndex]?.setAttribute('tabindex', '-1');
    focusIndex = Number(cell.dataset.index);
    cell.setAttribute('tabindex', '0');
    const hit = mapAt(cell);
    if (hit) opts.onFocusMap?.(hit.map.id, hit.map);
  };
  grid.addEventListener('pointermove', onMove);
  grid.addEventListener('pointerleave', onLeave);
  grid.addEventListener('click', onClick);
  grid.addEventListener('keydown', onKey);
  grid.addEventListener('focusin', onFocusIn);
  const unwatch = watchPixelRatio(() => render());

  const handle: FeatureGridHandle = {
    element: wrap,
    update(next, more) {
      if (more) {
        opts = { ...opts, ...more };
        if (more.highlight) highlight = new Set(more.highlight);
        if (more.selected !== undefined) selected = asSet(more.selected);
      }
      current = next.slice();
      render();
    },
    setHighlight(ids) {
      highlight = new Set(ids);
      for (const c of cells()) c.classList.toggle('gv-hl', highlight.has(c.dataset.id ?? ''));
    },
    select(id) {
      selected = asSet(id);
      grid.setAttribute('aria-multiselectable', String(selected.size > 1));
      for (const c of cells()) c.setAttribute('aria-selected', String(selected.has(c.dataset.id ?? '')));
    },
    focus(id, o) {
      const i = current.findIndex((m) => m.id === id);
      if (i >= 0) moveFocus(i, true, o?.preventScroll ?? false);
    },
    domainOf(id) {
      return domains.get(id);
    },
    destroy() {
      unwatch();
      wrap.remove();
    },
  };
  handle.update(maps);
  return handle;
}
