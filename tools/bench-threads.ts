/**
 * `npm run bench:browser -- --threads`: tfjs's WebAssembly backend on one thread against every core,
 * in headless Chromium, through the V1 chapter's "Measure on this device" panel (its Web Worker,
 * its timings: layer pair and GhostNet 1.0x / plain twin / GhostNetV2 1.0x at 224, batch 1).
 *
 * The built site is served twice with public/_headers: once as is (COOP + COEP: cross-origin
 * isolated, so the threaded wasm flavour runs) and once without those two headers (not isolated:
 * the browser gives no shared memory and tfjs runs its one-thread SIMD flavour). Three modes: not
 * isolated; isolated with the threaded flavour held to one thread (?threads=1); isolated with one
 * thread per logical core (?threads=64, capped by the worker). They run in turn, several rounds, rotating which goes first, so machine-load
 * drift touches all alike. Times are printed, never asserted.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { serveSite, type StaticSite } from '../test/e2e/static-server.js';
import { spread } from './stats.js';

interface Measurement {
  what: string;
  backend: string;
  medianMs: number;
  runs: number;
}

const MODES = ['single', 'one', 'multi'] as const;
type Mode = (typeof MODES)[number];
const MODE_NAMES: Record<Mode, string> = {
  single: 'wasm SIMD, 1 thread (not isolated)',
  one: 'threaded flavour, 1 thread',
  multi: 'threaded flavour, every core',
};

export interface ThreadsRow {
  what: string;
  /** Per mode, the median of the per-round medians (ms). */
  ms: Record<Mode, number | null>;
}

export interface ThreadsReport {
  /** Per mode and round, whether wasm ran its threaded flavour with more than one thread. */
  threads: Record<Mode, boolean[]>;
  rounds: number;
  runs: number;
  rows: ThreadsRow[];
}

const ISOLATION = /^\s*Cross-Origin-(Opener|Embedder)-Policy:.*$/gm;

/** One panel run on wasm: the panel's measurements and whether wasm ran threaded. */
async function measureOnce(browser: Browser, url: string, timeoutMs: number): Promise<{ m: Measurement[]; threads: boolean }> {
  const ctx = await browser.newContext();
  try {
    const page = await ctx.newPage();
    await page.goto(url);
    const panel = page.locator('[data-measure-panel]');
    await panel.locator('[data-action="measure"]').waitFor();
    await page.waitForFunction(() => document.querySelector('[data-measure-panel]')?.getAttribute('data-ready') === 'true');
    await panel.locator('[data-action="measure"]').click();
    await page.waitForFunction(() => ['done', 'cancelled'].includes(document.querySelector('[data-measure-panel]')?.getAttribute('data-state') ?? ''), null, { timeout: timeoutMs });
    return await page.evaluate(() => {
      const g = (window as unknown as { ghostlab: { measurements: Measurement[]; wasmThreads: boolean } }).ghostlab;
      return { m: g.measurements, threads: g.wasmThreads };
    });
  } finally {
    await ctx.close().catch(() => {});
  }
}

export async function benchThreads(browser: Browser, outDir: string, root: string, opts: { runs: number; rounds: number; timeoutMs: number; log: (s: string) => void }): Promise<ThreadsReport> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'ghostlab-threads-'));
  const headers = path.join(root, 'public', '_headers');
  const plainHeaders = path.join(tmp, '_headers');
  writeFileSync(plainHeaders, readFileSync(headers, 'utf8').replace(ISOLATION, ''));
  const sites: StaticSite[] = [];
  try {
    const multi = await serveSite(outDir, headers);
    sites.push(multi);
    const single = await serveSite(outDir, plainHeaders);
    sites.push(single);
    const query = `/ghostnet-v1/?backends=wasm&runs=${opts.runs}`;
    const url: Record<Mode, string> = { single: `${single.url}${query}`, one: `${multi.url}${query}&threads=1`, multi: `${multi.url}${query}&threads=64` }; // 64: capped at the logical cores by the worker
    const per: Record<Mode, Map<string, number[]>> = { single: new Map(), one: new Map(), multi: new Map() };
    const threads: ThreadsReport['threads'] = { single: [], one: [], multi: [] };
    for (let r = 1; r <= opts.rounds; r++) {
      // Rotate which goes first, so none always runs on a warmer or cooler machine.
      const order = MODES.map((_, i) => MODES[(i + r) % MODES.length]!);
      for (const mode of order) {
        const { m, threads: t } = await measureOnce(browser, url[mode], opts.timeoutMs);
        threads[mode].push(t);
        for (const x of m) per[mode].set(x.what, [...(per[mode].get(x.what) ?? []), x.medianMs]);
        opts.log(`threads round ${r}/${opts.rounds}, ${MODE_NAMES[mode]}: ${m.map((x) => `${x.what} ${x.medianMs.toFixed(1)} ms`).join(', ')}`);
      }
    }
    const whats = [...new Set(MODES.flatMap((mode) => [...per[mode].keys()]))];
    const med = (v: number[] | undefined) => (v ? spread(v)?.median ?? null : null);
    const row = (what: string): ThreadsRow => ({ what, ms: { single: med(per.single.get(what)), one: med(per.one.get(what)), multi: med(per.multi.get(what)) } });
    return { threads, rounds: opts.rounds, runs: opts.runs, rows: whats.map(row) };
  } finally {
    for (const s of sites) await s.close().catch(() => {});
    rmSync(tmp, { recursive: true, force: true });
  }
}

export function formatThreads(r: ThreadsReport): string {
  const f = (v: number | null) => (v === null ? 'n/a' : `${v >= 100 ? v.toFixed(0) : v.toFixed(1)} ms`);
  const ratio = (a: number | null, b: number | null) => (a && b ? `${(a / b).toFixed(2)}×` : 'n/a');
  const rows = r.rows.map((x) => [x.what, ...MODES.map((m) => f(x.ms[m])), ratio(x.ms.single, x.ms.multi), ratio(x.ms.one, x.ms.multi)]);
  const head = ['what', ...MODES.map((m) => MODE_NAMES[m]), 'not isolated ÷ every core', '1 thread ÷ every core'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (c: string[]) => `| ${c.map((v, i) => v.padEnd(widths[i]!)).join(' | ')} |`;
  return [
    `WebAssembly single- vs multi-threaded, through the V1 chapter's "Measure on this device" panel (a Web Worker): medians of ${r.rounds} rounds × ${r.runs} timed runs, read-back included. More than one thread ran (window.ghostlab.wasmThreads), per round: ${MODES.map((m) => `${MODE_NAMES[m]} ${JSON.stringify(r.threads[m])}`).join('; ')}.`,
    line(head),
    `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
    ...rows.map(line),
  ].join('\n');
}
