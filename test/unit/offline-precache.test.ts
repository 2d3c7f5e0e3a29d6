import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isPrecached, precacheManifest, urlOf } from '../../src/offline/precache.mjs';
import { parseHeaders } from '../e2e/static-server';
import { valueRange } from '../../src/viz/feature-grid';

const file = (path: string, text = path) => ({ path, bytes: new TextEncoder().encode(text) });

describe('what the service worker keeps offline', () => {
  it('keeps pages, bundles, woff2 fonts, samples and the main models, not the ablation cells', () => {
    for (const p of ['index.html', 'zh/lab/index.html', '_astro/lab.Bx1.js', '_astro/KaTeX_Main-Regular.abc.woff2', '_astro/tfjs-backend-wasm-simd.x.wasm', 'samples/test-00001.png', 'weights/ghostnet-fmnist/model.json', 'weights/ghostnetv2-fmnist/group1-shard1of1.bin', 'weights/ablation.json', 'theme.js']) {
      expect(isPrecached(p), p).toBe(true);
    }
    for (const p of ['weights/ghostnet-fmnist-s3-d5/model.json', '_astro/KaTeX_Main-Regular.abc.woff', '_astro/KaTeX_Main-Regular.abc.ttf', 'sw.js', '_headers', 'figures/viz-demo/index.html']) {
      expect(isPrecached(p), p).toBe(false);
    }
  });

  it('names pages by the URL they are served at, relative to the base path', () => {
    expect(urlOf('index.html')).toBe('');
    expect(urlOf('lab/index.html')).toBe('lab/');
    expect(urlOf('zh/ghostnet-v1/index.html')).toBe('zh/ghostnet-v1/');
    expect(urlOf('_astro/a.js')).toBe('_astro/a.js');
    // Relative URLs resolve under any base: the worker resolves them against its scope.
    expect(new URL(urlOf('lab/index.html'), 'https://example.org/courses/ghostnet/').pathname).toBe('/courses/ghostnet/lab/');
  });

  it('versions the cache by content: any change to a cached file or to the worker makes a new version', () => {
    const files = [file('index.html'), file('_astro/a.js'), file('weights/ghostnet-fmnist/model.json'), file('weights/ghostnet-fmnist-s2-d1/model.json')];
    const m = precacheManifest(files, 'worker');
    expect([...m.urls].sort()).toEqual(['', '_astro/a.js', 'weights/ghostnet-fmnist/model.json']);
    expect(m.bytes).toBe(files.slice(0, 3).reduce((a, f) => a + f.bytes.length, 0));
    expect(precacheManifest([...files].reverse(), 'worker').version).toBe(m.version);
    expect(precacheManifest([file('index.html', 'changed'), ...files.slice(1)], 'worker').version).not.toBe(m.version);
    expect(precacheManifest(files, 'worker v2').version).not.toBe(m.version);
    // A file the worker does not keep does not change the version.
    expect(precacheManifest([...files.slice(0, 3), file('weights/ghostnet-fmnist-s2-d1/model.json', 'x')], 'worker').version).toBe(m.version);
  });
});

describe('the shipped headers (public/_headers)', () => {
  const rules = parseHeaders(readFileSync('public/_headers', 'utf8'));
  const all = rules.find((r) => r.pattern.test('/lab/'))!;
  const csp = Object.fromEntries(all.headers)['Content-Security-Policy']!;
  const directive = (name: string) => csp.split(';').map((d) => d.trim().split(/\s+/)).find((d) => d[0] === name)?.slice(1);

  it('allow scripts and fonts from the site only, wasm compilation, and no inline script or eval', () => {
    // blob: only for the threaded WebAssembly backend's workers: a blob URL can be made only by the
    // site's own scripts, so it admits no script from elsewhere.
    expect(directive('script-src')).toEqual(["'self'", "'wasm-unsafe-eval'", 'blob:']);
    expect(directive('worker-src')).toEqual(["'self'", 'blob:']);
    expect(directive('font-src')).toEqual(["'self'"]);
    expect(directive('default-src')).toEqual(["'self'"]);
    expect(directive('object-src')).toEqual(["'none'"]);
    expect(directive('connect-src')).toEqual(["'self'"]);
  });
  it('every page gets them', () => {
    for (const p of ['/', '/zh/ghostnet-v2/', '/weights/ghostnet-fmnist/model.json']) expect(all.pattern.test(p)).toBe(true);
  });
});

describe('valueRange', () => {
  it('gives the smallest and largest value, skipping NaN', () => {
    expect(valueRange([0.5, -1.25, NaN, 3])).toBe('-1.25 … 3');
    expect(valueRange(new Float32Array([2, 2]))).toBe('2 … 2');
    expect(valueRange([])).toBe('—');
    expect(valueRange([NaN])).toBe('—');
  });
});
