/**
 * The model's card: its test accuracy, how it was trained (epochs, seed, recipe, label smoothing,
 * and why the top probability stops short of 100 %), accuracy per class and the confusion matrix,
 * all from the model's own metrics.json.
 */
import { role, type Panel } from './context';
import { className } from './strings';

interface Metrics {
  test_accuracy: number;
  test_images: number;
  epochs: number;
  training_seconds: number;
  recipe_name: string;
  recipe: { seed: number; label_smoothing: number };
  per_class_accuracy: Record<string, number>;
  confusion_matrix: number[][];
}

export const modelCard: Panel = (el, ctx) => {
  const { cfg, state, t } = ctx;
  const host = role(el, 'model-card');
  if (!host) return {};
  const cache = new Map<string, Promise<Metrics>>();
  const fetchMetrics = (id: string) => {
    if (!cache.has(id)) {
      cache.set(
        id,
        fetch(`${cfg.base}/weights/${id}/metrics.json`).then((r) => {
          if (!r.ok) throw new Error(`HTTP ${r.status}`);
          return r.json() as Promise<Metrics>;
        }),
      );
    }
    return cache.get(id)!;
  };

  const show = async (id: string) => {
    if (!cfg.models.some((x) => x.id === id)) {
      host.replaceChildren(para(t.ckptNoCard));
      return;
    }
    let m: Metrics;
    try {
      m = await fetchMetrics(id);
    } catch (err) {
      cache.delete(id);
      host.replaceChildren(para(t.cardFailed(err instanceof Error ? err.message : String(err))));
      return;
    }
    if (state.get().model !== id) return;
    const classes = Object.keys(m.per_class_accuracy);
    const name = (c: string) => className(c, cfg.lang);
    const pct = (v: number) => `${(v * 100).toFixed(1)} %`;
    const perClass = table(
      [t.classFilter, t.accuracy],
      classes.map((c) => [name(c), pct(m.per_class_accuracy[c]!)]),
    );
    const max = Math.max(...m.confusion_matrix.flat());
    const confusion = table(
      ['', ...classes.map(name)],
      m.confusion_matrix.map((row, i) => [name(classes[i]!), ...row.map(String)]),
      (cell, r, c) => {
        const v = m.confusion_matrix[r]![c]!;
        // Shade by count; the diagonal (right answers) in the intrinsic colour, mistakes in the ghost colour.
        cell.style.background = `color-mix(in srgb, var(${r === c ? '--intrinsic' : '--ghost'}) ${Math.round((v / max) * 60)}%, transparent)`;
      },
    );
    confusion.classList.add('lab-confusion');
    host.replaceChildren(
      para(`${id}: ${pct(m.test_accuracy)} ${t.accuracy} (${m.test_images.toLocaleString(cfg.lang)})`),
      para(t.cardTrained(m.epochs, m.recipe.seed, m.recipe_name, (m.training_seconds / 60).toFixed(0))),
      ...(m.recipe.label_smoothing > 0 ? [para(t.cardSmoothing(m.recipe.label_smoothing))] : []),
      heading(t.perClass),
      perClass,
      heading(t.confusion),
      confusion,
    );
  };
  const off = state.subscribe(['model'], (s) => s.model && void show(s.model));
  return { destroy: off };
};

function para(text: string): HTMLParagraphElement {
  const p = document.createElement('p');
  p.textContent = text;
  return p;
}

function heading(text: string): HTMLHeadingElement {
  const h = document.createElement('h4');
  h.textContent = text;
  return h;
}

function table(head: string[], rows: string[][], paint?: (cell: HTMLTableCellElement, r: number, c: number) => void): HTMLTableElement {
  const tbl = document.createElement('table');
  const tr = tbl.createTHead().insertRow();
  for (const h of head) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = h;
    tr.append(th);
  }
  const body = tbl.createTBody();
  rows.forEach((row, r) => {
    const line = body.insertRow();
    row.forEach((v, c) => {
      const cell = c === 0 ? document.createElement('th') : document.createElement('td');
      if (c === 0) (cell as HTMLTableCellElement).scope = 'row';
      cell.textContent = v;
      line.append(cell);
      if (c > 0) paint?.(cell as HTMLTableCellElement, r, c - 1);
    });
  });
  return tbl;
}
