/**
 * The "Your checkpoint" part of bench:browser: how long a reader waits from choosing a checkpoint
 * file in the lab to its first prediction (reading, converting in the worker, building the network,
 * one inference at 224×224). Measured in the page: from the file input's change event to
 * window.ghostlab naming the checkpoint and being ready, polled every millisecond.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import { spread, type Spread } from './stats.js';

/** A goal printed beside the number (issue #11: a 20 MB checkpoint, V1 1.0×, on wasm). Not an assertion. */
export const CHECKPOINT_TARGET_MS = 5000;

export interface CheckpointSession {
  backend: string;
  file: string;
  session: number;
  ok: boolean;
  error: string | null;
  /** change event → ghostlab.ready with the checkpoint's id. */
  chooseToFirstMs: number | null;
  /** What the lab itself reports: its clock starts when the file is chosen, too. */
  labFirstInferenceMs: number | null;
  /** Conversion and network building, as the lab reports it (loadMs). */
  labLoadMs: number | null;
  modelId: string | null;
}

export async function runCheckpointSession(b: Browser, base: string, backend: string, file: string, session: number, timeoutMs: number, initScript: string): Promise<CheckpointSession> {
  const s: CheckpointSession = { backend, file, session, ok: false, error: null, chooseToFirstMs: null, labFirstInferenceMs: null, labLoadMs: null, modelId: null };
  let context: BrowserContext | null = null;
  try {
    context = await b.newContext({ viewport: { width: 1280, height: 900 }, serviceWorkers: 'block' });
    await context.addInitScript({ content: initScript });
    const page = await context.newPage();
    await page.goto(`${base}/lab/?backend=${backend}`, { waitUntil: 'load', timeout: timeoutMs });
    await page.waitForFunction(() => (window as unknown as { ghostlab?: { ready: boolean } }).ghostlab?.ready === true, undefined, { timeout: timeoutMs });
    const name = path.basename(file);
    const done = page.evaluate(
      ({ name, timeoutMs }) =>
        new Promise<{ ms: number; lab: Record<string, unknown> }>((resolve, reject) => {
          const input = document.querySelector<HTMLInputElement>('input[type=file][data-role="checkpoint"]')!;
          let chosenAt: number | null = null;
          input.addEventListener('change', () => (chosenAt = performance.now()), { capture: true, once: true });
          const started = performance.now();
          const tick = () => {
            const g = (window as unknown as { ghostlab: Record<string, unknown> }).ghostlab;
            if (chosenAt !== null && typeof g.modelId === 'string' && g.modelId.startsWith(`${name} (`) && g.ready === true) {
              resolve({ ms: performance.now() - chosenAt, lab: { ...g } });
              return;
            }
            const report = document.querySelector<HTMLElement>('[data-role="checkpoint-error"]');
            if (report && !report.hidden) return reject(new Error(report.textContent ?? 'the lab refused the checkpoint'));
            if (performance.now() - started > timeoutMs) return reject(new Error(`no prediction within ${timeoutMs / 1000} s`));
            setTimeout(tick, 1);
          };
          tick();
        }),
      { name, timeoutMs },
    );
    await page.locator('input[type=file][data-role="checkpoint"]').setInputFiles(file);
    const r = await done;
    const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
    s.chooseToFirstMs = r.ms;
    s.labFirstInferenceMs = num(r.lab.firstInferenceMs);
    s.labLoadMs = num(r.lab.loadMs);
    s.modelId = typeof r.lab.modelId === 'string' ? r.lab.modelId : null;
    s.ok = true;
  } catch (e) {
    s.error = e instanceof Error ? e.message.split('\n')[0]! : String(e);
  } finally {
    await context?.close().catch(() => {});
  }
  return s;
}

const ms = (x: number) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));
const fmt = (v: Spread | null, target?: number) => (v ? `${ms(v.median)} [${ms(v.p10)}–${ms(v.p90)}]${target === undefined ? '' : v.median <= target ? ' ✓' : ' ✗'}` : 'n/a');

export function formatCheckpointReport(sessions: CheckpointSession[]): string {
  const rows: string[][] = [];
  const cells = new Map<string, CheckpointSession[]>();
  for (const s of sessions) cells.set(`${s.file}\n${s.backend}`, [...(cells.get(`${s.file}\n${s.backend}`) ?? []), s]);
  for (const [key, list] of cells) {
    const [file, backend] = key.split('\n') as [string, string];
    const ok = list.filter((s) => s.ok);
    const mb = (statSync(file).size / 2 ** 20).toFixed(1);
    rows.push([
      `${path.basename(file)} (${mb} MB)`,
      ok[0]?.modelId ?? 'n/a',
      backend,
      `${ok.length}/${list.length}`,
      fmt(spread(ok.map((s) => s.chooseToFirstMs!)), CHECKPOINT_TARGET_MS),
      fmt(spread(ok.flatMap((s) => (s.labFirstInferenceMs === null ? [] : [s.labFirstInferenceMs])))),
      fmt(spread(ok.flatMap((s) => (s.labLoadMs === null ? [] : [s.labLoadMs])))),
    ]);
  }
  const head = ['checkpoint', 'runs as', 'backend', 'ok', `choose→first prediction (≤${CHECKPOINT_TARGET_MS})`, 'lab first', 'lab convert+build'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (c: string[]) => c.map((v, i) => v.padEnd(widths[i]!)).join('  ').trimEnd();
  const errors = sessions.filter((s) => !s.ok).map((s) => `  ${path.basename(s.file)} ${s.backend} #${s.session}: ${s.error}`);
  return [
    'Your checkpoint: from choosing the file to the first prediction at 224×224 (ms: median [p10–p90] over sessions; ✓/✗ against the target, not an assertion)',
    line(head),
    widths.map((w) => '─'.repeat(w)).join('  '),
    ...rows.map(line),
    ...(errors.length ? ['errors:', ...errors] : []),
  ].join('\n');
}
