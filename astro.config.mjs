// @ts-check
import { defineConfig } from 'astro/config';
import mdx from '@astrojs/mdx';
import remarkMath from 'remark-math';
import rehypeKatex from 'rehype-katex';
import { remarkHeadingId } from './src/lib/remark-heading-id.mjs';
import { offline } from './src/offline/integration.mjs';

// KaTeX runs at build time: the static HTML carries the typeset math and the browser only
// fetches KaTeX's CSS and fonts, bundled from node_modules (never a CDN).
// `trust` lets the chapters tag formula terms with \htmlClass so the lab can link a term
// (Y', Φ, the concatenation) to the feature maps it names.
const katexOptions = {
  trust: (/** @type {{command: string}} */ ctx) => ctx.command === '\\htmlClass' || ctx.command === '\\htmlData',
  strict: (/** @type {string} */ code) => (code === 'htmlExtension' ? 'ignore' : 'warn'),
};

export default defineConfig({
  // Deploying under a sub-path: set BASE_PATH=/my/path/ at build time (see README).
  base: process.env.BASE_PATH ?? '/',
  site: process.env.SITE_URL ?? 'http://localhost:4321',
  trailingSlash: 'ignore',
  // A separate output folder lets several builds (tests, benchmarks) run side by side.
  outDir: process.env.ASTRO_OUT_DIR ?? './dist',
  i18n: {
    locales: ['en', 'zh'],
    defaultLocale: 'en',
    routing: { prefixDefaultLocale: false },
  },
  markdown: {
    // GitHub's current dark theme: its comments reach 4.5:1 contrast (the older 'github-dark' gives 3:1).
    shikiConfig: { theme: 'github-dark-default' },
    remarkPlugins: [remarkMath, remarkHeadingId],
    rehypePlugins: [[rehypeKatex, katexOptions]],
  },
  // offline(): writes dist/sw.js, the service worker that keeps the course readable offline.
  integrations: [mdx(), offline()],
  // The isolation headers of public/_headers, so `astro dev` and `astro preview` pages are
  // cross-origin isolated too and tfjs's WebAssembly backend runs multi-threaded there.
  server: {
    host: '127.0.0.1',
    port: 4321,
    headers: { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' },
  },
  devToolbar: { enabled: false },
  vite: {
    // tfjs ships large prebuilt bundles; they are split into their own chunks on purpose.
    // Nothing is inlined as a data: URL or inline script (KaTeX's fonts, small scripts): the site's
    // Content-Security-Policy (public/_headers) allows scripts and fonts from files only.
    build: { chunkSizeWarningLimit: 4096, assetsInlineLimit: 0 },
  },
});
