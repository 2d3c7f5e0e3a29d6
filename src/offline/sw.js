/**
 * The site's service worker: after one visit the course (chapters, lab, shipped models, samples)
 * works with no network. Built into dist/sw.js by src/offline/integration.mjs, which puts
 * `PRECACHE = {version, urls}` in front of this file; the version is a hash of everything cached, so
 * a new deployment makes a new cache and the old one is deleted on the next online visit.
 * Only this site's own files are touched: requests to other origins are never answered or cached.
 */
/* global PRECACHE */
const CACHE = `ghostlab-${PRECACHE.version}`;
const SCOPE = self.registration.scope;
/** A page waits this long for the network before the cached copy is shown (flaky networks). */
const PAGE_TIMEOUT_MS = 4000;

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      // 'reload': fill the new cache from the server, not from the browser's HTTP cache.
      await cache.addAll(PRECACHE.urls.map((u) => new Request(new URL(u, SCOPE).href, { cache: 'reload' })));
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) if (name.startsWith('ghostlab-') && name !== CACHE) await caches.delete(name);
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET' || !req.url.startsWith(SCOPE) || req.headers.has('range')) return;
  event.respondWith(req.mode === 'navigate' ? page(req) : asset(req));
});

/** Pages: the network first (so an online reader gets the newest text), the cached copy offline. */
async function page(req) {
  const url = new URL(req.url);
  const key = url.origin + url.pathname;
  try {
    const res = await withTimeout(fetch(req), PAGE_TIMEOUT_MS);
    if (res.ok && res.type === 'basic' && !res.redirected) await keep(key, res.clone());
    return res;
  } catch {
    const cache = await caches.open(CACHE);
    const hit = (await cache.match(key, { ignoreSearch: true })) ?? (key.endsWith('/') ? undefined : await cache.match(`${key}/`));
    return hit ?? offlinePage();
  }
}

/** Everything else: scripts, styles and fonts have hashed names and weights are versioned with the cache, so the cache first. */
async function asset(req) {
  const cache = await caches.open(CACHE);
  const hit = await cache.match(req);
  if (hit) return hit;
  const res = await fetch(req);
  // A file the reader opened beyond the precache (an ablation cell's weights) is kept too.
  if (res.ok && res.type === 'basic') await keep(req, res.clone());
  return res;
}

async function keep(key, res) {
  try {
    await (await caches.open(CACHE)).put(key, res);
  } catch {
    // Storage full or refused: the page still gets its response.
  }
}

function withTimeout(promise, ms) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timeout')), ms);
    promise.then(
      (v) => (clearTimeout(timer), resolve(v)),
      (e) => (clearTimeout(timer), reject(e)),
    );
  });
}

function offlinePage() {
  const body =
    '<!doctype html><meta charset="utf-8"><title>Offline · 离线</title>' +
    '<p>This page was not saved for offline reading. Reconnect and reload.</p>' +
    '<p lang="zh-CN">此页面未保存以供离线阅读。请连接网络后重新加载。</p>';
  return new Response(body, { status: 503, headers: { 'Content-Type': 'text/html; charset=utf-8' } });
}
