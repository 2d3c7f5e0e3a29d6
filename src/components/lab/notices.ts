/**
 * The lab's status line and notices. A failure is an alert about one thing (a model, a sample, a
 * run), with an optional "Try again" button; it stays until that thing works, and
 * `window.ghostlab.error` is cleared when no failure is left.
 */
import type { Notices } from './context';
import { setStatus } from './status';
import type { LabStrings } from './strings';

export function createNotices(statusEl: HTMLElement | null, listEl: HTMLElement | null, t: LabStrings): Notices {
  const add = (cls: string, text: string): HTMLElement => {
    const p = document.createElement('p');
    p.className = cls;
    p.textContent = text;
    listEl?.append(p);
    return p;
  };
  return {
    status(text) {
      if (statusEl) statusEl.textContent = text;
    },
    notice(text) {
      add('notice', text);
    },
    error(what, text, retry) {
      listEl?.querySelectorAll(`[data-failure="${what}"]`).forEach((p) => p.remove());
      const p = add('error', text);
      p.setAttribute('role', 'alert');
      p.dataset.failure = what;
      if (statusEl) statusEl.textContent = '';
      if (!retry) return;
      const b = document.createElement('button');
      b.type = 'button';
      b.className = 'lab-button';
      b.textContent = t.retry;
      b.addEventListener('click', () => {
        p.remove();
        retry();
      });
      p.append(' ', b);
    },
    recovered(what) {
      listEl?.querySelectorAll(`[data-failure="${what}"]`).forEach((p) => p.remove());
      if (!listEl?.querySelector('[data-failure]')) setStatus({ error: null });
    },
  };
}
