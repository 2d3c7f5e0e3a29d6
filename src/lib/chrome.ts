/**
 * Behaviour shared by every page: the dark-mode toggle, a language switch that keeps the
 * reader on the section they are reading (both languages use the same section ids) and keeps
 * the page's query string (the figures' state), and the service worker for offline reading.
 */
export function initChrome(): void {
  const toggle = document.getElementById('theme-toggle');
  const root = document.documentElement;
  toggle?.setAttribute('aria-pressed', String(root.dataset.theme === 'dark'));
  toggle?.addEventListener('click', () => {
    const dark = root.dataset.theme !== 'dark';
    root.dataset.theme = dark ? 'dark' : 'light';
    try {
      localStorage.setItem('ghostlab-theme', dark ? 'dark' : 'light');
    } catch {
      // Storage blocked: the theme still changes for this page.
    }
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

  registerOfflineWorker();
}

/**
 * Registers the service worker that the build writes (src/offline/): after one visit the course
 * works offline. Only in the built site, where sw.js exists, and scoped to the site's base path.
 */
function registerOfflineWorker(): void {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  const base = import.meta.env.BASE_URL.replace(/\/$/, '');
  navigator.serviceWorker.register(`${base}/sw.js`, { scope: `${base}/` }).catch((err: unknown) => {
    // Offline reading is a bonus: a browser that refuses it (private mode, file://) still reads online.
    console.warn(`offline reading unavailable: ${err instanceof Error ? err.message : String(err)}`);
  });
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
