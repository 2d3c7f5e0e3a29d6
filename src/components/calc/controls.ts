/**
 * Browser logic shared by the calculators (GhostSpeedupCalculator, DfcCalculator): number boxes and
 * sliders (ParamControls.astro) bound to one set of raw values, the clamping notes, result values
 * with the raw number in `data-value`, and redraws when a chart's width changes.
 */
import type { ClampNote, Limit } from '../../model/theory';
import type { IntParam, UrlNote } from '../../lib/url-state';
import type { FormatLang } from '../../viz/format';

type Note = ClampNote | UrlNote;

/** Fills `{name}` placeholders; unknown names are left as they are. */
export function fill(template: string, vars: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (_m, name: string) => (name in vars ? String(vars[name]) : `{${name}}`));
}

/** What the figure's markup hands to the script. */
export interface Figure {
  lang: FormatLang;
  /** The figure's browser strings (`data-i18n`). */
  t: Record<string, string>;
  /** Parameter symbols for the notes (`data-labels`). */
  labels: Record<string, string>;
  urlState: boolean;
}

export function readFigure(root: HTMLElement): Figure {
  return {
    lang: root.dataset.lang === 'zh' ? 'zh' : 'en',
    t: JSON.parse(root.dataset.i18n ?? '{}') as Record<string, string>,
    labels: JSON.parse(root.dataset.labels ?? '{}') as Record<string, string>,
    urlState: root.dataset.urlState !== 'off',
  };
}

export function byTestId(root: HTMLElement, tid: string): HTMLElement | null {
  return root.querySelector<HTMLElement>(`[data-testid="${tid}"]`);
}

/** Shows a result: `text` for the reader, the raw number (or '' for none) in `data-value`. */
export function setResult(root: HTMLElement, tid: string, value: number | null, text: string): void {
  const el = byTestId(root, tid);
  if (!el) return;
  el.dataset.value = value === null ? '' : String(value);
  el.textContent = text;
}

/** The URL schema of integer parameters, in key order. */
export function intParams<K extends string>(keys: readonly K[], defaults: Record<K, number>, limits: Record<K, Limit>): Record<K, IntParam> {
  return Object.fromEntries(keys.map((k) => [k, { kind: 'int', default: defaults[k], min: limits[k].min, max: limits[k].max } satisfies IntParam])) as Record<K, IntParam>;
}

/** Redraws after a window resize, only when `el` actually changed width. */
export function onWidthChange(el: HTMLElement, redraw: () => void): void {
  let lastWidth = el.clientWidth;
  window.addEventListener('resize', () => {
    if (el.clientWidth === lastWidth) return;
    lastWidth = el.clientWidth;
    redraw();
  });
}

type NoteKind = 'notNumber' | 'rounded' | 'belowMin' | 'aboveMax';

const NOTES: Record<FormatLang, Record<NoteKind, string>> = {
  en: {
    notNumber: '{p}: “{given}” is not a number, so {used} is used.',
    rounded: '{p}: {given} is not a whole number, rounded to {used}.',
    belowMin: '{p}: {given} is below the minimum, so {used} is used.',
    aboveMax: '{p}: {given} is above the maximum, so {used} is used.',
  },
  zh: {
    notNumber: '{p}：“{given}”不是数字，改用 {used}。',
    rounded: '{p}：{given} 不是整数，取整为 {used}。',
    belowMin: '{p}：{given} 小于最小值，改用 {used}。',
    aboveMax: '{p}：{given} 大于最大值，改用 {used}。',
  },
};

/**
 * On a phone a calculator's chart (`.chart-follows`) sticks to the bottom of the screen while one
 * of its controls has focus (global.css). A control it would then cover is scrolled up above it:
 * on focus, and again after each change, since the redrawn chart or notes can change its height.
 */
export function keepControlAboveChart(root: HTMLElement): void {
  const chart = root.querySelector<HTMLElement>('.chart-follows');
  if (!chart) return;
  root.querySelectorAll<HTMLInputElement>('.controls input').forEach((input) => {
    const adjust = () =>
      requestAnimationFrame(() => {
        if (document.activeElement !== input || getComputedStyle(chart).position !== 'sticky') return;
        const overlap = input.getBoundingClientRect().bottom + 8 - chart.getBoundingClientRect().top;
        if (overlap > 0) window.scrollBy(0, overlap);
      });
    input.addEventListener('focus', adjust);
    input.addEventListener('input', adjust);
  });
}

/** A calculation from the model: the values actually used and how the given ones were changed. */
export interface Calculation<K extends string> {
  inputs: Record<K, number>;
  notes: ClampNote[];
}

export interface ParamOptions<K extends string, C extends Calculation<K>> {
  root: HTMLElement;
  figure: Figure;
  keys: readonly K[];
  /** The starting values (from the URL or the defaults), raw: the model sanitises them. */
  start: Partial<Record<K, unknown>>;
  /** Notes about invalid values in the URL, shown until their parameter is edited. */
  urlNotes?: readonly UrlNote[];
  calculate(raw: Partial<Record<K, unknown>>): C;
  /** Draws everything else from the calculation; `write` says whether the URL should follow. */
  render(calc: C, write: boolean): void;
}

export interface Params<K extends string, C> {
  /** The latest calculation (set once `start` has run). */
  readonly last: C | null;
  /** Recalculates from the raw values, updates sliders and notes, then renders. */
  update(write?: boolean): void;
  /** Sets some values from outside (shared s/d, a layer loaded from the network explorer): the
   *  boxes and sliders show them, their notes are cleared, then it recalculates. */
  assign(patch: Partial<Record<K, number>>, write?: boolean): void;
  /** First render (the URL is left alone); the boxes then show the values in use. */
  start(): void;
}

/**
 * Binds the number boxes and sliders of `.controls` to raw values. A box passes what was typed to
 * the model as it is (the model clamps it, with a note); on `change` the box shows the value used.
 */
export function bindParams<K extends string, C extends Calculation<K>>(o: ParamOptions<K, C>): Params<K, C> {
  const { root, keys, figure } = o;
  const numbers = new Map<K, HTMLInputElement>();
  const sliders = new Map<K, HTMLInputElement>();
  root.querySelectorAll<HTMLInputElement>('.controls input[data-param]').forEach((el) => {
    (el.type === 'range' ? sliders : numbers).set(el.dataset.param as K, el);
  });
  const notesEl = byTestId(root, 'clamp-notes')!;
  keepControlAboveChart(root);
  const raw: Partial<Record<K, unknown>> = {};
  for (const k of keys) raw[k] = o.start[k];
  // Notes stay visible until their parameter is edited again.
  const sticky = new Map<string, Note>();
  for (const note of o.urlNotes ?? []) sticky.set(note.param, note);
  let last: C | null = null;

  const noteText = (n: Note): string => {
    const kind: NoteKind = n.reason === 'not-a-number' ? 'notNumber' : n.reason === 'rounded' ? 'rounded' : n.reason === 'below-min' ? 'belowMin' : 'aboveMax';
    return fill(NOTES[figure.lang][kind], { p: figure.labels[n.param] ?? n.param, given: n.given === '' ? '∅' : n.given, used: n.used });
  };

  function update(write = true): void {
    const calc = o.calculate(raw);
    for (const note of calc.notes) sticky.set(note.param, note);
    last = calc;
    for (const key of keys) {
      const slider = sliders.get(key);
      if (slider && document.activeElement !== slider) slider.value = String(calc.inputs[key]);
    }
    const notes = [...sticky.values()];
    notesEl.hidden = notes.length === 0;
    notesEl.replaceChildren(
      ...notes.map((nt) => {
        const p = document.createElement('p');
        p.textContent = noteText(nt);
        return p;
      }),
    );
    o.render(calc, write);
  }

  for (const key of keys) {
    const box = numbers.get(key);
    const slider = sliders.get(key);
    box?.addEventListener('input', () => {
      sticky.delete(key);
      raw[key] = box.value;
      update();
    });
    box?.addEventListener('change', () => {
      sticky.delete(key);
      raw[key] = box.value;
      update();
      if (last) {
        box.value = String(last.inputs[key]);
        raw[key] = last.inputs[key];
      }
    });
    slider?.addEventListener('input', () => {
      sticky.delete(key);
      raw[key] = Number(slider.value);
      if (box) box.value = slider.value;
      update();
    });
  }

  return {
    get last() {
      return last;
    },
    update,
    assign(patch, write = false) {
      for (const key of keys) {
        const v = patch[key];
        if (v === undefined) continue;
        sticky.delete(key);
        raw[key] = v;
        const box = numbers.get(key);
        if (box) box.value = String(v);
      }
      update(write);
    },
    start() {
      update(false);
      for (const key of keys) {
        const box = numbers.get(key);
        if (box && last) box.value = String(last.inputs[key]);
      }
    },
  };
}
