/**
 * Behaviour shared by every page: the dark-mode toggle, and a language switch that keeps the
 * reader on the section they are reading (both languages use the same section ids) and keeps
 * the page's query string (the figures' state).
 */
export function initChrome(): void {
  const toggle = document.getElementById('theme-toggle');
  toggle?.addEventListener('click', () => {
    const root = document.documentElement;
    const dark = root.dataset.theme !== 'dark';
    root.dataset.theme = dark ? 'dark' : 'light';
    localStorage.setItem('ghostlab-theme', dark ? 'dark' : 'light');
    toggle.setAttribute('aria-pressed', String(dark));
  });

  const sw = document.getElementById('lang-switch') as HTMLAnchorElement | null;
  if (sw) {
    const target = new URL(sw.href, location.href);
    const update = () => {
      target.search = location.search;
      const section = currentSection();
      target.hash = section ? `#${section}` : '';
      sw.href = target.toString();
    };
    // Computed on demand so it is right at the moment of the click (or keyboard activation).
    sw.addEventListener('pointerdown', update);
    sw.addEventListener('focus', update);
    sw.addEventListener('click', update);
  }
}

/** The id of the last section heading at or above the top of the viewport. */
function currentSection(): string | null {
  const headings = Array.from(document.querySelectorAll<HTMLElement>('main h2[id], main h3[id]'));
  let current: string | null = null;
  for (const h of headings) {
    if (h.getBoundingClientRect().top <= 120) current = h.id;
    else break;
  }
  if (!current && location.hash) current = location.hash.slice(1);
  return current;
}
