/** Test helpers for the model and CLI tests: backend setup, CLI runner, PyTorch-layout weights. */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { paramEntries, tfToPt, type GhostNetModel } from '../../src/model/index.js';

export const ROOT = resolve(import.meta.dirname, '../..');

export async function useWasm(): Promise<void> {
  tf.env().set('PROD', true);
  await tf.setBackend('wasm');
  await tf.ready();
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], opts: { cwd?: string } = {}): CliResult {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/ghostlab.js'), ...args], {
    cwd: opts.cwd ?? ROOT,
    encoding: 'utf8',
    env: { ...process.env, GHOSTLAB_DEBUG: '' },
    timeout: 300_000,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/**
 * Runs a command without blocking the worker's event loop (a spawnSync of a 45 s eval starves
 * vitest's RPC and ends in "Timeout calling onTaskUpdate"); a command over time is killed.
 */
export function runAsync(cmd: string, args: string[], timeoutMs = 280_000, cwd = ROOT): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(cmd, args, { cwd, env: { ...process.env, GHOSTLAB_DEBUG: '' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ code: code ?? -1, stdout, stderr: signal ? `${stderr}\nkilled by ${signal}` : stderr });
    });
  });
}

export function tempDir(prefix = 'ghostlab-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** The model's weights as a PyTorch state_dict (names, NCHW shapes, row-major data). */
export function stateDict(model: GhostNetModel): Record<string, { shape: number[]; data: Float32Array }> {
  const ws = model.getWeights();
  const out: Record<string, { shape: number[]; data: Float32Array }> = {};
  for (const e of paramEntries(model.spec)) out[e.name] = { shape: e.ptShape, data: tfToPt(e, ws.get(e.name)!.data) };
  return out;
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

/** runCli without blocking the test worker (many CLI runs in one test starve vitest's RPC otherwise). */
export function runCliAsync(args: string[], opts: { cwd?: string } = {}): Promise<CliResult> {
  return runAsync(process.execPath, [join(ROOT, 'bin/ghostlab.js'), ...args], 280_000, opts.cwd ?? ROOT);
}

/** A CLI run under GNU time: its result plus peak resident memory (MB) of the process. */
export interface MeasuredResult extends CliResult {
  peakMB: number;
  seconds: number;
}

export async function runCliMeasured(args: string[], timeoutMs = 120_000): Promise<MeasuredResult> {
  const t0 = performance.now();
  const r = await runAsync('/usr/bin/time', ['-v', process.execPath, join(ROOT, 'bin/ghostlab.js'), ...args], timeoutMs);
  const seconds = (performance.now() - t0) / 1000;
  const kb = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr);
  if (!kb) throw new Error(`no GNU time report in: ${r.stderr.slice(-500)}`);
  // GNU time appends its report (and "Command exited with non-zero status N") after the CLI's stderr.
  const cut = r.stderr.search(/^(Command exited with non-zero status|\tCommand being timed:)/m);
  return { ...r, stderr: cut >= 0 ? r.stderr.slice(0, cut) : r.stderr, peakMB: Number(kb[1]) / 1024, seconds };
}
