/**
 * Attention overlay: a map of any size (a GhostNetV2 DFC attention map, a class-activation map)
 * upsampled with nearest or bilinear interpolation and drawn over a greyscale or RGB base image
 * with some opacity — or drawn alone. The resize functions are pure and follow PyTorch's
 * `F.interpolate` conventions (nearest picks floor(i · in / out); bilinear with or without
 * align_corners), so what the page shows is what the model computes.
 */
import { colourLUT, domainOf, paintValues, type ColourDomain, type Interpolator, type ScaleKind, type SchemeName, extentOf } from './colour-scale';
import { blitImageData, injectStyle, prepareCanvas, valueRange, watchPixelRatio } from './feature-grid';

export type Interpolation = 'nearest' | 'bilinear';

/** Nearest-neighbour resize of a row-major sh × sw map to dh × dw, as PyTorch's mode='nearest': source index floor(i · in / out). */
export function resizeNearest(src: ArrayLike<number>, sh: number, sw: number, dh: number, dw: number, out = new Float32Array(dh * dw)): Float32Array {
  checkSizes(src, sh, sw, dh, dw);
  const cols = new Int32Array(dw);
  for (let x = 0; x < dw; x++) cols[x] = Math.min(sw - 1, Math.floor((x * sw) / dw));
  for (let y = 0; y < dh; y++) {
    const row = Math.min(sh - 1, Math.floor((y * sh) / dh)) * sw;
    const o = y * dw;
    for (let x = 0; x < dw; x++) out[o + x] = src[row + cols[x]];
  }
  return out;
}

/** The source coordinate of destination index `i` for bilinear resizing (PyTorch's area_pixel_compute_source_index). */
export function bilinearSource(i: number, inSize: number, outSize: number, alignCorners: boolean): number {
  if (alignCorners) return outSize > 1 ? (i * (inSize - 1)) / (outSize - 1) : 0;
  const s = ((i + 0.5) * inSize) / outSize - 0.5;
  return s < 0 ? 0 : s;
}

/** Bilinear resize of a row-major sh × sw map to dh × dw, as PyTorch's mode='bilinear' (align_corners false by default). */
export function resizeBilinear(
  src: ArrayLike<number>,
  sh: number,
  sw: number,
  dh: number,
  dw: number,
  alignCorners = false,
  out = new Float32Array(dh * dw),
): Float32Array {
  checkSizes(src, sh, sw, dh, dw);
  const x0s = new Int32Array(dw);
  const x1s = new Int32Array(dw);
  const fx = new Float64Array(dw);
  for (let x = 0; x < dw; x++) {
    const s = bilinearSource(x, sw, dw, alignCorners);
    const x0 = Math.min(sw - 1, Math.floor(s));
    x0s[x] = x0;
    x1s[x] = Math.min(sw - 1, x0 + 1);
    fx[x] = s - x0;
  }
  for (let y = 0; y < dh; y++) {
    const s = bilinearSource(y, sh, dh, alignCorners);
    const y0 = Math.min(sh - 1, Math.floor(s));
    const y1 = Math.min(sh - 1, y0 + 1);
    const fy = s - y0;
    const r0 = y0 * sw;
    const r1 = y1 * sw;
    const o = y * dw;
    for (let x = 0; x < dw; x++) {
      const a = src[r0 + x0s[x]];
      const b = src[r0 + x1s[x]];
      const c = src[r1 + x0s[x]];
      const d = src[r1 + x1s[x]];
      const top = a + (b - a) * fx[x];
      const bot = c + (d - c) * fx[x];
      out[o + x] = top + (bot - top) * fy;
    }
  }
  return out;
}

export function resize(src: ArrayLike<number>, sh: number, sw: number, dh: number, dw: number, mode: Interpolation, alignCorners = false): Float32Array {
  return mode === 'nearest' ? resizeNearest(src, sh, sw, dh, dw) : resizeBilinear(src, sh, sw, dh, dw, alignCorners);
}

function checkSizes(src: ArrayLike<number>, sh: number, sw: number, dh: number, dw: number): void {
  for (const [n, v] of [
    ['sh', sh],
    ['sw', sw],
    ['dh', dh],
    ['dw', dw],
  ] as const) {
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`${n} must be a positive integer, got ${v}`);
  }
  if (src.length < sh * sw) throw new RangeError(`source has ${src.length} values, ${sh}×${sw} needs ${sh * sw}`);
}

// ---------------------------------------------------------------------------------------------
// Base images

/** An interleaved (HWC) image: greyscale (1), RGB (3) or RGBA (4) channels. */
export interface BaseImage {
  data: ArrayLike<number>;
  height: number;
  width: number;
  /** 1 (grey), 3 (RGB) or 4 (RGBA); default: data.length / (height × width) */
  channels?: 1 | 3 | 4;
  /** the value range that maps to black..white; default [0, 255] for byte arrays, else [0, 1] when the data fits, else its extent */
  range?: readonly [number, number];
}

function isImageData(x: unknown): x is ImageData {
  return typeof ImageData !== 'undefined' && x instanceof ImageData;
}

/** The channel count of an interleaved image from its length: 1, 3 or 4 (pure). */
export function channelsOf(length: number, pixels: number): 1 | 3 | 4 {
  const c = pixels > 0 ? length / pixels : 0;
  if (c === 1 || c === 3 || c === 4) return c;
  throw new RangeError(`an image of ${pixels} pixels cannot have ${length} values (1, 3 or 4 channels expected)`);
}

/** RGBA bytes of a base image at its own size (pure). */
export function baseToRGBA(base: BaseImage): Uint8ClampedArray {
  const { data, width, height } = base;
  const n = width * height;
  const channels = base.channels ?? channelsOf(data.length, n);
  if (data.length < n * channels) throw new RangeError(`base image has ${data.length} values, ${height}×${width}×${channels} needs ${n * channels}`);
  let lo: number;
  let hi: number;
  if (base.range) [lo, hi] = base.range;
  else if (data instanceof Uint8Array || data instanceof Uint8ClampedArray) [lo, hi] = [0, 255];
  else {
    const e = extentOf(data, 0, n * channels);
    if (!e) [lo, hi] = [0, 1];
    else if (e.min >= 0 && e.max <= 1) [lo, hi] = [0, 1];
    else if (e.min >= 0 && e.max <= 255) [lo, hi] = [0, 255];
    else [lo, hi] = [e.min, e.max];
  }
  const k = hi > lo ? 255 / (hi - lo) : 0;
  const out = new Uint8ClampedArray(n * 4);
  const v = (x: number) => (x === x ? (x - lo) * k : 0);
  for (let i = 0, j = 0, o = 0; i < n; i++, j += channels, o += 4) {
    if (channels === 1) {
      const g = v(data[j]);
      out[o] = g;
      out[o + 1] = g;
      out[o + 2] = g;
      out[o + 3] = 255;
    } else {
      out[o] = v(data[j]);
      out[o + 1] = v(data[j + 1]);
      out[o + 2] = v(data[j + 2]);
      out[o + 3] = channels === 4 ? v(data[j + 3]) : 255;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The view

export interface OverlayMap {
  data: ArrayLike<number>;
  height: number;
  width: number;
}

export interface OverlayData {
  map: OverlayMap;
  /** drawn underneath; omit to draw the map alone */
  base?: BaseImage | ImageData | null;
}

export interface OverlayOptions {
  /** CSS width (default 224); the height follows the base's (or the map's) aspect ratio unless given */
  width?: number;
  height?: number;
  interpolation?: Interpolation;
  alignCorners?: boolean;
  /** opacity of the map over the base, 0..1 (default 0.55; a map alone is drawn opaque) */
  opacity?: number;
  /** fixed colour domain (e.g. [0, 1] for a sigmoid attention map); default: the map's extent */
  domain?: ColourDomain;
  kind?: ScaleKind | 'auto';
  /** default 'inferno' */
  scheme?: SchemeName | Interpolator;
  /** smooth the base image when scaling it (default true; false shows its pixels) */
  baseSmoothing?: boolean;
  /** reports the map's row, col and value under the pointer (or the keyboard's cursor) */
  onHover?: (info: { row: number; col: number; value: number } | null) => void;
  /** makes pixels choosable: a click, or arrow keys then Enter, picks one */
  onPick?: (info: { row: number; col: number; value: number }) => void;
  /** a pixel outlined on the map (the picked one) */
  mark?: { row: number; col: number } | null;
  strings: { ariaLabel: string };
}

export interface OverlayHandle {
  readonly element: HTMLCanvasElement;
  update(data: OverlayData, options?: Partial<OverlayOptions>): void;
  destroy(): void;
}

const OVERLAY_CSS = `.gv-overlay { display: block; max-width: 100%; height: auto; border: 1px solid var(--border, #ccc); border-radius: 4px; background: #000; }`;

export function drawAttentionOverlay(el: HTMLElement, data: OverlayData, options: OverlayOptions): OverlayHandle {
  injectStyle('gv-overlay-css', OVERLAY_CSS);
  let opts = { ...options };
  let cur = data;
  const canvas = document.createElement('canvas');
  canvas.className = 'gv-overlay';
  canvas.setAttribute('role', 'img');
  el.append(canvas);
  const layer = document.createElement('canvas');

  function render(): void {
    const { map } = cur;
    const base = cur.base ?? null;
    const refW = base ? base.width : map.width;
    const refH = base ? base.height : map.height;
    const cssW = opts.width ?? 224;
    const cssH = opts.height ?? Math.max(1, Math.round((cssW * refH) / Math.max(1, refW)));
    const ctx = prepareCanvas(canvas, cssW, cssH);
    const W = canvas.width;
    const H = canvas.height;
    ctx.clearRect(0, 0, W, H);
    // The picture's text alternative: its name, size and value range.
    canvas.setAttribute('aria-label', `${opts.strings.ariaLabel} (${map.height}×${map.width}): ${valueRange(map.data)}`);
    if (base) {
      const rgba = isImageData(base) ? base : new ImageData(baseToRGBA(base) as Uint8ClampedArray<ArrayBuffer>, base.width, base.height);
      blitImageData(ctx, rgba, undefined, opts.baseSmoothing !== false);
    }
    if (map.width < 1 || map.height < 1) return;
    const up = resize(map.data, map.height, map.width, H, W, opts.interpolation ?? 'bilinear', opts.alignCorners);
    const domain = opts.domain ?? domainOf([map.data], { kind: opts.kind ?? 'auto' });
    const img = new ImageData(W, H);
    paintValues(img.data, up, domain, colourLUT(opts.scheme ?? 'inferno'));
    layer.width = W;
    layer.height = H;
    const lctx = layer.getContext('2d')!;
    lctx.putImageData(img, 0, 0);
    ctx.save();
    ctx.globalAlpha = base ? Math.max(0, Math.min(1, opts.opacity ?? 0.55)) : 1;
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(layer, 0, 0);
    ctx.restore();
    if (opts.mark) {
      const cw = W / map.width;
      const ch = H / map.height;
      const lw = Math.max(2, Math.round(W / 100));
      ctx.lineWidth = lw;
      ctx.strokeStyle = '#0b7a68';
      ctx.strokeRect(opts.mark.col * cw + lw / 2, opts.mark.row * ch + lw / 2, cw - lw, ch - lw);
    }
  }

  let lastKey = '';
  canvas.addEventListener('pointermove', (ev) => {
    if (!opts.onHover) return;
    const { map } = cur;
    const r = canvas.getBoundingClientRect();
    const x = (ev.clientX - r.left - canvas.clientLeft) / canvas.clientWidth;
    const y = (ev.clientY - r.top - canvas.clientTop) / canvas.clientHeight;
    if (x < 0 || y < 0 || x >= 1 || y >= 1) return;
    const col = Math.min(map.width - 1, Math.floor(x * map.width));
    const row = Math.min(map.height - 1, Math.floor(y * map.height));
    const key = `${row},${col}`;
    if (key === lastKey) return;
    lastKey = key;
    opts.onHover({ row, col, value: map.data[row * map.width + col] });
  });
  canvas.addEventListener('pointerleave', () => {
    lastKey = '';
    opts.onHover?.(null);
  });
  const at = (row: number, col: number) => ({ row, col, value: cur.map.data[row * cur.map.width + col] });
  canvas.addEventListener('click', (ev) => {
    if (!opts.onPick) return;
    const r = canvas.getBoundingClientRect();
    const x = (ev.clientX - r.left - canvas.clientLeft) / canvas.clientWidth;
    const y = (ev.clientY - r.top - canvas.clientTop) / canvas.clientHeight;
    if (x < 0 || y < 0 || x >= 1 || y >= 1) return;
    opts.onPick(at(Math.min(cur.map.height - 1, Math.floor(y * cur.map.height)), Math.min(cur.map.width - 1, Math.floor(x * cur.map.width))));
  });
  // The keyboard's cursor starts on the marked pixel; arrows move it, Enter or Space picks it.
  let cursor: { row: number; col: number } | null = null;
  canvas.addEventListener('keydown', (ev) => {
    if (!opts.onPick) return;
    const { height, width } = cur.map;
    const c = cursor ?? opts.mark ?? { row: 0, col: 0 };
    let { row, col } = c;
    if (ev.key === 'ArrowRight') col = Math.min(width - 1, col + 1);
    else if (ev.key === 'ArrowLeft') col = Math.max(0, col - 1);
    else if (ev.key === 'ArrowDown') row = Math.min(height - 1, row + 1);
    else if (ev.key === 'ArrowUp') row = Math.max(0, row - 1);
    else if (ev.key === 'Enter' || ev.key === ' ') {
      ev.preventDefault();
      opts.onPick(at(row, col));
      return;
    } else return;
    ev.preventDefault();
    cursor = { row, col };
    opts.onHover?.(at(row, col));
  });
  const unwatch = watchPixelRatio(() => render());

  if (opts.onPick) canvas.tabIndex = 0;
  render();
  return {
    element: canvas,
    update(d, more) {
      if (more) opts = { ...opts, ...more };
      cur = d;
      render();
    },
    destroy() {
      unwatch();
      canvas.remove();
    },
  };
}
