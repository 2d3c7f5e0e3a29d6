/**
 * Ties each diagram part to the formula term it stands for: hovering or focusing a part
 * (`[data-diagram] [data-term=NAME]`) lights up every `.katex .term-NAME` on the page, and
 * hovering a term lights up its parts. Both get the class `term-lit`; diagram.css draws it.
 * (The lab links the same terms to its feature maps on its own, in lab/lab.ts.)
 */
import { TERMS, type Term } from './diagram';

const termSelector = TERMS.map((t) => `.katex .term-${t}`).join(', ');

function termOfFormula(el: Element): Term | null {
  return TERMS.find((t) => el.classList.contains(`term-${t}`)) ?? null;
}

export function initTermLinks(doc: Document = document): void {
  const parts = [...doc.querySelectorAll<SVGElement>('[data-diagram] [data-term]')];
  if (!parts.length) return;
  const formulaTerms = [...doc.querySelectorAll<HTMLElement>(termSelector)];
  const members = (t: Term): Element[] => [
    ...parts.filter((p) => p.dataset.term === t),
    ...formulaTerms.filter((e) => e.classList.contains(`term-${t}`)),
  ];
  let lit: Term | null = null;
  const light = (t: Term | null) => {
    if (t === lit) return;
    if (lit) for (const el of members(lit)) el.classList.remove('term-lit');
    lit = t;
    if (t) for (const el of members(t)) el.classList.add('term-lit');
  };
  // The focused part keeps its term lit while the pointer wanders elsewhere.
  const focused = (): Term | null => {
    const a = doc.activeElement;
    return a instanceof SVGElement && parts.includes(a) ? ((a.dataset.term as Term) ?? null) : null;
  };
  // Terms nest (Concat([Y′, Y′ * F_dp])): leaving an inner term falls back to the one around it.
  const termAt = (el: EventTarget | null): Term | null => {
    if (!(el instanceof Element)) return null;
    const part = el.closest('[data-diagram] [data-term]');
    if (part instanceof SVGElement) return (part.dataset.term as Term) ?? null;
    const f = el.closest(termSelector);
    return f ? termOfFormula(f) : null;
  };
  const leave = (e: Event) => light(termAt((e as MouseEvent).relatedTarget) ?? focused());
  for (const p of parts) {
    const t = p.dataset.term as Term;
    p.addEventListener('mouseenter', () => light(t));
    p.addEventListener('mouseleave', leave);
  }
  // Listened for on the document: Chromium makes an SVG element with its own focus listener a tab stop.
  doc.addEventListener('focusin', () => light(focused() ?? lit));
  doc.addEventListener('focusout', (e) => {
    if (e.target instanceof SVGElement && parts.includes(e.target)) light(termAt((e as FocusEvent).relatedTarget));
  });
  for (const f of formulaTerms) {
    const t = termOfFormula(f);
    if (!t) continue;
    f.addEventListener('mouseenter', () => light(t));
    f.addEventListener('mouseleave', leave);
  }
}
