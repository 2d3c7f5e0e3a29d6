/**
 * The lab's status line and notices. Failures are alerts with an optional "Try again" button;
 * they stay until the next pass that works, which removes them and clears `window.ghostlab.error`.
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
    error(text, retry) {
      const p = add('error', text);
      p.setAttribute('role', 'alert');
      p.dataset.failure = '';
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
    recovered() {
      listEl?.querySelectorAll('[data-failure]').forEach((p) => p.remove());
      setStatus({ error: null });
    },
  };
}
