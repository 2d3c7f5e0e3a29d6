/**
 * The table of contents shows where the reader is: the link of the last section heading that has
 * scrolled up to the bottom of the sticky header gets aria-current="location".
 */
export function initToc(): void {
  const nav = document.querySelector<HTMLElement>('nav[data-toc]');
  if (!nav) return;
  const details = nav.querySelector<HTMLDetailsElement>('details');
  const links = Array.from(nav.querySelectorAll<HTMLAnchorElement>('a[href^="#"]'));
  const targets = links.map((a) => document.getElementById(decodeURIComponent(a.hash.slice(1))));
  const phone = matchMedia('(max-width: 860px)');
  let current = -1;

  function headerBottom(): number {
    return document.querySelector('.site-header')?.getBoundingClientRect().bottom ?? 0;
  }

  function update(): void {
    // A heading counts as reached a little before it touches the header.
    const line = headerBottom() + 16;
    let next = -1;
    targets.forEach((el, i) => {
      if (el && el.getBoundingClientRect().top <= line) next = i;
    });
    // At the very bottom the last sections may never reach the line: the last one shown wins.
    const atEnd = window.innerHeight + window.scrollY >= document.documentElement.scrollHeight - 2;
    if (atEnd && next >= 0) {
      for (let i = targets.length - 1; i > next; i--) {
        const top = targets[i]?.getBoundingClientRect().top ?? Infinity;
        if (top < window.innerHeight) {
          next = i;
          break;
        }
      }
    }
    if (next === current) return;
    current = next;
    links.forEach((a, i) => {
      if (i === current) a.setAttribute('aria-current', 'location');
      else a.removeAttribute('aria-current');
    });
    // Keep the current entry in view inside a scrolling contents column (never scrolls the page).
    const link = links[current];
    const box = details?.open && !phone.matches ? nav : null;
    if (link && box && box.scrollHeight > box.clientHeight) {
      const top = link.offsetTop - box.offsetTop;
      if (top < box.scrollTop || top > box.scrollTop + box.clientHeight - link.offsetHeight) box.scrollTop = top - box.clientHeight / 2;
    }
  }

  let queued = false;
  const schedule = () => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => {
      queued = false;
      update();
    });
  };
  window.addEventListener('scroll', schedule, { passive: true });
  window.addEventListener('resize', schedule);
  window.addEventListener('hashchange', schedule);
  // Open on a wide screen, collapsed on a phone, when the window crosses the breakpoint.
  phone.addEventListener('change', () => {
    if (details) details.open = !phone.matches;
  });
  update();
}
