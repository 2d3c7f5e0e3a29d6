/** The input tabs (gallery / upload / draw): one Tab stop, arrow keys move between them. */
import type { Panel } from './context';

export const inputTabs: Panel = (el) => {
  const tabs = [...el.querySelectorAll<HTMLButtonElement>('[role="tab"]')];
  const show = (name: string) => {
    for (const b of tabs) {
      const on = b.dataset.tab === name;
      b.setAttribute('aria-selected', String(on));
      b.tabIndex = on ? 0 : -1;
    }
    for (const p of el.querySelectorAll<HTMLElement>('[data-panel]')) p.hidden = p.dataset.panel !== name;
    el.dispatchEvent(new CustomEvent('lab-tab', { detail: name }));
  };
  tabs.forEach((b, i) => {
    b.tabIndex = b.getAttribute('aria-selected') === 'true' ? 0 : -1;
    b.addEventListener('click', () => show(b.dataset.tab!));
    b.addEventListener('keydown', (e) => {
      const d = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
      if (!d) return;
      const next = tabs[(i + d + tabs.length) % tabs.length]!;
      next.focus();
      show(next.dataset.tab!);
    });
  });
  return {};
};
