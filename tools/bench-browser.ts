/**
 * bench-browser: how the lab (/lab/) performs in headless Chromium, per backend and model.
 *
 *   npm run bench:browser -- [--model ID]... [--backend webgl|wasm|cpu]... [--runs N] [--json]
 *   npm run bench:browser -- --checkpoint ghostnet_1x.pth [--backend wasm]
 *
 * For every (backend, model) cell it opens the lab in a fresh browser context (cold caches, a new
 * tfjs engine), a few times ("sessions", interleaved across cells so that machine-load drift
 * spreads over all of them), and measures:
 *   - model load           window.ghostlab.loadMs as the lab reports it (the weights' fetch end from
 *                          Resource Timing when the lab gives none);
 *   - first inference      navigation start → window.ghostlab.ready (model loaded and first
 *                          prediction made), seen by an in-page poller with ~4 ms resolution;
 *   - warm inference       ghostlabDebug.infer() after warm-up: median, p10–p90, IQR;
 *   - opening a layer      ghostlabDebug.openLayer(name) over layers spread along the network;
 *   - tf memory            numTensors before/after every inference and after every layer change,
 *                          from window.ghostlab and straight from the tfjs engine (window._tfengine).
 * With --checkpoint FILE it also measures "Your checkpoint" (tools/bench-checkpoint.ts): from choosing
 * the file to the first prediction at 224×224.
 * It prints a table (or JSON with --json) with targets beside the numbers. It never asserts a time:
 * the exit code says only whether the measurement ran.
 *
 * Unless --url is given it serves the built site itself: `astro build` when the output folder is
 * missing (or with --build), then `astro preview` on 127.0.0.1, killed at the end, on errors and on
 * Ctrl-C.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium.js';
import { formatCheckpointReport, runCheckpointSession, type CheckpointSession } from './bench-checkpoint.js';
import { spread, type Spread } from './stats.js';
import { benchThreads, formatThreads } from './bench-threads.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BACKENDS = ['webgl', 'wasm', 'cpu'] as const;
type Backend = (typeof BACKENDS)[number];
const DEFAULT_MODELS = ['ghostnet-fmnist', 'ghostnetv2-fmnist', 'plainnet-fmnist'];
/** Goals printed beside the numbers. Not assertions. */
const TARGETS = {
  warmWasmMs: 5, // warm inference on wasm, compact models
  firstMs: 2000, // navigation → first prediction, model load included
  layerMs: 100, // opening a layer in the inspector
  tensors: 'numTensors back at its baseline after every inference and layer change',
};

const HELP = `Usage: npm run bench:browser -- [options]
       npx tsx tools/bench-browser.ts [options]

Measures the lab page (/lab/) in headless Chromium for every backend × model: model load, first
inference (navigation → first prediction, model load included), warm inference (median, p10–p90,
IQR), opening a layer, and tfjs numTensors around every inference and layer change. Prints a table
with targets beside the numbers; never asserts a time.

Options:
  --model ID         a model id (repeatable or comma-separated; default ${DEFAULT_MODELS.join(' ')},
                     or none when --checkpoint is given)
  --checkpoint FILE  a .pth/.safetensors GhostNet checkpoint: time from choosing it in the lab to the
                     first prediction (repeatable)
  --backend NAME     webgl, wasm or cpu (repeatable or comma-separated; default all three)
  --runs N           timed warm inferences per session (default 20)
  --warmup N         untimed inferences before them (default 3)
  --sessions N       cold page loads per backend × model, each in a fresh browser context (default 3)
  --layer-runs N     layer openings per session, spread along the network (default 6)
  --sample N         the lab's ?sample= (default 0)
  --port N           port for astro preview (default: a free one)
  --url URL          bench an already running site at URL instead (no build, no preview)
  --out-dir DIR      the built site (default $ASTRO_OUT_DIR or dist/); built when missing
  --build            run astro build first even if the output folder exists
  --timeout S        seconds a page may take to become ready, and any one step (default 90)
  --threads          instead: WebAssembly on one thread vs threaded (the site served with and
                     without its COOP/COEP headers), through the V1 chapter's measure panel;
                     --runs timed runs per case, --sessions rounds (the built site is needed)
  --json             print the measurements as JSON on stdout (progress goes to stderr)
  --help             this text

Environment: CHROMIUM_PATH (default /usr/bin/chromium).`;

// ---------------------------------------------------------------------------------------------
// Options

interface Options {
  models: string[];
  checkpoints: string[];
  backends: Backend[];
  runs: number;
  warmup: number;
  sessions: number;
  layerRuns: number;
  sample: number;
  port: number | null;
  url: string | null;
  outDir: string;
  build: boolean;
  timeoutMs: number;
  json: boolean;
  threads: boolean;
}

class UsageError extends Error {}

function parseOptions(argv: string[]): Options | 'help' {
  const multi: Record<string, string[]> = { model: [], backend: [], checkpoint: [] };
  const single: Record<string, string> = {};
  const flags = new Set<string>();
  const valued = new Set(['model', 'backend', 'checkpoint', 'runs', 'warmup', 'sessions', 'layer-runs', 'sample', 'port', 'url', 'out-dir', 'timeout']);
  const boolean = new Set(['json', 'build', 'help', 'threads']);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) throw new UsageError(`unexpected argument '${arg}' (see --help)`);
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    if (boolean.has(name)) {
      if (eq >= 0) throw new UsageError(`--${name} takes no value`);
      flags.add(name);
      continue;
    }
    if (!valued.has(name)) throw new UsageError(`unknown option '--${name}' (see --help)`);
    const value = eq >= 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined || value === '') throw new UsageError(`--${name} needs a value`);
    if (name in multi) multi[name]!.push(...value.split(',').filter(Boolean));
    else single[name] = value;
  }
  if (flags.has('help')) return 'help';
  const int = (name: string, dflt: number, min: number, max: number): number => {
    const v = single[name];
    if (v === undefined) return dflt;
    if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) throw new UsageError(`--${name} must be an integer from ${min} to ${max}, not '${v}'`);
    return Number(v);
  };
  for (const b of multi.backend!) if (!(BACKENDS as readonly string[]).includes(b)) throw new UsageError(`unknown --backend '${b}' (one of ${BACKENDS.join(', ')})`);
  for (const m of multi.model!) if (!/^[\w.-]+$/.test(m)) throw new UsageError(`--model '${m}' is not a model id`);
  for (const f of multi.checkpoint!) if (!existsSync(f)) throw new UsageError(`--checkpoint '${f}' does not exist`);
  let url = single.url ?? null;
  if (url !== null) {
    try {
      url = new URL(url).href.replace(/\/+$/, '');
    } catch {
      throw new UsageError(`--url '${url}' is not a URL`);
    }
  }
  if (url !== null && (single.port !== undefined || flags.has('build'))) throw new UsageError('--url benches a running site: --port and --build do not apply');
  return {
    models: [...new Set(multi.model!.length ? multi.model! : multi.checkpoint!.length ? [] : DEFAULT_MODELS)],
    checkpoints: [...new Set(multi.checkpoint!.map((f) => path.resolve(f)))],
    backends: [...new Set((multi.backend!.length ? multi.backend! : [...BACKENDS]) as Backend[])],
    runs: int('runs', 20, 1, 100_000),
    warmup: int('warmup', 3, 0, 10_000),
    sessions: int('sessions', 3, 1, 1000),
    layerRuns: int('layer-runs', 6, 0, 10_000),
    sample: int('sample', 0, 0, 1_000_000),
    port: single.port === undefined ? null : int('port', 0, 1, 65535),
    url,
    outDir: path.resolve(ROOT, single['out-dir'] ?? process.env.ASTRO_OUT_DIR ?? 'dist'),
    build: flags.has('build'),
    timeoutMs: int('timeout', 90, 1, 3600) * 1000,
    json: flags.has('json'),
    threads: flags.has('threads'),
  };
}

// ---------------------------------------------------------------------------------------------
// Formatting

const ms = (x: number) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
const log = (msg: string) => process.stderr.write(`bench:browser: ${msg}\n`);
const loadavg = () => os.loadavg().map((x) => Number(x.toFixed(2)));

// ---------------------------------------------------------------------------------------------
// Serving the site

let server: ChildProcess | null = null;
let browser: Browser | null = null;
let interrupted: NodeJS.Signals | null = null;
let interruptedAt = 0;

function killServer(signal: NodeJS.Signals = 'SIGTERM'): void {
  const child = server;
  if (!child || child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal); // its own process group: the watchdog, npx and the node it starts
  } catch {
    try {
      child.kill(signal);
    } catch {
      // Already gone.
    }
  }
}

async function stopServer(): Promise<void> {
  const child = server;
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  killServer('SIGTERM');
  const timer = setTimeout(() => killServer('SIGKILL'), 3000);
  await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
  clearTimeout(timer);
  server = null;
}

async function cleanup(): Promise<void> {
  const b = browser;
  browser = null;
  if (b) await Promise.race([b.close().catch(() => {}), new Promise((r) => setTimeout(r, 5000))]);
  await stopServer();
}

/**
 * A watchdog between us and `npx astro ...`: it runs the command in its own process group and
 * ends that whole group when its stdin closes, which happens however we die (even by SIGKILL, as
 * tsx does to a child that is slow to acknowledge Ctrl-C). So the preview server never outlives us.
 */
const WATCHDOG = `
const { spawn } = require('node:child_process');
const [cmd, ...args] = process.argv.slice(1);
const child = spawn(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'] });
let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  setTimeout(() => { try { process.kill(-process.pid, 'SIGKILL'); } catch {} process.exit(1); }, 3000).unref();
  try { process.kill(-process.pid, 'SIGTERM'); } catch { child.kill('SIGTERM'); }
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.stdin.on('end', stop);
process.stdin.on('close', stop);
process.stdin.on('error', stop);
process.stdin.resume();
child.on('error', (e) => { console.error(String(e)); process.exit(127); });
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
`;

function spawnGuarded(cmd: string, args: string[], env: NodeJS.ProcessEnv, output: 'stderr' | 'pipe'): ChildProcess {
  const out = output === 'stderr' ? process.stderr : 'pipe';
  return spawn(process.execPath, ['-e', WATCHDOG, cmd, ...args], { cwd: ROOT, env, stdio: ['pipe', out, out], detached: true });
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    // Build output goes to stderr so that --json keeps stdout clean.
    const child = spawnGuarded(cmd, args, env, 'stderr');
    server = child; // so that Ctrl-C during the build also stops it
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      server = null;
      if (code === 0) resolve();
      else reject(new Error(`${cmd} ${args.join(' ')} failed (${signal ?? `exit code ${code}`})`));
    });
  });
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      s.close(() => (addr && typeof addr === 'object' ? resolve(addr.port) : reject(new Error('no free port'))));
    });
  });
}

async function serve(opts: Options): Promise<string> {
  const env = { ...process.env, ASTRO_OUT_DIR: opts.outDir, ASTRO_TELEMETRY_DISABLED: '1' };
  if (opts.build || !existsSync(opts.outDir)) {
    log(`building the site into ${path.relative(ROOT, opts.outDir) || '.'} (npx astro build)…`);
    await run('npx', ['astro', 'build'], env);
  }
  if (!existsSync(path.join(opts.outDir, 'lab', 'index.html'))) {
    log(`warning: ${path.relative(ROOT, opts.outDir)}/lab/index.html is missing: the build may predate the lab (try --build)`);
  }
  const port = opts.port ?? (await freePort());
  if (!(await portIsFree(port))) throw new Error(`port ${port} on 127.0.0.1 is already in use (pick another with --port)`);
  const base = `http://127.0.0.1:${port}`;
  log(`serving ${path.relative(ROOT, opts.outDir)} at ${base} (npx astro preview)…`);
  let output = '';
  const child = spawnGuarded('npx', ['astro', 'preview', '--host', '127.0.0.1', '--port', String(port)], env, 'pipe');
  server = child;
  const keep = (d: Buffer) => {
    output = (output + d.toString()).slice(-4000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  let exited = false;
  child.on('exit', () => {
    exited = true;
  });
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited) throw new Error(`astro preview exited before serving:\n${output.trim()}`);
    try {
      const res = await fetch(`${base}/`, { signal: AbortSignal.timeout(2000) });
      if (res.ok) break;
    } catch {
      // Not up yet.
    }
    if (Date.now() > deadline) throw new Error(`astro preview did not answer at ${base}/ within 60 s:\n${output.trim()}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  return base;
}

// ---------------------------------------------------------------------------------------------
// One session: a cold page load of one (backend, model), then warm runs and layer openings

/** Runs before any page script: notes when window.ghostlab appears, becomes ready or reports an error. */
const INIT_SCRIPT = `(() => {
  // tsx (esbuild, keepNames) wraps named functions in __name(...), also inside the functions we
  // pass to page.evaluate: give the page a no-op one.
  if (typeof globalThis.__name !== 'function') globalThis.__name = (f) => f;
  const b = (window.__ghostBench = { seenAt: null, readyAt: null, errorAt: null });
  const tick = () => {
    const g = window.ghostlab;
    if (g && b.seenAt === null) b.seenAt = performance.now();
    if (g && g.ready === true && b.readyAt === null) b.readyAt = performance.now();
    if (g && g.error && b.errorAt === null) b.errorAt = performance.now();
    if (b.readyAt === null && b.errorAt === null) setTimeout(tick, 1);
  };
  tick();
})();`;

interface InferRun {
  ms: number | null; // what infer() returned
  wallMs: number; // around the awaited call, in the page
  labBefore: number | null; // window.ghostlab.numTensors
  labAfter: number | null;
  engineBefore: number | null; // tf.memory().numTensors, via window._tfengine
  engineAfter: number | null;
}

interface LayerRun {
  layer: string;
  ms: number | null;
  wallMs: number;
  labAfter: number | null;
  engineAfter: number | null;
}

interface Session {
  backend: Backend;
  model: string;
  session: number;
  ok: boolean;
  error: string | null;
  activeBackend: string | null; // what the lab says it runs on (it may fall back)
  firstMs: number | null; // navigation → ready
  labFirstInferenceMs: number | null;
  loadMs: number | null;
  loadSource: 'lab' | 'resource-timing' | null;
  weightsFetchEndMs: number | null;
  weightsBytes: number | null;
  domContentLoadedMs: number | null;
  prediction: unknown;
  baseline: { lab: number | null; engine: number | null } | null;
  warmup: InferRun[];
  runs: InferRun[];
  layersAvailable: number;
  layerBaseline: { lab: number | null; engine: number | null } | null;
  layers: LayerRun[];
  consoleErrors: string[];
}

function withTimeout<T>(p: Promise<T>, timeoutMs: number, what: string, onTimeout: () => void): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => {
        onTimeout();
        reject(new Error(`${what} took longer than ${timeoutMs / 1000} s`));
      }, timeoutMs);
    }),
  ]);
}

/** Layer names for the openings: spread along the network, never the same one twice in a row. */
function pickLayers(names: string[], count: number): string[] {
  if (!names.length || !count) return [];
  const distinct = Math.min(count, names.length);
  const spreadOut = Array.from({ length: distinct }, (_, i) => names[Math.min(names.length - 1, Math.floor(((i + 0.5) * names.length) / distinct))]!);
  return Array.from({ length: count }, (_, i) => spreadOut[i % distinct]!);
}

async function runSession(b: Browser, base: string, opts: Options, backend: Backend, model: string, session: number): Promise<Session> {
  const s: Session = {
    backend, model, session, ok: false, error: null, activeBackend: null, firstMs: null, labFirstInferenceMs: null, loadMs: null, loadSource: null,
    weightsFetchEndMs: null, weightsBytes: null, domContentLoadedMs: null, prediction: null, baseline: null, warmup: [], runs: [],
    layersAvailable: 0, layerBaseline: null, layers: [], consoleErrors: [],
  };
  let context: BrowserContext | null = null;
  try {
    context = await b.newContext({ viewport: { width: 1280, height: 900 }, serviceWorkers: 'block' });
    const ctx = context;
    const abort = () => void ctx.close().catch(() => {});
    await context.addInitScript({ content: INIT_SCRIPT });
    const page: Page = await context.newPage();
    page.on('pageerror', (e) => s.consoleErrors.length < 10 && s.consoleErrors.push(`pageerror: ${e.message}`));
    page.on('console', (m) => m.type() === 'error' && s.consoleErrors.length < 10 && s.consoleErrors.push(m.text()));
    const url = `${base}/lab/?model=${encodeURIComponent(model)}&backend=${backend}&sample=${opts.sample}`;
    const res = await page.goto(url, { waitUntil: 'commit', timeout: opts.timeoutMs });
    if (res && !res.ok()) throw new Error(`GET ${url} answered ${res.status()}`);
    await page.waitForFunction(() => {
      const w = window as unknown as { __ghostBench?: { readyAt: number | null; errorAt: number | null } };
      return w.__ghostBench?.readyAt != null || w.__ghostBench?.errorAt != null;
    }, undefined, { timeout: opts.timeoutMs, polling: 50 });

    const first = await page.evaluate(() => {
      const w = window as unknown as {
        __ghostBench: { readyAt: number | null };
        ghostlab: Record<string, unknown>;
        ghostlabDebug?: { layers(): string[] };
        _tfengine?: { memory(): { numTensors: number } };
      };
      const g = w.ghostlab;
      const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
      const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
      const weights = (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).filter((e) => /\/weights\//.test(new URL(e.name).pathname));
      return {
        readyAt: w.__ghostBench.readyAt,
        error: typeof g.error === 'string' && g.error ? g.error : null,
        backend: typeof g.backend === 'string' ? g.backend : null,
        loadMs: num(g.loadMs),
        firstInferenceMs: num(g.firstInferenceMs),
        prediction: g.lastPrediction ?? null,
        lab: num(g.numTensors),
        engine: w._tfengine ? w._tfengine.memory().numTensors : null,
        weightsFetchEndMs: weights.length ? Math.max(...weights.map((e) => e.responseEnd)) : null,
        weightsBytes: weights.length ? weights.reduce((t, e) => t + (e.encodedBodySize || e.transferSize || 0), 0) : null,
        domContentLoadedMs: nav ? nav.domContentLoadedEventEnd : null,
        hasDebug: typeof w.ghostlabDebug?.layers === 'function',
      };
    });
    s.activeBackend = first.backend;
    s.prediction = first.prediction;
    s.labFirstInferenceMs = first.firstInferenceMs;
    s.weightsFetchEndMs = first.weightsFetchEndMs;
    s.weightsBytes = first.weightsBytes;
    s.domContentLoadedMs = first.domContentLoadedMs;
    s.loadMs = first.loadMs ?? first.weightsFetchEndMs;
    s.loadSource = first.loadMs !== null ? 'lab' : first.weightsFetchEndMs !== null ? 'resource-timing' : null;
    if (first.error) throw new Error(`the lab reports: ${first.error}`);
    s.firstMs = first.readyAt;
    s.baseline = { lab: first.lab, engine: first.engine };
    if (!first.hasDebug) throw new Error('window.ghostlabDebug is missing on /lab/');

    const inferred = await withTimeout(
      page.evaluate(async ({ warmup, runs }) => {
        const w = window as unknown as {
          ghostlab: { numTensors?: unknown };
          ghostlabDebug: { infer(): Promise<number> };
          _tfengine?: { memory(): { numTensors: number } };
        };
        const lab = () => (typeof w.ghostlab.numTensors === 'number' ? w.ghostlab.numTensors : null);
        const engine = () => (w._tfengine ? w._tfengine.memory().numTensors : null);
        const once = async () => {
          const labBefore = lab();
          const engineBefore = engine();
          const t0 = performance.now();
          const r = await w.ghostlabDebug.infer();
          const wallMs = performance.now() - t0;
          return { ms: typeof r === 'number' && Number.isFinite(r) ? r : null, wallMs, labBefore, labAfter: lab(), engineBefore, engineAfter: engine() };
        };
        const warm = [];
        for (let i = 0; i < warmup; i++) warm.push(await once());
        const timed = [];
        for (let i = 0; i < runs; i++) timed.push(await once());
        return { warm, timed };
      }, { warmup: opts.warmup, runs: opts.runs }),
      opts.timeoutMs, 'the warm inferences', abort,
    );
    s.warmup = inferred.warm;
    s.runs = inferred.timed;

    const names = await page.evaluate(() => (window as unknown as { ghostlabDebug: { layers(): string[] } }).ghostlabDebug.layers());
    s.layersAvailable = Array.isArray(names) ? names.length : 0;
    const chosen = pickLayers(Array.isArray(names) ? names.map(String) : [], opts.layerRuns);
    const opened = await withTimeout(
      page.evaluate(async (list) => {
        const w = window as unknown as {
          ghostlab: { numTensors?: unknown };
          ghostlabDebug: { openLayer(name: string): Promise<number> };
          _tfengine?: { memory(): { numTensors: number } };
        };
        const lab = () => (typeof w.ghostlab.numTensors === 'number' ? w.ghostlab.numTensors : null);
        const engine = () => (w._tfengine ? w._tfengine.memory().numTensors : null);
        const baseline = { lab: lab(), engine: engine() };
        const out = [];
        for (const layer of list) {
          const t0 = performance.now();
          const r = await w.ghostlabDebug.openLayer(layer);
          const wallMs = performance.now() - t0;
          out.push({ layer, ms: typeof r === 'number' && Number.isFinite(r) ? r : null, wallMs, labAfter: lab(), engineAfter: engine() });
        }
        return { baseline, out };
      }, chosen),
      opts.timeoutMs, 'the layer openings', abort,
    );
    s.layerBaseline = opened.baseline;
    s.layers = opened.out;
    s.ok = true;
  } catch (e) {
    s.error = (e instanceof Error ? e.message : String(e)).split('\n')[0]!;
  } finally {
    if (context) await context.close().catch(() => {});
  }
  return s;
}

// ---------------------------------------------------------------------------------------------
// Summaries

interface TensorVerdict {
  /** 'baseline': always back; 'steady +k': holds k more, not growing; '+n, +k/step': drifts (a leak when it grows); 'n/a': no reading. */
  verdict: string;
  returnsToBaseline: boolean | null;
  maxDelta: number | null;
  lastDelta: number | null;
  source: 'engine' | 'lab' | null;
}

function tensorVerdict(deltasPerSession: number[][], source: TensorVerdict['source']): TensorVerdict {
  const all = deltasPerSession.flat();
  if (!all.length || source === null) return { verdict: 'n/a', returnsToBaseline: null, maxDelta: null, lastDelta: null, source };
  const maxDelta = Math.max(...all.map(Math.abs)) === Math.max(...all) ? Math.max(...all) : Math.min(...all);
  const lastDelta = Math.max(...deltasPerSession.map((d) => (d.length ? d[d.length - 1]! : 0)));
  if (all.every((d) => d === 0)) return { verdict: 'baseline', returnsToBaseline: true, maxDelta: 0, lastDelta: 0, source };
  const steady = deltasPerSession.every((d) => d.every((x) => x === d[0]));
  const k = deltasPerSession.find((d) => d.length)![0]!;
  const signed = (x: number) => `${x > 0 ? '+' : ''}${Number(x.toFixed(2))}`;
  // Growth per step: the median change between consecutive readings (a leak of one tensor per inference reads +1).
  const step = spread(deltasPerSession.flatMap((d) => d.slice(1).map((x, i) => x - d[i]!)))?.median ?? 0;
  const verdict = steady && deltasPerSession.every((d) => !d.length || d[0] === k) ? `steady ${signed(k)}` : `${signed(lastDelta)}, ${signed(step)}/step`;
  return { verdict, returnsToBaseline: false, maxDelta, lastDelta, source };
}

/** Engine readings when the page exposes them, else the lab's own numTensors. */
function pick(engine: number | null, lab: number | null, source: 'engine' | 'lab'): number | null {
  return source === 'engine' ? engine : lab;
}

function summarise(sessions: Session[]) {
  const ok = sessions.filter((s) => s.ok);
  const loaded = sessions.filter((s) => s.firstMs !== null);
  const source: 'engine' | 'lab' | null = ok.some((s) => s.baseline?.engine != null) ? 'engine' : ok.some((s) => s.baseline?.lab != null) ? 'lab' : null;
  const inferDeltas = source
    ? ok.map((s) => {
        const base = pick(s.baseline!.engine, s.baseline!.lab, source);
        return base === null ? [] : [...s.warmup, ...s.runs].map((r) => pick(r.engineAfter, r.labAfter, source)).filter((v): v is number => v !== null).map((v) => v - base);
      })
    : [];
  const perInference = source
    ? ok.flatMap((s) => s.runs.map((r) => {
        const a = pick(r.engineAfter, r.labAfter, source);
        const b = pick(r.engineBefore, r.labBefore, source);
        return a !== null && b !== null ? a - b : null;
      })).filter((v): v is number => v !== null)
    : [];
  const layerDeltas = source
    ? ok.map((s) => {
        const base = s.layerBaseline ? pick(s.layerBaseline.engine, s.layerBaseline.lab, source) : null;
        return base === null ? [] : s.layers.map((r) => pick(r.engineAfter, r.labAfter, source)).filter((v): v is number => v !== null).map((v) => v - base);
      })
    : [];
  // The lab's own numTensors against the engine's, at the baseline: a mismatch means the status is stale.
  const labMatchesEngine = ok.every((s) => s.baseline?.engine == null || s.baseline.lab == null || s.baseline.engine === s.baseline.lab);
  const inferMs = (r: InferRun) => r.ms ?? r.wallMs;
  const layerMs = (r: LayerRun) => r.ms ?? r.wallMs;
  return {
    sessions: sessions.length,
    okSessions: ok.length,
    errors: [...new Set(sessions.filter((s) => !s.ok).map((s) => s.error!))],
    // Times come from every session that got that far (a session that failed later keeps its load);
    // the tensor verdicts only from complete ones.
    activeBackends: [...new Set(loaded.map((s) => s.activeBackend))],
    loadMs: spread(loaded.map((s) => s.loadMs)),
    loadSource: loaded.find((s) => s.loadSource)?.loadSource ?? null,
    firstMs: spread(loaded.map((s) => s.firstMs)),
    labFirstInferenceMs: spread(loaded.map((s) => s.labFirstInferenceMs)),
    warmMs: spread(sessions.flatMap((s) => s.runs.map(inferMs))),
    warmWallMs: spread(sessions.flatMap((s) => s.runs.map((r) => r.wallMs))),
    warmSessionMedians: sessions.map((s) => spread(s.runs.map(inferMs))?.median ?? null),
    layerMs: spread(sessions.flatMap((s) => s.layers.map(layerMs))),
    layerFirstOpenMs: spread(sessions.map((s) => (s.layers[0] ? layerMs(s.layers[0]) : null))),
    layersAvailable: Math.max(0, ...sessions.map((s) => s.layersAvailable)),
    tensors: {
      source,
      labMatchesEngine,
      baseline: spread(ok.map((s) => (source && s.baseline ? pick(s.baseline.engine, s.baseline.lab, source) : null))),
      perInferenceMaxDelta: perInference.length ? Math.max(...perInference) : null,
      afterInference: tensorVerdict(inferDeltas, source),
      afterLayerChange: tensorVerdict(layerDeltas, source),
    },
  };
}
type Summary = ReturnType<typeof summarise>;

// ---------------------------------------------------------------------------------------------
// The table

function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (c: string[]) => c.map((v, i) => (v ?? '').padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(head), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

const mark = (ok: boolean) => (ok ? ' ✓' : ' ✗');

/** Where, when and on how busy a machine the numbers were taken. */
function header(meta: Meta): string[] {
  return [
    `GhostNet Lab browser bench — ${meta.url}/lab/ — ${meta.date}`,
    `${meta.browser}, headless; WebGL: ${meta.webglRenderer ?? 'unknown'}`,
    `load average ${meta.loadavgStart.join(' ')} (1/5/15 min) at start, ${meta.loadavgEnd.join(' ')} at end, on ${meta.cpus} cores${meta.loadavgStart[0]! > meta.cpus * 0.5 ? ' — busy machine, expect noise' : ''}`,
  ];
}

function formatReport(meta: Meta, cells: Map<string, Summary>, opts: Options): string {
  const key = (b: string, m: string) => `${b} ${m}`;
  const out: string[] = [];
  out.push(...header(meta));
  out.push(`${opts.sessions} cold session(s) per cell (fresh browser context each, cells interleaved); per session ${opts.warmup} warm-up + ${opts.runs} timed inferences, ${opts.layerRuns} layer openings`);
  if (meta.interrupted) out.push(`INTERRUPTED (${meta.interrupted}): ${meta.sessionsDone} of ${meta.sessionsPlanned} sessions measured`);
  out.push(`times in ms: median over sessions (load, first) or over all timed runs pooled [p10–p90]; ✓/✗ = within target or not (not an assertion)`);
  out.push('');
  const head = ['model', 'backend', 'load', `first, nav→pred (≤${TARGETS.firstMs})`, 'lab first', `warm [p10–p90] (wasm ≤${TARGETS.warmWasmMs})`, 'warm IQR', `open layer [p10–p90] (≤${TARGETS.layerMs})`, 'tensors: inference', 'tensors: layer'];
  const rows: string[][] = [];
  for (const m of opts.models) {
    for (const b of opts.backends) {
      const s = cells.get(key(b, m));
      if (!s) continue;
      if (!s.firstMs) {
        rows.push([m, b, 'error (below)']);
        continue;
      }
      const fell = s.activeBackends.filter((a) => a !== b);
      const be = fell.length ? `${b}→${fell.join('/')}` : b;
      const failed = s.okSessions < s.sessions ? ` (${s.sessions - s.okSessions} failed)` : '';
      const tv = (v: TensorVerdict) => (v.returnsToBaseline === null ? 'n/a' : `${v.verdict}${mark(v.returnsToBaseline)}`);
      rows.push([
        m + failed,
        be,
        s.loadMs ? ms(s.loadMs.median) + (s.loadSource === 'resource-timing' ? '*' : '') : 'n/a',
        s.firstMs ? ms(s.firstMs.median) + mark(s.firstMs.median <= TARGETS.firstMs) : 'n/a',
        s.labFirstInferenceMs ? ms(s.labFirstInferenceMs.median) : 'n/a',
        s.warmMs ? `${ms(s.warmMs.median)} [${ms(s.warmMs.p10)}–${ms(s.warmMs.p90)}]${b === 'wasm' ? mark(s.warmMs.median <= TARGETS.warmWasmMs) : ''}` : 'n/a',
        s.warmMs ? `${ms(s.warmMs.p25)}–${ms(s.warmMs.p75)}` : 'n/a',
        s.layerMs ? `${ms(s.layerMs.median)} [${ms(s.layerMs.p10)}–${ms(s.layerMs.p90)}]${mark(s.layerMs.median <= TARGETS.layerMs)}` : s.layersAvailable ? 'n/a' : 'no layers',
        tv(s.tensors.afterInference),
        tv(s.tensors.afterLayerChange),
      ]);
    }
  }
  out.push(table(head, rows));

  // Ratios of the medians, side by side: every backend against a reference backend (wasm when measured).
  const ref = opts.backends.includes('wasm') ? 'wasm' : opts.backends[0]!;
  const others = opts.backends.filter((b) => b !== ref);
  if (others.length) {
    out.push('');
    out.push(`Backend ratios of the medians (same run; < 1 means faster than ${ref})`);
    const rHead = ['model', 'ratio', 'load', 'first', 'warm', 'open layer'];
    const rRows: string[][] = [];
    const ratio = (x: Spread | null | undefined, y: Spread | null | undefined) => (x && y && y.median > 0 ? `${(x.median / y.median).toFixed(2)}×` : 'n/a');
    for (const m of opts.models) {
      const y = cells.get(key(ref, m));
      for (const b of others) {
        const x = cells.get(key(b, m));
        rRows.push([m, `${b}/${ref}`, ratio(x?.loadMs, y?.loadMs), ratio(x?.firstMs, y?.firstMs), ratio(x?.warmMs, y?.warmMs), ratio(x?.layerMs, y?.layerMs)]);
      }
    }
    out.push(table(rHead, rRows));
  }
  if (opts.models.length > 1) {
    const m0 = opts.models[0]!;
    out.push('');
    out.push(`Model ratios of the warm-inference medians, against ${m0}`);
    const mHead = ['backend', ...opts.models.slice(1).map((m) => `${m}/${m0}`)];
    const mRows = opts.backends.map((b) => [
      b,
      ...opts.models.slice(1).map((m) => {
        const x = cells.get(key(b, m))?.warmMs;
        const y = cells.get(key(b, m0))?.warmMs;
        return x && y && y.median > 0 ? `${(x.median / y.median).toFixed(2)}×` : 'n/a';
      }),
    ]);
    out.push(table(mHead, mRows));
  }

  const notes: string[] = [
    'first = navigation start → window.ghostlab.ready (model loaded, first prediction made and drawn); lab first = the lab\'s own ghostlab.firstInferenceMs; load = ghostlab.loadMs (fetch and build the model).',
    'warm = what ghostlabDebug.infer() returns; open layer = what ghostlabDebug.openLayer() returns (layers spread along the network). Chromium\'s performance.now() has 0.1 ms resolution here.',
  ];
  const all = [...cells.values()];
  if (all.some((s) => s.loadSource === 'resource-timing')) notes.push('* load: the lab gave no loadMs; this is when the last /weights/ file arrived (Resource Timing).');
  const src = all.find((s) => s.tensors.source)?.tensors.source;
  if (src === 'engine') notes.push('tensors: tf.memory().numTensors read from the page\'s tfjs engine; "baseline" = equal to the count after the first prediction (inference) or before the first layer change (layer); "steady +k" = k more tensors held while a layer is open, not growing; "+n, +k/step" = n more at the end, changing by k per inference or layer change (a leak).');
  else if (src === 'lab') notes.push('tensors: window.ghostlab.numTensors (the tfjs engine was not reachable); it may be stale after a layer change if the lab updates it only on inference.');
  if (all.some((s) => s.okSessions && !s.tensors.labMatchesEngine)) notes.push('tensors: window.ghostlab.numTensors differed from the engine\'s count at the baseline in some sessions (see --json).');
  for (const [k, s] of cells) for (const e of s.errors) notes.push(`${k}: ${s.okSessions ? 'a session failed' : 'error'}: ${e}`);
  if (notes.length) out.push('', ...notes);
  return out.join('\n');
}

// ---------------------------------------------------------------------------------------------
// Main

interface Meta {
  date: string;
  url: string;
  browser: string;
  webglRenderer: string | null;
  cpus: number;
  loadavgStart: number[];
  loadavgEnd: number[];
  node: string;
  /** Set when a signal cut the run short: only `sessionsDone` of `sessionsPlanned` were measured. */
  interrupted: string | null;
  sessionsDone: number;
  sessionsPlanned: number;
}

async function main(argv: string[]): Promise<number> {
  let opts: Options | 'help';
  try {
    opts = parseOptions(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`bench:browser: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  if (opts === 'help') {
    console.log(HELP);
    return 0;
  }
  const o = opts;
  const loadavgStart = loadavg();
  if (o.runs < 20) log(`note: --runs ${o.runs} is fewer than 20; the spread will be rough`);

  if (o.threads) return mainThreads(o);

  const base = o.url ?? (await serve(o));
  const probe = await fetch(`${base}/lab/`, { signal: AbortSignal.timeout(15_000) }).catch((e: Error) => e);
  if (probe instanceof Error) throw new Error(`cannot reach ${base}/lab/: ${probe.message}`);
  if (!probe.ok) throw new Error(`${base}/lab/ answered ${probe.status}: there is no lab page to bench${o.url ? '' : ' (is the build current? try --build)'}`);

  if (interrupted) throw new Error('interrupted');
  // Signals are ours to handle (see the end of the file): the browser closes after the report.
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS, handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false });
  const b = browser;
  const webglRenderer = await (async () => {
    const ctx = await b.newContext();
    await ctx.addInitScript({ content: INIT_SCRIPT });
    try {
      const page = await ctx.newPage();
      return await page.evaluate(() => {
        const gl = document.createElement('canvas').getContext('webgl2') ?? document.createElement('canvas').getContext('webgl');
        if (!gl) return 'unavailable';
        const ext = gl.getExtension('WEBGL_debug_renderer_info');
        return String(ext ? gl.getParameter(ext.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER));
      });
    } catch {
      return null;
    } finally {
      await ctx.close().catch(() => {});
    }
  })();

  const all: Session[] = [];
  const total = o.sessions * o.backends.length * o.models.length;
  let done = 0;
  // Sessions outermost, so that a change in machine load touches every cell alike.
  sessions: for (let i = 1; i <= o.sessions; i++) {
    for (const backend of o.backends) {
      for (const model of o.models) {
        if (interrupted) break sessions;
        const s = await runSession(b, base, o, backend, model, i);
        if (interrupted && !s.ok) break sessions; // cut short by the interrupt: not a measurement
        all.push(s);
        done++;
        const warm = spread(s.runs.map((r) => r.ms ?? r.wallMs));
        log(`[${done}/${total}] ${backend} ${model} #${i}: ${s.ok ? `first ${ms(s.firstMs ?? NaN)} ms, warm median ${warm ? ms(warm.median) : 'n/a'} ms` : `error: ${s.error}`}`);
      }
    }
  }

  const ckpts: CheckpointSession[] = [];
  for (let i = 1; i <= o.sessions && !interrupted; i++) {
    for (const backend of o.backends) {
      for (const file of o.checkpoints) {
        if (interrupted) break;
        const s = await runCheckpointSession(b, base, backend, file, i, o.timeoutMs, INIT_SCRIPT);
        ckpts.push(s);
        log(`checkpoint ${path.basename(file)} ${backend} #${i}: ${s.ok ? `choose→first prediction ${ms(s.chooseToFirstMs!)} ms` : `error: ${s.error}`}`);
      }
    }
  }

  if (!all.length && !ckpts.length) throw new Error('interrupted before any session finished');
  if (interrupted) log(`interrupted: reporting ${all.length} of ${total} sessions`);
  const cells = new Map<string, Summary>();
  for (const backend of o.backends) for (const model of o.models) if (all.some((s) => s.backend === backend && s.model === model)) cells.set(`${backend} ${model}`, summarise(all.filter((s) => s.backend === backend && s.model === model)));
  const meta: Meta = {
    date: new Date().toISOString(),
    url: base,
    browser: `Chromium ${b.version()}`,
    webglRenderer,
    cpus: os.cpus().length,
    loadavgStart,
    loadavgEnd: loadavg(),
    node: process.version,
    interrupted,
    sessionsDone: all.length,
    sessionsPlanned: total,
  };
  if (o.json) {
    const results = [...cells].map(([k, summary]) => {
      const [backend, model] = k.split(' ');
      return { backend, model, summary, sessions: all.filter((s) => s.backend === backend && s.model === model) };
    });
    const { json: _json, ...options } = o;
    const round = (_k: string, v: unknown) => (typeof v === 'number' && !Number.isInteger(v) ? Number(v.toFixed(3)) : v);
    console.log(JSON.stringify({ meta, options, targets: TARGETS, results, checkpoints: ckpts }, round, 2));
  } else {
    console.log(cells.size ? formatReport(meta, cells, o) : header(meta).join('\n'));
    if (ckpts.length) console.log(`\n${formatCheckpointReport(ckpts)}`);
  }
  return all.some((s) => s.ok) || ckpts.some((s) => s.ok) ? 0 : 1;
}

/** --threads: one thread vs threaded wasm (tools/bench-threads.ts), on the built site. */
async function mainThreads(o: Options): Promise<number> {
  if (o.url) throw new UsageError('--threads serves the built site itself (with and without its isolation headers): --url does not apply');
  if (o.build || !existsSync(o.outDir)) {
    log(`building the site into ${path.relative(ROOT, o.outDir) || '.'} (npx astro build)…`);
    await run('npx', ['astro', 'build'], { ...process.env, ASTRO_OUT_DIR: o.outDir, ASTRO_TELEMETRY_DISABLED: '1' });
  }
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS, handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false });
  const loadavgStart = loadavg();
  const report = await benchThreads(browser, o.outDir, ROOT, { runs: o.runs, rounds: o.sessions, timeoutMs: Math.max(o.timeoutMs, 600_000), log });
  const meta = { date: new Date().toISOString(), browser: `Chromium ${browser.version()}`, cpus: os.cpus().length, cpu: os.cpus()[0]?.model, loadavgStart, loadavgEnd: loadavg() };
  if (o.json) console.log(JSON.stringify({ meta, ...report }, null, 2));
  else console.log(`${meta.browser}, ${meta.cpus} × ${meta.cpu}, load average ${loadavgStart.join(' ')} → ${meta.loadavgEnd.join(' ')}\n${formatThreads(report)}`);
  return report.rows.length ? 0 : 1;
}

for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(sig, () => {
    // tsx relays the terminal's Ctrl-C once more when we are slow to acknowledge it: not a second Ctrl-C.
    if (interrupted && Date.now() - interruptedAt < 2000) return;
    if (interrupted) {
      log(`${sig} again: quitting at once`);
      killServer('SIGKILL');
      process.exit(130);
    }
    interrupted = sig;
    interruptedAt = Date.now();
    log(`${sig}: stopping (the sessions done so far are reported; again to quit at once)`);
    // Unblock whatever main() waits on; it then reports what it has and cleans up.
    const b = browser;
    if (b) void b.close().catch(() => {});
    killServer('SIGTERM');
    setTimeout(() => {
      killServer('SIGKILL');
      process.exit(130);
    }, 15_000).unref();
  });
}
// Last resort if the process ends some other way: never leave astro preview behind.
process.on('exit', () => killServer('SIGKILL'));

main(process.argv.slice(2))
  .then(async (code) => {
    await cleanup();
    process.exitCode = interrupted ? 130 : code;
  })
  .catch(async (e: unknown) => {
    process.stderr.write(`bench:browser: ${interrupted ? `interrupted (${interrupted})` : e instanceof Error ? e.message : String(e)}\n`);
    await cleanup();
    process.exitCode = interrupted ? 130 : 1;
  });
