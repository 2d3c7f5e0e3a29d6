// @ts-check
// The viz test bench (pages/viz-demo.astro) as a site of its own, so that the course's
// production build does not ship it. test/e2e/viz.spec.ts builds it and serves it under /__test__/.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'astro/config';

const here = (/** @type {string} */ p) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  // Its own root, so its generated types (.astro/) never touch the course's.
  root: here('.'),
  srcDir: here('.'),
  // The course's own public files (the theme script the layout loads, fonts).
  publicDir: here('../../public'),
  outDir: process.env.VIZ_DEMO_OUT_DIR ?? here('../../node_modules/.cache/ghostlab-viz-demo'),
  cacheDir: here('../../node_modules/.cache/ghostlab-viz-demo-vite'),
  base: '/__test__/',
  trailingSlash: 'ignore',
  devToolbar: { enabled: false },
});
