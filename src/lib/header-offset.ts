/**
 * The sticky site header covers the top of the viewport, so whatever a link or a shared URL
 * scrolls to must land below it. CSS reserves that space with `scroll-margin-top: var(--header-h)`
 * on the targets (global.css, with a default per screen width); this keeps --header-h equal to
 * the header's real height as it changes (fonts, zoom, wrapping).
 */
export function trackHeaderHeight(): void {
  const header = document.querySelector<HTMLElement>('.site-header');
  if (!header) return;
  const root = document.documentElement;
  const set = () => root.style.setProperty('--header-h', `${Math.ceil(header.getBoundingClientRect().height)}px`);
  set();
  new ResizeObserver(set).observe(header);
  // A page opened at #section was scrolled before the height was known: place it again if the
  // header covers it.
  const target = location.hash ? document.getElementById(decodeURIComponent(location.hash.slice(1))) : null;
  if (target && target.getBoundingClientRect().top < header.getBoundingClientRect().bottom) target.scrollIntoView();
  // On a phone the chapter links are one row that scrolls sideways: show the current one.
  const nav = header.querySelector<HTMLElement>('.site-nav');
  const here = nav?.querySelector<HTMLElement>('[aria-current="page"]');
  if (nav && here && nav.scrollWidth > nav.clientWidth) nav.scrollLeft = here.offsetLeft - nav.offsetLeft - 16;
}
