/**
 * Behaviour of PredictCheck.astro: the answer stays shut until the reader has picked an option;
 * picking one commits the guess (the options lock), says whether it was right and opens the answer.
 */
export function initPredictChecks(doc: Document = document): void {
  for (const root of doc.querySelectorAll<HTMLElement>('[data-predict]')) {
    const answer = root.querySelector<HTMLDetailsElement>('[data-role=answer]')!;
    const summary = answer.querySelector('summary')!;
    const hint = root.querySelector<HTMLElement>('[data-role=hint]')!;
    const verdict = root.querySelector<HTMLElement>('[data-role=verdict]')!;
    const options = [...root.querySelectorAll<HTMLButtonElement>('[data-option]')];
    const strings = JSON.parse(root.dataset.strings ?? '{}') as { right: string; wrong: string };
    const committed = () => root.dataset.result !== undefined;
    summary.setAttribute('aria-disabled', 'true');
    summary.addEventListener('click', (e) => {
      if (committed()) return;
      e.preventDefault();
      hint.hidden = false;
    });
    for (const option of options) {
      option.addEventListener('click', () => {
        if (committed()) return;
        const right = options.find((o) => o.dataset.correct === 'true')!;
        const text = (el: HTMLElement) => (el.textContent ?? '').trim();
        option.setAttribute('aria-pressed', 'true');
        for (const o of options) o.setAttribute('aria-disabled', 'true');
        root.dataset.guess = option.dataset.option;
        root.dataset.result = option === right ? 'right' : 'wrong';
        verdict.textContent = (option === right ? strings.right : strings.wrong).replace('{g}', text(option)).replace('{a}', text(right));
        hint.hidden = true;
        summary.removeAttribute('aria-disabled');
        answer.open = true;
        // Keyboard readers continue from the answer they just revealed.
        summary.focus();
      });
    }
  }
}
