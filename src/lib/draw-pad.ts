/**
 * A drawing pad for mouse, pen and touch (pointer events, pen pressure, coalesced events), with a
 * brush size, light-on-dark (Fashion-MNIST: light objects on black) or dark-on-light strokes, and
 * a keyboard pen (arrow keys move it, Space or Enter lowers/lifts it, Delete clears). After each
 * change (debounced) it hands over the drawing as ImageData at the output size (e.g. 28 × 28).
 */
import { downscaleSteps } from './image-input';

export type PadMode = 'light-on-dark' | 'dark-on-light';

export interface DrawPadStrings {
  /** accessible name, e.g. "Drawing pad" / "绘图板" */
  ariaLabel: string;
  /** how to draw with the keyboard, read by screen readers, e.g. "Arrow keys move the pen; Space lowers or lifts it; Delete clears." */
  keyboardHelp?: string;
  /** what screen readers call the widget, e.g. "drawing canvas" / "画布" (optional) */
  roleDescription?: string;
}

export interface DrawPadOptions {
  /** CSS size of the pad (default 280 × 280) */
  width?: number;
  height?: number;
  /** size of the ImageData handed over (default 28 × 28) */
  output?: number | { width: number; height: number };
  /** brush diameter in CSS pixels of the pad (default 22) */
  brushSize?: number;
  mode?: PadMode;
  /** delay after the last stroke movement before onChange (default 120 ms; 0 = on every stroke end only) */
  debounceMs?: number;
  /** a pen's pressure scales the brush (default true) */
  pressure?: boolean;
  onChange?: (image: ImageData) => void;
  /** wired to clear() on click */
  clearButton?: HTMLElement | null;
  strings: DrawPadStrings;
}

export interface DrawPadHandle {
  readonly element: HTMLCanvasElement;
  clear(): void;
  setBrushSize(px: number): void;
  setMode(mode: PadMode): void;
  /** the drawing at the output size (or another size) */
  getImageData(size?: number | { width: number; height: number }): ImageData;
  /** nothing drawn since the last clear */
  isBlank(): boolean;
  destroy(): void;
}

const PAD_CSS = `
.gv-pad { position: relative; display: inline-block; line-height: 0; }
.gv-pad canvas { box-sizing: content-box; display: block; touch-action: none; cursor: crosshair; border: 1px solid var(--border, #ccc); border-radius: 4px; }
.gv-pad canvas:focus-visible { outline: 3px solid var(--accent, #0b7a68); outline-offset: 2px; }
.gv-pad-pen { position: absolute; pointer-events: none; border: 2px solid var(--accent, #0b7a68); border-radius: 50%; box-shadow: 0 0 0 1px var(--bg, #fff); }
.gv-pad-pen[data-down='true'] { background: color-mix(in srgb, var(--accent, #0b7a68) 35%, transparent); }
.gv-pad-pen[hidden] { display: none; }
.gv-pad-help { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
`;

function sizeOf(s: number | { width: number; height: number } | undefined, dflt: number): { width: number; height: number } {
  if (s === undefined) return { width: dflt, height: dflt };
  if (typeof s === 'number') return { width: Math.max(1, Math.round(s)), height: Math.max(1, Math.round(s)) };
  return { width: Math.max(1, Math.round(s.width)), height: Math.max(1, Math.round(s.height)) };
}

let padCounter = 0;

export function createDrawPad(el: HTMLElement, options: DrawPadOptions): DrawPadHandle {
  if (!document.getElementById('gv-pad-css')) {
    const st = document.createElement('style');
    st.id = 'gv-pad-css';
    st.textContent = PAD_CSS;
    document.head.append(st);
  }
  let opts = { ...options };
  const cssW = opts.width ?? 280;
  const cssH = opts.height ?? opts.width ?? 280;
  const dpr = Math.max(1, Math.min(3, window.devicePixelRatio || 1));
  let mode: PadMode = opts.mode ?? 'light-on-dark';
  let brush = opts.brushSize ?? 22;
  let blank = true;

  const wrap = document.createElement('div');
  wrap.className = 'gv-pad';
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(cssW * dpr);
  canvas.height = Math.round(cssH * dpr);
  canvas.style.width = `${cssW}px`;
  canvas.style.height = `${cssH}px`;
  canvas.tabIndex = 0;
  canvas.setAttribute('role', 'application');
  if (opts.strings.roleDescription) canvas.setAttribute('aria-roledescription', opts.strings.roleDescription);
  canvas.setAttribute('aria-label', opts.strings.ariaLabel);
  const pen = document.createElement('div');
  pen.className = 'gv-pad-pen';
  pen.hidden = true;
  wrap.append(canvas, pen);
  if (opts.strings.keyboardHelp) {
    const help = document.createElement('span');
    help.className = 'gv-pad-help';
    help.id = `gv-pad-help-${++padCounter}`;
    help.textContent = opts.strings.keyboardHelp;
    wrap.append(help);
    canvas.setAttribute('aria-describedby', help.id);
  }
  el.append(wrap);

  const ctx = canvas.getContext('2d', { willReadFrequently: false })!;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.lineCap = 'round';
  ctx.lineJoin = 'round';

  const ink = () => (mode === 'light-on-dark' ? '#fff' : '#000');
  const paper = () => (mode === 'light-on-dark' ? '#000' : '#fff');

  function fill(): void {
    ctx.save();
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.fillStyle = paper();
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.restore();
  }
  fill();

  let timer: ReturnType<typeof setTimeout> | null = null;
  function changed(now = false): void {
    if (!opts.onChange) return;
    if (timer) clearTimeout(timer);
    timer = null;
    const wait = opts.debounceMs ?? 120;
    if (now || wait <= 0) {
      opts.onChange(handle.getImageData());
      return;
    }
    timer = setTimeout(() => {
      timer = null;
      opts.onChange?.(handle.getImageData());
    }, wait);
  }

  function dot(x: number, y: number, w: number): void {
    ctx.fillStyle = ink();
    ctx.beginPath();
    ctx.arc(x, y, w / 2, 0, Math.PI * 2);
    ctx.fill();
    blank = false;
  }
  function segment(x0: number, y0: number, x1: number, y1: number, w: number): void {
    ctx.strokeStyle = ink();
    ctx.lineWidth = w;
    ctx.beginPath();
    ctx.moveTo(x0, y0);
    ctx.lineTo(x1, y1);
    ctx.stroke();
    blank = false;
  }

  // --- pointer drawing
  let active: number | null = null;
  let last: { x: number; y: number } | null = null;
  const widthFor = (ev: PointerEvent) => (ev.pointerType === 'pen' && opts.pressure !== false && ev.pressure > 0 ? brush * (0.35 + 0.9 * ev.pressure) : brush);
  const pos = (ev: PointerEvent) => {
    const r = canvas.getBoundingClientRect();
    return { x: ((ev.clientX - r.left - canvas.clientLeft) * cssW) / canvas.clientWidth, y: ((ev.clientY - r.top - canvas.clientTop) * cssH) / canvas.clientHeight };
  };
  const onDown = (ev: PointerEvent) => {
    if (ev.pointerType === 'mouse' && ev.button !== 0) return;
    if (active !== null) return;
    active = ev.pointerId;
    try {
      canvas.setPointerCapture(ev.pointerId);
    } catch {
      /* synthetic events may have no capturable pointer */
    }
    ev.preventDefault();
    last = pos(ev);
    dot(last.x, last.y, widthFor(ev));
    changed();
  };
  const onMove = (ev: PointerEvent) => {
    if (ev.pointerId !== active || !last) return;
    const events = typeof ev.getCoalescedEvents === 'function' ? ev.getCoalescedEvents() : [];
    for (const e of events.length ? events : [ev]) {
      const p = pos(e);
      segment(last.x, last.y, p.x, p.y, widthFor(e));
      last = p;
    }
    changed();
  };
  const onUp = (ev: PointerEvent) => {
    if (ev.pointerId !== active) return;
    active = null;
    last = null;
    changed(true);
  };
  canvas.addEventListener('pointerdown', onDown);
  canvas.addEventListener('pointermove', onMove);
  canvas.addEventListener('pointerup', onUp);
  canvas.addEventListener('pointercancel', onUp);
  canvas.addEventListener('lostpointercapture', onUp);

  // --- keyboard pen
  let kx = cssW / 2;
  let ky = cssH / 2;
  let down = false;
  const showPen = () => {
    pen.hidden = false;
    pen.style.width = pen.style.height = `${brush}px`;
    pen.style.left = `${canvas.offsetLeft + canvas.clientLeft + (kx - brush / 2) * (canvas.clientWidth / cssW) - 2}px`;
    pen.style.top = `${canvas.offsetTop + canvas.clientTop + (ky - brush / 2) * (canvas.clientHeight / cssH) - 2}px`;
    pen.dataset.down = String(down);
  };
  canvas.addEventListener('focus', () => {
    if (canvas.matches(':focus-visible')) showPen();
  });
  canvas.addEventListener('blur', () => {
    pen.hidden = true;
    if (down) {
      down = false;
      changed(true);
    }
  });
  canvas.addEventListener('keydown', (ev) => {
    const step = ev.shiftKey ? 16 : 4;
    let dx = 0;
    let dy = 0;
    switch (ev.key) {
      case 'ArrowLeft': dx = -step; break;
      case 'ArrowRight': dx = step; break;
      case 'ArrowUp': dy = -step; break;
      case 'ArrowDown': dy = step; break;
      case ' ':
      case 'Enter':
        ev.preventDefault();
        down = !down;
        if (down) {
          dot(kx, ky, brush);
          changed();
        } else changed(true);
        showPen();
        return;
      case 'Delete':
      case 'Backspace':
        ev.preventDefault();
        handle.clear();
        return;
      default:
        return;
    }
    ev.preventDefault();
    const nx = Math.max(0, Math.min(cssW, kx + dx));
    const ny = Math.max(0, Math.min(cssH, ky + dy));
    if (down) {
      segment(kx, ky, nx, ny, brush);
      changed();
    }
    kx = nx;
    ky = ny;
    showPen();
  });

  const onClear = () => handle.clear();
  opts.clearButton?.addEventListener('click', onClear);

  const handle: DrawPadHandle = {
    element: canvas,
    clear() {
      fill();
      blank = true;
      changed(true);
    },
    setBrushSize(px) {
      if (Number.isFinite(px) && px > 0) brush = px;
      if (!pen.hidden) showPen();
    },
    setMode(m) {
      if (m === mode) return;
      mode = m;
      // swap black and white exactly, keeping the drawing
      ctx.save();
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.globalCompositeOperation = 'difference';
      ctx.fillStyle = '#fff';
      ctx.fillRect(0, 0, canvas.width, canvas.height);
      ctx.restore();
      changed(true);
    },
    getImageData(size) {
      const out = sizeOf(size ?? opts.output, 28);
      let src: HTMLCanvasElement = canvas;
      for (const step of downscaleSteps(canvas.width, canvas.height, out.width, out.height).slice(0, -1)) {
        const c = document.createElement('canvas');
        c.width = step.width;
        c.height = step.height;
        const cx = c.getContext('2d')!;
        cx.imageSmoothingQuality = 'high';
        cx.drawImage(src, 0, 0, step.width, step.height);
        src = c;
      }
      const c = document.createElement('canvas');
      c.width = out.width;
      c.height = out.height;
      const cx = c.getContext('2d', { willReadFrequently: true })!;
      cx.imageSmoothingQuality = 'high';
      cx.drawImage(src, 0, 0, out.width, out.height);
      return cx.getImageData(0, 0, out.width, out.height);
    },
    isBlank: () => blank,
    destroy() {
      if (timer) clearTimeout(timer);
      opts.clearButton?.removeEventListener('click', onClear);
      wrap.remove();
      opts = { ...opts, onChange: undefined };
    },
  };
  return handle;
}
