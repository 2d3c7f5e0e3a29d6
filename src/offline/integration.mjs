/**
 * Astro integration that writes dist/sw.js after the build: the worker's code (src/offline/sw.js)
 * with the precache manifest of this very build in front of it. It also logs what is cached and how
 * much, the number the README quotes.
 */
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join, relative, sep } from 'node:path';
import { precacheManifest } from './precache.mjs';

async function walk(dir) {
  const out = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await walk(p)));
    else out.push(p);
  }
  return out;
}

/** @returns {import('astro').AstroIntegration} */
export function offline() {
  return {
    name: 'ghostlab-offline',
    hooks: {
      'astro:build:done': async ({ dir, logger }) => {
        const root = fileURLToPath(dir);
        const source = await readFile(fileURLToPath(new URL('./sw.js', import.meta.url)), 'utf8');
        const files = await Promise.all(
          (await walk(root)).map(async (p) => ({ path: relative(root, p).split(sep).join('/'), bytes: await readFile(p) })),
        );
        const manifest = precacheManifest(files, source);
        const prelude = `const PRECACHE = ${JSON.stringify({ version: manifest.version, urls: manifest.urls })};\n`;
        await writeFile(join(root, 'sw.js'), prelude + source);
        logger.info(`service worker ${manifest.version}: ${manifest.urls.length} files, ${(manifest.bytes / 1e6).toFixed(2)} MB precached`);
      },
    },
  };
}
