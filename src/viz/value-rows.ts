/**
 * One horizontal bar per row on a linear scale, with an optional reference line (say, an intact
 * model's accuracy) — d3's reusable style: `drawValueRows(element, rows, options)` returns a
 * handle that redraws in place. Rows are HTML (a list of buttons when they can be chosen), so they
 * reflow on a phone and read well to a screen reader; a bar that crosses zero grows from zero.
 */
import { scaleLinear, select } from 'd3';
import { injectStyle } from './feature-grid';

export interface ValueRow {
  id: string;
  label: string;
  value: number;
  /** Drawn in the accent colour (e.g. "the source is the nearest map", "the open layer"). */
  marked?: boolean;
  /** Text after the bar (default: the value, formatted). */
  valueLabel?: string;
}

export interface ValueRowsOptions {
  ariaLabel: string;
  /** The scale's ends, e.g. [-1, 1] for cosine similarity, [0, 1] for accuracy. */
  domain: [number, number];
  format: (v: number) => string;
  /** A vertical line across every row (e.g. the intact model's accuracy), with its name. */
  reference?: { value: number; label: string } | null;
  /** Rows become buttons; Enter, Space or a click chooses one. */
  onSelect?: (id: string) => void;
}

export interface ValueRowsHandle {
  update(rows: readonly ValueRow[], options?: Partial<ValueRowsOptions>): void;
  destroy(): void;
}

const CSS = `
.vr { list-style: none; margin: 0.3rem 0; padding: 0; display: grid; gap: 2px; font-size: 0.8rem; }
.vr-row { display: grid; grid-template-columns: minmax(6rem, 11rem) minmax(0, 1fr) 4.5rem; gap: 0.5rem; align-items: center;
  width: 100%; font: inherit; color: inherit; background: none; border: 0; padding: 1px 2px; text-align: left; border-radius: 3px; }
button.vr-row { cursor: pointer; }
button.vr-row:hover { background: var(--accent-soft, #d8efe9); }
button.vr-row:focus-visible { outline: 3px solid var(--accent, #0b7a68); outline-offset: 1px; }
.vr-label { font-family: var(--mono, monospace); overflow-wrap: anywhere; }
.vr-track { position: relative; height: 0.9rem; background: var(--bg, #fff); border: 1px solid var(--border, #ccc); border-radius: 2px; }
.vr-bar { position: absolute; top: 0; bottom: 0; background: var(--fg-soft, #666); }
.vr-row.vr-marked .vr-bar { background: var(--accent, #0b7a68); }
.vr-zero, .vr-ref { position: absolute; top: -2px; bottom: -2px; width: 0; border-left: 1px solid var(--fg, #111); }
.vr-ref { border-left: 2px dashed var(--ghost, #d0672a); }
.vr-value { font-variant-numeric: tabular-nums; text-align: right; }
.vr-caption { font-size: 0.8rem; color: var(--fg-soft, #555); margin: 0.2rem 0; }
@media (max-width: 520px) { .vr-row { grid-template-columns: minmax(0, 1fr) 4rem; } .vr-track { grid-column: 1 / -1; grid-row: 2; } }
`;

export function drawValueRows(el: HTMLElement, rows: readonly ValueRow[], options: ValueRowsOptions): ValueRowsHandle {
  injectStyle('gv-value-rows-css', CSS);
  let opts = { ...options };
  const caption = select(el).append('p').attr('class', 'vr-caption');
  const list = select(el).append('ul').attr('class', 'vr');

  const draw = (data: readonly ValueRow[]) => {
    const x = scaleLinear().domain(opts.domain).range([0, 100]).clamp(true);
    const zero = x(Math.min(Math.max(0, opts.domain[0]), opts.domain[1]));
    list.attr('aria-label', opts.ariaLabel);
    const ref = opts.reference;
    caption.attr('hidden', ref ? null : true).text(ref ? `┆ ${ref.label}: ${opts.format(ref.value)}` : '');
    const items = list
      .selectAll<HTMLLIElement, ValueRow>('li')
      .data(data, (r) => r.id)
      .join((enter) => {
        const li = enter.append('li');
        const row = li.append(opts.onSelect ? 'button' : 'div').attr('class', 'vr-row');
        if (opts.onSelect) row.attr('type', 'button').on('click', (_e, r) => opts.onSelect?.(r.id));
        row.append('span').attr('class', 'vr-label');
        const track = row.append('span').attr('class', 'vr-track').attr('aria-hidden', 'true');
        track.append('span').attr('class', 'vr-bar');
        track.append('span').attr('class', 'vr-zero');
        track.append('span').attr('class', 'vr-ref');
        row.append('span').attr('class', 'vr-value');
        return li;
      });
    items.attr('data-row', (r) => r.id);
    const row = items.select('.vr-row').classed('vr-marked', (r) => !!r.marked);
    row.select('.vr-label').text((r) => r.label);
    row.select('.vr-value').text((r) => r.valueLabel ?? opts.format(r.value));
    row.select<HTMLElement>('.vr-bar').style('left', (r) => `${Math.min(zero, x(r.value))}%`).style('width', (r) => `${Math.abs(x(r.value) - zero)}%`);
    row.select<HTMLElement>('.vr-zero').style('left', `${zero}%`).style('display', opts.domain[0] < 0 ? 'block' : 'none');
    row.select<HTMLElement>('.vr-ref').style('left', ref ? `${x(ref.value)}%` : '0').style('display', ref ? 'block' : 'none');
  };
  draw(rows);

  return {
    update(next, o = {}) {
      opts = { ...opts, ...o };
      draw(next);
    },
    destroy() {
      caption.remove();
      list.remove();
    },
  };
}
