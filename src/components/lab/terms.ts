/** Hovering a term of the chapter's Ghost formulas highlights the maps it names in this lab. */
export function bindFormulaTerms(root: HTMLElement): void {
  for (const term of document.querySelectorAll<HTMLElement>('.term-intrinsic, .term-ghost, .term-phi, .term-concat')) {
    const group = term.classList.contains('term-intrinsic') ? 'intrinsic' : term.classList.contains('term-concat') ? 'all' : 'ghost';
    term.addEventListener('mouseenter', () => (root.dataset.term = group));
    term.addEventListener('mouseleave', () => delete root.dataset.term);
  }
}
