// Sets the theme before first paint so a dark-mode reader never sees a white flash. A file, not an
// inline script, so the pages run under a Content-Security-Policy without 'unsafe-inline'.
(function () {
  var saved = null;
  try {
    saved = localStorage.getItem('ghostlab-theme');
  } catch (e) {
    // Storage blocked (private mode, policy): follow the system setting.
  }
  var dark = saved ? saved === 'dark' : matchMedia('(prefers-color-scheme: dark)').matches;
  document.documentElement.dataset.theme = dark ? 'dark' : 'light';
})();
