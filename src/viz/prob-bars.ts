/**
 * Class-probability bars. Up to `topK` classes are all shown in their given order (so bars stay in
 * place as the input changes); with more classes (ImageNet's 1000) the top k are shown, highest
 * first, plus one row for the rest. The top class is emphasised. Bars animate unless the reader
 * prefers reduced motion.
 */
import { format as d3format, select } from 'd3';
import { injectStyle } from './feature-grid';

export interface ProbData {
  labels: readonly string[];
  /** one probability per label (need not sum to exactly 1; NaN counts as 0) */
  probs: ArrayLike<number>;
}

export interface ProbBarsStrings {
  /** accessible name, e.g. "Class probabilities" */
  ariaLabel: string;
  /** the text of the "rest" row, e.g. (990, 0.03) => "990 other classes" / "其余 990 类" */
  others?: (count: number, p: number) => string;
  /** fallback name of a class without a label, e.g. (i) => `class ${i}` */
  classLabel?: (index: number) => string;
}

export interface ProbBarsOptions {
  /** show all classes when there are at most this many, otherwise the top k (default 10) */
  topK?: number;
  /** order when all classes fit: 'given' (default) or 'desc' */
  order?: 'given' | 'desc';
  format?: (p: number) => string;
  /** animate bar changes (default true; always off under prefers-reduced-motion) */
  animate?: boolean;
  /** animation length in ms (default 350) */
  duration?: number;
  strings: ProbBarsStrings;
}

export interface ProbRow {
  index: number;
  label: string;
  p: number;
  top: boolean;
}

export interface ProbRows {
  rows: ProbRow[];
  /** the classes not shown, when only the top k are */
  rest: { count: number; p: number } | null;
}

/** Indices of the k largest values, largest first (ties keep the lower index first; NaN sorts last). */
export function topK(values: ArrayLike<number>, k: number): number[] {
  const n = values.length;
  const kk = Math.max(0, Math.min(k, n));
  const val = (i: number) => {
    const v = values[i];
    return v === v ? v : -Infinity;
  };
  if (kk === 0) return [];
  // small k: keep a sorted buffer (O(n·k)); fine for 1000 classes and k ≤ 20, and no full sort
  if (kk <= 32) {
    const best: number[] = [];
    for (let i = 0; i < n; i++) {
      const v = val(i);
      if (best.length === kk && v <= val(best[kk - 1])) continue;
      let j = best.length === kk ? kk - 1 : best.length;
      if (best.length < kk) best.push(i);
      while (j > 0 && val(best[j - 1]) < v) {
        best[j] = best[j - 1];
        j--;
      }
      best[j] = i;
    }
    return best;
  }
  return Array.from({ length: n }, (_, i) => i)
    .sort((a, b) => val(b) - val(a) || a - b)
    .slice(0, kk);
}

/** The rows to show for some probabilities (pure; see the module comment for the rules). */
export function probRows(data: ProbData, opts: { topK?: number; order?: 'given' | 'desc'; classLabel?: (i: number) => string } = {}): ProbRows {
  const n = data.probs.length;
  const k = Math.max(1, opts.topK ?? 10);
  const p = (i: number) => {
    const v = data.probs[i];
    return Number.isFinite(v) ? Math.max(0, v) : 0;
  };
  const label = (i: number) => data.labels[i] ?? opts.classLabel?.(i) ?? String(i);
  const best = topK(data.probs, 1)[0] ?? -1;
  if (n <= k) {
    const idx = opts.order === 'desc' ? topK(data.probs, n) : Array.from({ length: n }, (_, i) => i);
    return { rows: idx.map((i) => ({ index: i, label: label(i), p: p(i), top: i === best })), rest: null };
  }
  const idx = topK(data.probs, k);
  let shown = 0;
  for (const i of idx) shown += p(i);
  let total = 0;
  for (let i = 0; i < n; i++) total += p(i);
  return {
    rows: idx.map((i) => ({ index: i, label: label(i), p: p(i), top: i === best })),
    rest: { count: n - idx.length, p: Math.max(0, total - shown) },
  };
}

const PROB_CSS = `
.gv-prob { list-style: none; margin: 0; padding: 0; display: grid; grid-template-columns: minmax(4rem, max-content) minmax(60px, 1fr) 4.2rem; gap: 2px 8px; align-items: center; font-size: 0.85rem; }
.gv-prob li { display: grid; grid-column: 1 / -1; grid-template-columns: subgrid; align-items: center; }
.gv-prob-label { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; max-width: 16rem; color: var(--fg, #111); }
.gv-prob-track { height: 0.8rem; background: var(--bg, #fff); border: 1px solid var(--border, #ccc); border-radius: 3px; overflow: hidden; }
.gv-prob-bar { display: block; height: 100%; width: 0; background: var(--fg-soft, #777); }
.gv-prob-value { font-family: var(--mono, monospace); text-align: right; color: var(--fg-soft, #555); }
.gv-prob li.gv-top .gv-prob-label, .gv-prob li.gv-top .gv-prob-value { font-weight: 700; color: var(--fg, #111); }
.gv-prob li.gv-top .gv-prob-bar { background: var(--accent, #0b7a68); }
.gv-prob li.gv-rest .gv-prob-label { font-style: italic; color: var(--fg-soft, #555); }
.gv-prob li.gv-rest .gv-prob-bar { background: var(--border, #ccc); }
`;

function reducedMotion(): boolean {
  return typeof window !== 'undefined' && !!window.matchMedia?.('(prefers-reduced-motion: reduce)').matches;
}

export interface ProbBarsHandle {
  readonly element: HTMLElement;
  update(data: ProbData, options?: Partial<ProbBarsOptions>): void;
  destroy(): void;
}

interface RowDatum {
  key: string;
  label: string;
  p: number;
  top: boolean;
  rest: boolean;
}

export function drawProbBars(el: HTMLElement, data: ProbData, options: ProbBarsOptions): ProbBarsHandle {
  injectStyle('gv-prob-css', PROB_CSS);
  let opts = { ...options };
  const list = select(el).append('ul').attr('class', 'gv-prob');
  const pct = d3format('.1%');

  function render(d: ProbData): void {
    const fmt = opts.format ?? ((p: number) => pct(p));
    const { rows, rest } = probRows(d, { topK: opts.topK, order: opts.order, classLabel: opts.strings.classLabel });
    const items: RowDatum[] = rows.map((r) => ({ key: `c${r.index}`, label: r.label, p: r.p, top: r.top, rest: false }));
    if (rest) items.push({ key: 'rest', label: opts.strings.others?.(rest.count, rest.p) ?? `+${rest.count}`, p: rest.p, top: false, rest: true });
    const animate = opts.animate !== false && !reducedMotion();
    const duration = opts.duration ?? 350;
    list.attr('aria-label', opts.strings.ariaLabel);
    const li = list
      .selectAll<HTMLLIElement, RowDatum>('li')
      .data(items, (r) => r.key)
      .join((enter) => {
        const s = enter.append('li');
        s.append('span').attr('class', 'gv-prob-label');
        s.append('span').attr('class', 'gv-prob-track').attr('aria-hidden', 'true').append('span').attr('class', 'gv-prob-bar');
        s.append('span').attr('class', 'gv-prob-value');
        return s;
      })
      .order()
      .classed('gv-top', (r) => r.top)
      .classed('gv-rest', (r) => r.rest);
    li.select('.gv-prob-label')
      .text((r) => r.label)
      .attr('title', (r) => r.label);
    li.select('.gv-prob-value').text((r) => fmt(r.p));
    li.select<HTMLElement>('.gv-prob-bar')
      .style('transition', animate ? `width ${duration}ms ease-out` : 'none')
      .style('width', (r) => `${Math.min(100, Math.max(0, r.p * 100))}%`);
  }

  render(data);
  return {
    element: list.node()!,
    update(d, more) {
      if (more) opts = { ...opts, ...more };
      render(d);
    },
    destroy() {
      list.remove();
    },
  };
}
