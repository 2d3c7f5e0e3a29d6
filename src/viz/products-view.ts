/**
 * One output value of a convolution, term by term: the input window under the kernel, the
 * kernel, and their element-wise products, as three small tables (CNN Explainer's view of a
 * neuron). Positions outside the input (zero padding) are marked. Knows nothing of any model.
 */
import { defaultFormat, injectStyle } from './feature-grid';

export interface ProductsData {
  rows: number;
  cols: number;
  /** row-major; null where the window leaves the input (padding) */
  window: readonly (number | null)[];
  /** absent: the window alone (e.g. a region a later pass reads row by row) */
  kernel?: readonly number[];
  products?: readonly number[];
}

export interface ProductsOptions {
  format?: (v: number) => string;
  strings: { window: string; kernel?: string; products?: string; padding: string };
}

const CSS = `
.gv-products { display: flex; flex-wrap: wrap; gap: 0.5rem 1rem; align-items: flex-start; max-width: 100%; overflow-x: auto; }
.gv-products table { border-collapse: collapse; font: 0.75rem var(--mono, monospace); }
.gv-products caption { font-size: 0.8rem; color: var(--fg-soft, #555); text-align: left; padding-bottom: 2px; }
.gv-products th { font-weight: 600; padding: 2px 4px; text-align: right; border-bottom: 1px solid var(--border, #ccc); }
.gv-products td { border: 1px solid var(--border, #ccc); padding: 2px 4px; text-align: right; min-width: 3.2em; }
.gv-products:focus-visible { outline: 3px solid var(--accent, #0b7a68); outline-offset: 2px; }
.gv-products td.gv-pad { color: var(--fg-soft, #555); background: var(--bg-soft, #eee); font-style: italic; }
`;

/** A named box of tables that scrolls sideways on a narrow screen: reachable by keyboard, named. */
function scrollGroup(label: string): HTMLDivElement {
  const root = document.createElement('div');
  root.className = 'gv-products';
  root.tabIndex = 0;
  root.setAttribute('role', 'group');
  root.setAttribute('aria-label', label);
  return root;
}

export function drawProducts(el: HTMLElement, data: ProductsData, options: ProductsOptions): { destroy(): void } {
  injectStyle('gv-products-css', CSS);
  const fmt = options.format ?? defaultFormat;
  const root = scrollGroup([options.strings.window, ...(data.kernel ? [options.strings.kernel, options.strings.products] : [])].join(', '));
  const table = (caption: string, cell: (k: number) => { text: string; pad: boolean }) => {
    const t = document.createElement('table');
    t.createCaption().textContent = caption;
    for (let r = 0; r < data.rows; r++) {
      const tr = t.insertRow();
      for (let c = 0; c < data.cols; c++) {
        const { text, pad } = cell(r * data.cols + c);
        const td = tr.insertCell();
        td.textContent = text;
        if (pad) {
          td.className = 'gv-pad';
          td.title = options.strings.padding;
        }
      }
    }
    root.append(t);
  };
  const pad = (k: number) => data.window[k] === null;
  table(options.strings.window, (k) => ({ text: pad(k) ? '0' : fmt(data.window[k]!), pad: pad(k) }));
  const { kernel, products } = data;
  if (kernel && products) {
    table(options.strings.kernel ?? '', (k) => ({ text: fmt(kernel[k]!), pad: false }));
    table(options.strings.products ?? '', (k) => ({ text: fmt(products[k]!), pad: pad(k) }));
  }
  el.append(root);
  return { destroy: () => root.remove() };
}

export interface TermsData {
  /** column headings */
  columns: readonly string[];
  /** one row per term; a null cell is padding (shown as 0, marked) */
  rows: readonly (readonly (number | string | null)[])[];
}

/**
 * A list of terms as one table with headings (e.g. input channel, value, weight, product), for
 * sums that are not a small square window: the largest terms of a 1×1 conv over many channels,
 * or the five taps of a 5×1 pass.
 */
export function drawTerms(el: HTMLElement, data: TermsData, options: { caption: string; padding: string; format?: (v: number) => string }): { destroy(): void } {
  injectStyle('gv-products-css', CSS);
  const fmt = options.format ?? defaultFormat;
  const root = scrollGroup(options.caption);
  const t = document.createElement('table');
  t.createCaption().textContent = options.caption;
  const head = t.createTHead().insertRow();
  for (const c of data.columns) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = c;
    head.append(th);
  }
  const body = t.createTBody();
  for (const row of data.rows) {
    const tr = body.insertRow();
    for (const v of row) {
      const td = tr.insertCell();
      td.textContent = v === null ? '0' : typeof v === 'number' ? fmt(v) : v;
      if (v === null) {
        td.className = 'gv-pad';
        td.title = options.padding;
      }
    }
  }
  root.append(t);
  el.append(root);
  return { destroy: () => root.remove() };
}
