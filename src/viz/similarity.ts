/**
 * How alike the maps of one layer are: cosine similarity between every pair of maps (a pure
 * function), drawn as a heatmap matrix, plus the k most similar pairs side by side with their
 * similarity — the GhostNet paper's Figure 1 observation that many feature maps are near-copies
 * ("ghosts") of others.
 */
import { format as d3format, select } from 'd3';
import { colourLUT, defaultScheme, domainsByMode, paintValues, type ColourDomain, type Interpolator, type ScaleKind, type SchemeName } from './colour-scale';
import { blitImageData, injectStyle, paintMap, prepareCanvas, thumbSize, watchPixelRatio, type MapData } from './feature-grid';

// One cosine for the whole site: the model library's (plain arrays in, a number out).
export { cosineSimilarity } from '../model/resemblance';

/**
 * The n × n matrix (row-major Float32Array) of cosine similarities between n maps of equal size.
 * The diagonal is 1, except for an all-zero map, whose row and column are 0 (its direction is
 * undefined). Non-finite values count as 0. Symmetric by construction.
 */
export function cosineSimilarityMatrix(maps: readonly ArrayLike<number>[]): Float32Array {
  const n = maps.length;
  const out = new Float32Array(n * n);
  if (n === 0) return out;
  const len = maps[0].length;
  // normalise each map once (float64, cleaned), then every pair is a dot product
  const unit: Float64Array[] = maps.map((m, idx) => {
    if (m.length !== len) throw new RangeError(`map ${idx} has ${m.length} values, map 0 has ${len}`);
    const v = new Float64Array(len);
    let s = 0;
    for (let i = 0; i < len; i++) {
      const x = Number.isFinite(m[i]) ? m[i] : 0;
      v[i] = x;
      s += x * x;
    }
    if (s > 0) {
      const k = 1 / Math.sqrt(s);
      for (let i = 0; i < len; i++) v[i] *= k;
    }
    return v;
  });
  const nonzero = unit.map((v) => v.some((x) => x !== 0));
  for (let i = 0; i < n; i++) {
    const a = unit[i];
    out[i * n + i] = nonzero[i] ? 1 : 0;
    for (let j = i + 1; j < n; j++) {
      const b = unit[j];
      let dot = 0;
      for (let t = 0; t < len; t++) dot += a[t] * b[t];
      const s = dot > 1 ? 1 : dot < -1 ? -1 : dot;
      out[i * n + j] = s;
      out[j * n + i] = s;
    }
  }
  return out;
}

export interface SimilarPair {
  i: number;
  j: number;
  similarity: number;
}

/**
 * The k most similar distinct pairs (i < j) of an n × n similarity matrix, most similar first
 * (ties by i, then j). `by: 'absolute'` ranks by |similarity| (a map and its negative are alike
 * too). NaN entries are skipped.
 */
export function topSimilarPairs(matrix: ArrayLike<number>, n: number, k: number, opts: { by?: 'value' | 'absolute' } = {}): SimilarPair[] {
  if (matrix.length < n * n) throw new RangeError(`matrix has ${matrix.length} entries, need ${n * n}`);
  const abs = opts.by === 'absolute';
  const key = (s: number) => (abs ? Math.abs(s) : s);
  const kk = Math.max(0, Math.min(k, (n * (n - 1)) / 2));
  const best: SimilarPair[] = [];
  if (kk === 0) return best;
  const better = (a: SimilarPair, b: SimilarPair) => key(a.similarity) > key(b.similarity) || (key(a.similarity) === key(b.similarity) && (a.i < b.i || (a.i === b.i && a.j < b.j)));
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const s = matrix[i * n + j];
      if (s !== s) continue;
      if (best.length === kk && key(s) <= key(best[kk - 1].similarity)) continue;
      const p = { i, j, similarity: s };
      let at = best.length === kk ? kk - 1 : best.length;
      if (best.length < kk) best.push(p);
      while (at > 0 && better(p, best[at - 1])) {
        best[at] = best[at - 1];
        at--;
      }
      best[at] = p;
    }
  }
  return best;
}

// ---------------------------------------------------------------------------------------------
// The view

export interface SimilarityStrings {
  /** accessible name of the matrix, e.g. "Cosine similarity between maps" */
  matrixLabel: string;
  /** heading / accessible name of the pair list, e.g. "Most similar pairs" */
  pairsLabel: string;
  /** accessible text of a pair, default "a ~ b: 0.93" */
  pairText?: (a: MapData, b: MapData, similarity: number) => string;
}

export interface SimilarityOptions {
  /** the matrix's side in CSS pixels (default 240) */
  matrixSize?: number;
  /** longer side of each pair thumbnail (default 48) */
  thumbSize?: number;
  /** number of pairs listed (default 6) */
  topK?: number;
  /** rank pairs by similarity (default) or by |similarity| */
  by?: 'value' | 'absolute';
  /** a precomputed matrix (n × n) for these maps */
  matrix?: Float32Array;
  /** colour of the thumbnails: one range for the layer (default) or per map */
  thumbScale?: 'layer' | 'local';
  kind?: ScaleKind | 'auto';
  scheme?: SchemeName | Interpolator;
  /** colour scheme of the matrix (diverging over [−1, 1]; default RdBu) */
  matrixScheme?: SchemeName | Interpolator;
  format?: (v: number) => string;
  onHover?: (pair: SimilarPair | null) => void;
  onSelectPair?: (pair: SimilarPair) => void;
  /** the pair shown as chosen (aria-pressed), e.g. after the view is drawn again */
  selected?: { i: number; j: number } | null;
  strings: SimilarityStrings;
}

export interface SimilarityHandle {
  readonly element: HTMLElement;
  update(maps: readonly MapData[], options?: Partial<SimilarityOptions>): void;
  /** the current matrix */
  matrix(): Float32Array;
  pairs(): SimilarPair[];
  destroy(): void;
}

const SIM_CSS = `
.gv-sim { display: flex; flex-wrap: wrap; gap: 1rem; align-items: flex-start; }
.gv-sim-matrix { position: relative; flex: 0 0 auto; }
.gv-sim-matrix canvas { display: block; image-rendering: pixelated; border: 1px solid var(--border, #ccc); cursor: crosshair; }
.gv-sim-matrix canvas:focus-visible { outline: 3px solid var(--accent, #0b7a68); outline-offset: 2px; }
.gv-sim-cursor { position: absolute; pointer-events: none; border: 2px solid var(--accent, #0b7a68); box-shadow: 0 0 0 1px var(--bg, #fff); }
.gv-sim-cursor[hidden], .gv-sim-tip[hidden] { display: none; }
.gv-sim-tip { position: absolute; z-index: 3; pointer-events: none; background: var(--bg, #fff); color: var(--fg, #111); border: 1px solid var(--border, #ccc); border-radius: 4px; padding: 1px 6px; font: 0.75rem/1.4 var(--mono, monospace); white-space: nowrap; }
.gv-sim-readout { min-height: 1.4em; font: 0.8rem var(--mono, monospace); color: var(--fg-soft, #555); }
.gv-sim-pairs { flex: 1 1 220px; min-width: 0; }
.gv-sim-pairs h4 { margin: 0 0 0.4rem; font-size: 0.9rem; }
.gv-sim-pairs ol { list-style: none; margin: 0; padding: 0; display: grid; gap: 4px; }
.gv-sim-pairs button { display: flex; align-items: center; gap: 6px; width: 100%; font: inherit; color: var(--fg, #111); background: var(--bg, #fff);
  border: 1px solid var(--border, #ccc); border-radius: 6px; padding: 3px 6px; cursor: pointer; text-align: left; }
.gv-sim-pairs button[aria-pressed='true'] { border-color: var(--accent, #0b7a68); background: var(--accent-soft, #d8efe9); }
.gv-sim-pairs canvas { display: block; image-rendering: pixelated; border: 2px solid var(--border, #ccc); }
.gv-sim-pairs canvas[data-group='intrinsic'] { border-color: var(--intrinsic, #2f6fd1); }
.gv-sim-pairs canvas[data-group='ghost'] { border-color: var(--ghost, #d0672a); border-style: dashed; }
.gv-sim-names { font: 0.75rem/1.3 var(--mono, monospace); color: var(--fg-soft, #555); overflow-wrap: anywhere; min-width: 0; flex: 1; }
.gv-sim-value { font: 600 0.85rem var(--mono, monospace); }
`;

const SIM_DOMAIN: ColourDomain = { kind: 'diverging', min: -1, max: 1 };

export function drawSimilarity(el: HTMLElement, maps: readonly MapData[], options: SimilarityOptions): SimilarityHandle {
  injectStyle('gv-sim-css', SIM_CSS);
  let opts = { ...options };
  let current: MapData[] = [];
  let mat: Float32Array = new Float32Array(0);
  let pairs: SimilarPair[] = [];
  let cursor: { i: number; j: number } | null = null;
  let chosen: SimilarPair | null = null;
  const fmt2 = d3format('.3f');

  const root = document.createElement('div');
  root.className = 'gv-sim';
  const matrixBox = document.createElement('div');
  matrixBox.className = 'gv-sim-matrix';
  const canvas = document.createElement('canvas');
  canvas.tabIndex = 0;
  canvas.setAttribute('role', 'img');
  const cursorEl = document.createElement('div');
  cursorEl.className = 'gv-sim-cursor';
  cursorEl.hidden = true;
  const tip = document.createElement('div');
  tip.className = 'gv-sim-tip';
  tip.hidden = true;
  tip.setAttribute('aria-hidden', 'true');
  const readout = document.createElement('div');
  readout.className = 'gv-sim-readout';
  readout.setAttribute('aria-live', 'polite');
  matrixBox.append(canvas, cursorEl, tip, readout);
  const pairsBox = document.createElement('div');
  pairsBox.className = 'gv-sim-pairs';
  const heading = document.createElement('h4');
  const list = document.createElement('ol');
  pairsBox.append(heading, list);
  root.append(matrixBox, pairsBox);
  el.append(root);

  const fmt = () => opts.format ?? ((v: number) => fmt2(v).replace('−', '-'));
  const nameOf = (i: number) => current[i]?.label ?? current[i]?.id ?? String(i);
  const pairText = (p: SimilarPair) =>
    opts.strings.pairText ? opts.strings.pairText(current[p.i], current[p.j], p.similarity) : `${nameOf(p.i)} ~ ${nameOf(p.j)}: ${fmt()(p.similarity)}`;

  function drawMatrix(): void {
    const n = current.length;
    const size = opts.matrixSize ?? 240;
    const ctx = prepareCanvas(canvas, size, size);
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    if (n === 0) return;
    const img = new ImageData(n, n);
    paintValues(img.data, mat, SIM_DOMAIN, colourLUT(opts.matrixScheme ?? 'rdbu'));
    // more maps than backing pixels: average instead of dropping rows
    blitImageData(ctx, img, undefined, n > canvas.width);
    canvas.setAttribute('aria-label', `${opts.strings.matrixLabel} (${n}×${n})`);
  }

  function thumbDomains(): ColourDomain[] {
    const mode = opts.thumbScale === 'local' ? 'local' : 'layer';
    return domainsByMode([current.map((m) => m.data)], mode, { kind: opts.kind ?? 'auto' })[0];
  }

  function drawPairs(): void {
    heading.textContent = opts.strings.pairsLabel;
    list.setAttribute('aria-label', opts.strings.pairsLabel);
    const doms = thumbDomains();
    const kind = doms[0]?.kind ?? 'sequential';
    const lut = colourLUT(opts.scheme ?? defaultScheme(kind));
    const ts = opts.thumbSize ?? 48;
    select(list)
      .selectAll<HTMLLIElement, SimilarPair>('li')
      .data(pairs)
      .join((enter) => {
        const li = enter.append('li');
        const b = li.append('button').attr('type', 'button');
        b.append('canvas').attr('aria-hidden', 'true');
        b.append('canvas').attr('aria-hidden', 'true');
        b.append('span').attr('class', 'gv-sim-names').attr('aria-hidden', 'true');
        b.append('span').attr('class', 'gv-sim-value').attr('aria-hidden', 'true');
        // A space between the visible names and value (a flex gap draws none) keeps them separate
        // words, as in the accessible name (WCAG 2.5.3, label in name).
        b.each(function () {
          this.insertBefore(document.createTextNode(' '), this.lastElementChild);
        });
        return li;
      })
      .each(function (p) {
        const b = this.firstElementChild as HTMLButtonElement;
        b.setAttribute('aria-label', pairText(p));
        b.setAttribute('aria-pressed', String(!!chosen && chosen.i === p.i && chosen.j === p.j));
        b.dataset.i = String(p.i);
        b.dataset.j = String(p.j);
        const [c1, c2, names, value] = Array.from(b.children) as [HTMLCanvasElement, HTMLCanvasElement, HTMLElement, HTMLElement];
        for (const [c, idx] of [
          [c1, p.i],
          [c2, p.j],
        ] as const) {
          const m = current[idx];
          const t = thumbSize(m, ts);
          if (m.group) c.dataset.group = m.group;
          else delete c.dataset.group;
          paintMap(c, m, doms[idx], lut, t.width, t.height);
        }
        names.textContent = `${nameOf(p.i)} · ${nameOf(p.j)}`;
        value.textContent = fmt()(p.similarity);
      });
  }

  function cellFromPoint(clientX: number, clientY: number): { i: number; j: number } | null {
    const n = current.length;
    if (!n) return null;
    const r = canvas.getBoundingClientRect();
    const x = clientX - r.left - canvas.clientLeft;
    const y = clientY - r.top - canvas.clientTop;
    if (x < 0 || y < 0 || x >= canvas.clientWidth || y >= canvas.clientHeight) return null;
    return { i: Math.min(n - 1, Math.floor((y / canvas.clientHeight) * n)), j: Math.min(n - 1, Math.floor((x / canvas.clientWidth) * n)) };
  }

  function showCursor(c: { i: number; j: number } | null, announce: boolean): void {
    const n = current.length;
    if (!c || !n) {
      cursorEl.hidden = true;
      return;
    }
    const cw = canvas.clientWidth / n;
    const ch = canvas.clientHeight / n;
    const ox = canvas.offsetLeft + canvas.clientLeft;
    const oy = canvas.offsetTop + canvas.clientTop;
    const minPx = 4;
    const w = Math.max(minPx, cw);
    const h = Math.max(minPx, ch);
    cursorEl.style.left = `${ox + c.j * cw - (w - cw) / 2 - 2}px`;
    cursorEl.style.top = `${oy + c.i * ch - (h - ch) / 2 - 2}px`;
    cursorEl.style.width = `${w}px`;
    cursorEl.style.height = `${h}px`;
    cursorEl.hidden = false;
    const p: SimilarPair = { i: c.i, j: c.j, similarity: mat[c.i * n + c.j] };
    const text = pairText(p);
    if (announce) readout.textContent = text;
    opts.onHover?.(p);
  }

  let lastKey = '';
  canvas.addEventListener('pointermove', (ev) => {
    const c = cellFromPoint(ev.clientX, ev.clientY);
    if (!c) {
      tip.hidden = true;
      return;
    }
    const key = `${c.i},${c.j}`;
    const n = current.length;
    const p: SimilarPair = { i: c.i, j: c.j, similarity: mat[c.i * n + c.j] };
    tip.textContent = pairText(p);
    tip.hidden = false;
    const br = matrixBox.getBoundingClientRect();
    tip.style.left = `${Math.min(ev.clientX - br.left + 12, Math.max(0, (opts.matrixSize ?? 240) - 40))}px`;
    tip.style.top = `${ev.clientY - br.top + 14}px`;
    if (key !== lastKey) {
      lastKey = key;
      opts.onHover?.(p);
    }
  });
  canvas.addEventListener('pointerleave', () => {
    tip.hidden = true;
    if (lastKey) {
      lastKey = '';
      opts.onHover?.(null);
    }
  });
  canvas.addEventListener('click', (ev) => {
    const c = cellFromPoint(ev.clientX, ev.clientY);
    if (!c) return;
    cursor = c;
    showCursor(c, true);
    selectPair({ i: c.i, j: c.j, similarity: mat[c.i * current.length + c.j] });
  });
  canvas.addEventListener('keydown', (ev) => {
    const n = current.length;
    if (!n) return;
    const c = cursor ?? { i: 0, j: Math.min(1, n - 1) };
    let { i, j } = c;
    switch (ev.key) {
      case 'ArrowRight': j = Math.min(n - 1, j + 1); break;
      case 'ArrowLeft': j = Math.max(0, j - 1); break;
      case 'ArrowDown': i = Math.min(n - 1, i + 1); break;
      case 'ArrowUp': i = Math.max(0, i - 1); break;
      case 'Home': i = 0; j = 0; break;
      case 'End': i = n - 1; j = n - 1; break;
      case 'Enter':
      case ' ':
        ev.preventDefault();
        selectPair({ i, j, similarity: mat[i * n + j] });
        return;
      default:
        return;
    }
    ev.preventDefault();
    cursor = { i, j };
    showCursor(cursor, true);
  });
  canvas.addEventListener('focus', () => {
    if (!cursor && current.length) {
      cursor = { i: 0, j: Math.min(1, current.length - 1) };
    }
    showCursor(cursor, true);
  });
  list.addEventListener('click', (ev) => {
    const b = (ev.target as Element).closest<HTMLButtonElement>('button');
    if (!b) return;
    const i = Number(b.dataset.i);
    const j = Number(b.dataset.j);
    cursor = { i, j };
    showCursor(cursor, true);
    selectPair({ i, j, similarity: mat[i * current.length + j] });
  });

  function selectPair(p: SimilarPair): void {
    chosen = p;
    for (const b of Array.from(list.querySelectorAll('button'))) {
      b.setAttribute('aria-pressed', String(Number(b.dataset.i) === p.i && Number(b.dataset.j) === p.j));
    }
    opts.onSelectPair?.(p);
  }

  function render(): void {
    drawMatrix();
    drawPairs();
    if (cursor && (cursor.i >= current.length || cursor.j >= current.length)) cursor = null;
    if (cursor) showCursor(cursor, false);
    else cursorEl.hidden = true;
  }

  const unwatch = watchPixelRatio(() => render());
  const handle: SimilarityHandle = {
    element: root,
    update(next, more) {
      // a precomputed matrix belongs to one set of maps: used for this update only
      const { matrix: given, ...rest } = more ?? {};
      opts = { ...opts, ...rest, matrix: undefined };
      current = next.slice();
      mat = given && given.length === current.length * current.length ? given : cosineSimilarityMatrix(current.map((m) => m.data));
      pairs = topSimilarPairs(mat, current.length, opts.topK ?? 6, { by: opts.by });
      const sel = opts.selected;
      chosen = sel && sel.i < current.length && sel.j < current.length ? { ...sel, similarity: mat[sel.i * current.length + sel.j] } : null;
      render();
    },
    matrix: () => mat,
    pairs: () => pairs.slice(),
    destroy() {
      unwatch();
      root.remove();
    },
  };
  handle.update(maps, { matrix: opts.matrix });
  return handle;
}
