/**
 * What the service worker keeps for offline reading, decided from the built site's files (Node, at
 * build time). Pure functions of a file list, so the rules are unit-tested without a build.
 */
import { createHash } from 'node:crypto';

/** The ablation grid's cells (ghostnet-fmnist-s3-d5): cached when a reader opens one, not up front. */
const GRID_CELL = /^weights\/[^/]+-s\d+-d\d+\//;
/** KaTeX's fonts come in three formats; every browser that runs a service worker takes woff2. */
const OLD_FONT = /\.(woff|ttf|eot)$/;

/**
 * Whether a built file (path relative to the output folder, '/'-separated) is precached: every page,
 * script, style sheet and woff2 font, the samples, and the shipped main models' weights.
 * @param {string} path
 * @returns {boolean}
 */
export function isPrecached(path) {
  if (path === 'sw.js' || path === '_headers' || path.startsWith('figures/')) return false;
  if (path.endsWith('.html')) return true;
  if (path.startsWith('_astro/')) return !OLD_FONT.test(path);
  if (path.startsWith('samples/')) return true;
  if (path.startsWith('weights/')) return !GRID_CELL.test(path);
  return path === 'theme.js' || path === 'toc-collapse.js' || path === 'favicon.svg';
}

/**
 * The URL (relative to the site's base) a built file is served at: 'lab/index.html' → 'lab/'.
 * @param {string} path
 * @returns {string}
 */
export function urlOf(path) {
  if (path === 'index.html') return '';
  if (path.endsWith('/index.html')) return path.slice(0, -'index.html'.length);
  return path;
}

/**
 * The precache manifest for a list of built files `{path, bytes: Uint8Array}`: the URLs to fetch,
 * their total size, and a version that changes whenever any of them (or the worker's code) does.
 * @param {{path: string, bytes: Uint8Array}[]} files
 * @param {string} workerSource
 * @returns {{version: string, urls: string[], bytes: number}}
 */
export function precacheManifest(files, workerSource) {
  const kept = files.filter((f) => isPrecached(f.path)).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const hash = createHash('sha256');
  hash.update(workerSource);
  for (const f of kept) {
    hash.update(f.path);
    hash.update('\0');
    hash.update(f.bytes);
  }
  return {
    version: hash.digest('hex').slice(0, 16),
    urls: kept.map((f) => urlOf(f.path)),
    bytes: kept.reduce((a, f) => a + f.bytes.length, 0),
  };
}
