/**
 * The viz test bench (test/viz-demo) is not part of the course's build. These helpers build it
 * as a small site of its own and serve it, through Playwright's request routing, under
 * /__test__/ on the same origin as the site under test.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join, normalize } from 'node:path';
import type { BrowserContext } from '@playwright/test';

export const VIZ_DEMO_PATH = '/__test__/viz-demo/';
const OUT = join(process.cwd(), 'node_modules/.cache/ghostlab-viz-demo');

let built = false;

/** Builds the bench once per test run (a fresh build, so it is never stale). */
export function buildVizDemo(): void {
  if (built) return;
  const r = spawnSync('npx', ['astro', 'build', '--config', 'test/viz-demo/astro.config.mjs', '--silent'], {
    encoding: 'utf8',
    env: { ...process.env, VIZ_DEMO_OUT_DIR: OUT },
  });
  if (r.status !== 0) throw new Error(`building the viz bench failed:\n${r.stdout}\n${r.stderr}`);
  built = true;
}

/** Answers every /__test__/ request of `context` from the bench's build. */
export async function serveVizDemo(context: BrowserContext): Promise<void> {
  await context.route('**/__test__/**', async (route) => {
    const rel = decodeURIComponent(new URL(route.request().url()).pathname).replace(/^\/__test__\//, '');
    let file = normalize(join(OUT, rel));
    if (!file.startsWith(OUT)) return route.fulfill({ status: 403 });
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file)) return route.fulfill({ status: 404, body: 'not found' });
    return route.fulfill({ path: file });
  });
}
