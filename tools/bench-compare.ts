/**
 * npm run bench:compare — our tfjs GhostNet V1 / V2 1.0x against the same architectures in
 * PyTorch (the trainer's own training/ghostnet.py, Debian's torch) on this machine, in one run.
 *
 * tfjs wasm and PyTorch runs are interleaved one by one (a PyTorch worker process answers timing
 * requests, tools/bench_compare_torch.py), so a busy machine slows both alike; the tfjs cpu
 * backend is timed afterwards, for reference. Batch 1, random weights with calibrated BatchNorm,
 * read-back included; medians and interquartile ranges.
 *
 *   npm run bench:compare -- [--runs N] [--cpu-runs N] [--warmup N] [--input H] [--json]
 */
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { createInterface } from 'node:readline';
import * as tf from '@tensorflow/tfjs-core';
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { GhostNetModel, ghostnetCost, resolveConfig } from '../src/model/index.js';
import { bool, CliError, int, parseArgs } from './cli/args.js';
import { useBackend } from './cli/backend.js';
import { benchWeights, timeInference } from './cli/bench.js';
import { spread, type Spread } from './stats.js';

const PYTHON = '/usr/bin/python3';
const WORKER = new URL('./bench_compare_torch.py', import.meta.url).pathname;
const ARCHS = ['ghostnet_100', 'ghostnetv2_100'] as const;

/** A PyTorch worker: one JSON request per line, one JSON answer per line. */
function torchWorker() {
  if (spawnSync(PYTHON, ['-c', 'import torch'], { stdio: 'ignore' }).status !== 0) {
    throw new Error(`${PYTHON} cannot import torch (Debian: apt-get install python3-torch)`);
  }
  const child = spawn(PYTHON, [WORKER], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  return {
    async ask<T>(req: object): Promise<T> {
      child.stdin.write(`${JSON.stringify(req)}\n`);
      const { value, done } = await lines.next();
      if (done) throw new Error(`the PyTorch worker (${WORKER}) exited`);
      const ans = JSON.parse(value as string) as T & { error?: string };
      if (ans.error) throw new Error(ans.error);
      return ans;
    },
    close: () => child.stdin.end(),
  };
}

function cpuModel(): string {
  try {
    return /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? 'unknown CPU';
  } catch {
    return 'unknown CPU';
  }
}

interface Row {
  arch: string;
  macs: number;
  /** Column name → wall-clock timing. */
  cells: Record<string, Spread>;
  /** Column name → process CPU time (meaningful as latency for the one-thread columns). */
  cpu: Record<string, Spread>;
}

const fmt = (ms: number) => (ms >= 100 ? ms.toFixed(0) : ms.toFixed(1));

/** Ratio columns are named "tfjs wasm ÷ PyTorch, 1 thr": the part of the numerator before its comma. */
function table(rows: Row[], pick: (r: Row) => Record<string, Spread>, columns: string[], ratios: [num: string, den: string][]): string {
  const head = ['model', 'MACs', ...columns, ...ratios.map(([a, b]) => `${a.split(',')[0]} ÷ ${b}`)];
  const body = rows.map((r) => {
    const cells = pick(r);
    return [
      r.arch,
      `${(r.macs / 1e6).toFixed(0)}M`,
      ...columns.map((c) => (cells[c] ? `${fmt(cells[c]!.median)} ms [${fmt(cells[c]!.p25)}–${fmt(cells[c]!.p75)}]` : 'n/a')),
      ...ratios.map(([a, b]) => (cells[a] && cells[b] ? `${(cells[a]!.median / cells[b]!.median).toFixed(2)}×` : 'n/a')),
    ];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const line = (c: string[]) => `| ${c.map((v, i) => v.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...body.map(line)].join('\n');
}

async function main(): Promise<void> {
  const p = parseArgs(process.argv.slice(2), { runs: 'string', 'cpu-runs': 'string', warmup: 'string', input: 'string', json: 'boolean' });
  const runs = int(p, 'runs', { min: 1, max: 1000 }) ?? 15;
  const cpuRuns = int(p, 'cpu-runs', { min: 0, max: 1000 }) ?? 3;
  const warmup = int(p, 'warmup', { min: 0, max: 100 }) ?? 3;
  const input = int(p, 'input', { min: 32, max: 512 }) ?? 224;
  const cores = availableParallelism();
  const load = loadavg()[0]!;

  await useBackend('wasm');
  const wasmThreads = getThreadsCount();
  // PyTorch at tfjs wasm's thread count (the fair comparison) and at every core.
  const torchThreads = [...new Set([wasmThreads, cores])];
  const cols = {
    wasm: `tfjs wasm, ${wasmThreads} thr`,
    cpu: 'tfjs cpu (JS)',
    torch: (t: number) => `PyTorch, ${t} thr`,
  };
  const torch = torchWorker();
  const rows: Row[] = [];
  try {
    const info = await torch.ask<{ torch: string; mkldnn: boolean }>({ op: 'info' });
    const weights = new Map(ARCHS.map((a) => [a, benchWeights(a, input)]));
    for (const arch of ARCHS) {
      const ms: Record<string, number[]> = {};
      const cpu: Record<string, number[]> = {};
      const push = (col: string, wall: number, c: number) => {
        (ms[col] ??= []).push(wall);
        (cpu[col] ??= []).push(c);
      };
      const model = new GhostNetModel(resolveConfig(arch, { input }), weights.get(arch)!);
      const x = tf.randomNormal([1, input, input, 3], 0, 1, 'float32', 7) as tf.Tensor4D;
      try {
        for (let i = 0; i < warmup + runs; i++) {
          const c0 = process.cpuUsage();
          const t = await timeInference(model, x);
          const c = process.cpuUsage(c0);
          if (i >= warmup) push(cols.wasm, t, (c.user + c.system) / 1000);
          for (const th of torchThreads) {
            const r = await torch.ask<{ ms: number[]; cpuMs: number[] }>({ op: 'time', arch, input, threads: th, runs: 1 });
            if (i >= warmup) push(cols.torch(th), r.ms[0]!, r.cpuMs[0]!);
          }
        }
      } finally {
        x.dispose();
        model.dispose();
      }
      const stats = (m: Record<string, number[]>) => Object.fromEntries(Object.entries(m).map(([k, v]) => [k, spread(v)!]));
      rows.push({ arch, macs: ghostnetCost(arch, { input }).total.macs, cells: stats(ms), cpu: stats(cpu) });
      process.stderr.write(`bench:compare: ${arch} on wasm and PyTorch done\n`);
    }
    if (cpuRuns > 0) {
      await useBackend('cpu');
      for (const row of rows) {
        const model = new GhostNetModel(resolveConfig(row.arch, { input }), weights.get(row.arch as (typeof ARCHS)[number])!);
        const x = tf.randomNormal([1, input, input, 3], 0, 1, 'float32', 7) as tf.Tensor4D;
        try {
          await timeInference(model, x);
          const t: number[] = [];
          for (let i = 0; i < cpuRuns; i++) t.push(await timeInference(model, x));
          row.cells[cols.cpu] = spread(t)!;
        } finally {
          x.dispose();
          model.dispose();
        }
        process.stderr.write(`bench:compare: ${row.arch} on the tfjs cpu backend done\n`);
      }
    }
    const machine = `${cpuModel()}, ${cores} cores, load average ${load.toFixed(1)} at start${load > cores / 2 ? ' (machine shared/busy)' : ''}`;
    const versions = `tfjs ${tf.version_core} (wasm SIMD, ${wasmThreads} thread${wasmThreads > 1 ? 's' : ''}), torch ${info.torch} (oneDNN ${info.mkldnn ? 'on' : 'off'}; eval mode, BatchNorm not folded), Node ${process.version}`;
    if (bool(p, 'json')) {
      console.log(JSON.stringify({ machine, versions, input, batch: 1, runs, cpuRuns, warmup, wasmThreads, torchThreads, rows }));
      return;
    }
    const columns = [cols.wasm, ...torchThreads.map(cols.torch), ...(cpuRuns > 0 ? [cols.cpu] : [])];
    const single = [cols.wasm, cols.torch(wasmThreads)];
    console.log(
      [
        `GhostNet 1.0x, ${input}×${input}, batch 1, tfjs vs PyTorch on ${machine}`,
        `${versions}. Median [interquartile range]: ${runs} runs after ${warmup} warm-up, tfjs wasm and PyTorch interleaved run by run; tfjs cpu ${cpuRuns} runs. Read-back included; random weights.`,
        '',
        'Wall-clock latency:',
        table(rows, (r) => r.cells, columns, torchThreads.map((t) => [cols.wasm, cols.torch(t)])),
        '',
        `Process CPU time of the same runs at ${wasmThreads} thread (what a pass costs even while other processes take the cores):`,
        table(rows, (r) => r.cpu, single, [[single[0]!, single[1]!]]),
      ].join('\n'),
    );
  } finally {
    torch.close();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`bench:compare: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(e instanceof CliError ? 2 : 1);
});
