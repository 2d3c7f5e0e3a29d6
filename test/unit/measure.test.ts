/**
 * "Measure on this device" without a browser: what it plans from the URL, what it refuses, what one
 * job times (on tfjs's cpu backend, tiny sizes) and the reports it copies. No time is asserted.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { comparisons, reportJson, reportMarkdown } from '../../src/components/measure/report.js';
import { MEASURE_STRINGS } from '../../src/components/measure/strings.js';
import { costReport } from '../../src/model/layers.js';
import { buildSpec } from '../../src/model/ghostnet.js';
import { GHOST_DEFAULTS, ghostModuleCost } from '../../src/model/theory.js';
import {
  backendsFromSearch,
  DEFAULT_RUNS,
  jobsOf,
  layerFromSearch,
  layerProblem,
  MIN_RUNS,
  runsFromSearch,
  stepsOf,
  threadsFromSearch,
} from '../../src/workers/measure-plan.js';
import { netConfigs, runJob, type Timing } from '../../src/workers/measure-run.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('measure plan', () => {
  it('reads the calculator’s symbols from the URL, its defaults where one is missing or bad', () => {
    expect(layerFromSearch('?c=64&n=100&k=5&h=14&w=7&s=3&d=5')).toEqual({ c: 64, n: 100, k: 5, h: 14, w: 7, s: 3, d: 5 });
    expect(layerFromSearch('?c=abc&n=-3&k=99&h=1.5')).toEqual(GHOST_DEFAULTS);
  });

  it('runs: 20 by default; a URL may lower it for tests, never below the minimum', () => {
    expect(DEFAULT_RUNS).toBeGreaterThanOrEqual(20);
    expect(runsFromSearch('')).toBe(DEFAULT_RUNS);
    expect(runsFromSearch('?runs=3')).toBe(3);
    expect(runsFromSearch('?runs=1')).toBe(MIN_RUNS);
    expect(runsFromSearch('?runs=x')).toBe(DEFAULT_RUNS);
  });

  it('threads from the URL: 1 to 64, else tfjs’s default (null)', () => {
    expect(threadsFromSearch('?threads=1')).toBe(1);
    expect(threadsFromSearch('?threads=0')).toBeNull();
    expect(threadsFromSearch('?threads=two')).toBeNull();
    expect(threadsFromSearch('')).toBeNull();
  });

  it('backends from the URL: known names only, in order, no repeats', () => {
    expect(backendsFromSearch('?backends=wasm,webgl,wasm,gpu')).toEqual(['wasm', 'webgl']);
    expect(backendsFromSearch('?backends=gpu')).toBeNull();
    expect(backendsFromSearch('')).toBeNull();
  });

  it('refuses s = 1, even kernels and layers too large, before any work', () => {
    expect(layerProblem({ ...GHOST_DEFAULTS, s: 1 })).toEqual({ kind: 'ratio', s: 1 });
    expect(layerProblem({ ...GHOST_DEFAULTS, k: 4 })).toMatchObject({ kind: 'even', symbol: 'k' });
    expect(layerProblem({ ...GHOST_DEFAULTS, d: 2 })).toMatchObject({ kind: 'even', symbol: 'd' });
    expect(layerProblem({ c: 1024, n: 1024, k: 9, h: 224, w: 224, s: 2, d: 3 })).toMatchObject({ kind: 'macs' });
    expect(layerProblem({ c: 1, n: 1, k: 1, h: 4096, w: 4096, s: 2, d: 1 })).toMatchObject({ kind: 'floats' });
    expect(layerProblem(GHOST_DEFAULTS)).toBeNull();
  });

  it('one job per backend; the plain-JS cpu backend times the layer only', () => {
    const jobs = jobsOf({ layer: GHOST_DEFAULTS, backends: ['webgl', 'cpu'], runs: 20, warmup: 3, nets: true, threads: null });
    expect(jobs.map((j) => [j.backend, j.nets])).toEqual([['webgl', true], ['cpu', false]]);
    expect(stepsOf(jobs[0]!)).toBe(5 * 23);
    expect(stepsOf(jobs[1]!)).toBe(2 * 23);
  });
});

describe('measure run', () => {
  it('times the layer pair with read-back, counts MACs as the calculator does, reports progress to the end', async () => {
    const layer = { c: 8, n: 12, k: 3, h: 6, w: 5, s: 3, d: 3 };
    const job = { backend: 'cpu' as const, threads: null, layer, runs: 3, warmup: 1, nets: false };
    const results: Timing[] = [];
    const steps: number[] = [];
    const before = tf.memory().numTensors;
    await runJob(job, { progress: (done, total) => steps.push(done / total), result: (t) => results.push(t) });
    expect(tf.memory().numTensors).toBe(before);
    expect(steps.at(-1)).toBe(1);
    expect(steps).toHaveLength(stepsOf(job));
    const cost = ghostModuleCost(layer);
    expect(results.map((r) => [r.what, r.macs, r.runs])).toEqual([
      ['conv', cost.ordinary.flops, 3],
      ['ghost', cost.ghost.flops, 3],
    ]);
    for (const r of results) {
      expect(r.medianMs).toBeGreaterThan(0);
      expect(r.p25).toBeLessThanOrEqual(r.medianMs);
      expect(r.p75).toBeGreaterThanOrEqual(r.medianMs);
    }
    // The layer comparison's prediction is exactly the calculator's r_s.
    expect(comparisons(results)[0]!.theoretical).toBe(cost.rs);
  });

  it('stops between runs when cancelled', async () => {
    const job = { backend: 'cpu' as const, threads: null, layer: { c: 4, n: 4, k: 1, h: 4, w: 4, s: 2, d: 1 }, runs: 50, warmup: 0, nets: false };
    let n = 0;
    const results: Timing[] = [];
    await runJob(job, { progress: () => n++, result: (t) => results.push(t) }, () => n >= 5);
    expect(n).toBe(5);
    expect(results).toEqual([]);
  });

  it('the plain twin is GhostNet 1.0x with ordinary convolutions: same net, more MACs; V2 costs more than V1', () => {
    const [v1, plain, v2] = netConfigs().map(({ what, config }) => ({ what, macs: costReport(buildSpec(config)).total.macs }));
    expect(v1!.what).toBe('ghostnet_100');
    expect(v1!.macs).toBe(141_150_512); // the official count (DESIGN.md)
    expect(v2!.macs).toBe(167_048_288);
    expect(plain!.what).toBe('plain_100');
    expect(plain!.macs).toBeGreaterThan(v1!.macs);
  });
});

describe('measure report', () => {
  const t = (what: Timing['what'], backend: string, medianMs: number, macs: number): Timing => ({ what, backend, medianMs, runs: 20, p25: medianMs * 0.9, p75: medianMs * 1.1, min: medianMs * 0.8, max: medianMs * 1.5, macs });
  const timings = [t('conv', 'wasm', 8, 200), t('ghost', 'wasm', 5, 100), t('ghostnet_100', 'wasm', 40, 141), t('plain_100', 'wasm', 60, 282), t('ghostnetv2_100', 'wasm', 50, 167), t('conv', 'webgl', 3, 200)];
  const ctx = { userAgent: 'Mozilla/5.0 Test', layer: GHOST_DEFAULTS, runs: 20, warmup: 3, wasmThreads: 2, date: '2026-11-30T00:00:00.000Z' };

  it('speed-ups are ratios of medians beside ratios of MACs, only where both timings exist', () => {
    const c = comparisons(timings);
    expect(c.map((x) => [x.backend, x.id, x.measured, x.theoretical])).toEqual([
      ['wasm', 'layer', 8 / 5, 2],
      ['wasm', 'net', 60 / 40, 282 / 141],
      ['wasm', 'v2', 50 / 40, 167 / 141],
    ]);
  });

  it('JSON and Markdown carry the browser, the backend and the settings', () => {
    const j = JSON.parse(reportJson(timings, ctx));
    expect(j.browser).toBe('Mozilla/5.0 Test');
    expect(j.settings).toMatchObject({ layer: GHOST_DEFAULTS, runs: 20, warmup: 3, wasmThreads: 2, weights: 'random' });
    expect(j.measurements).toHaveLength(6);
    expect(j.speedups[0]).toMatchObject({ backend: 'wasm', id: 'layer', measured: 1.6, theoretical: 2 });
    const md = reportMarkdown(timings, ctx);
    expect(md).toContain('Mozilla/5.0 Test');
    expect(md).toContain('| webgl | conv |');
    expect(md).toContain('| wasm | conv ÷ ghost | 1.60× | 2.00× |');
    expect(md).toContain('c=128, n=128');
  });

  it('every string exists in both languages', () => {
    const keys = (o: object): string[] => Object.entries(o).flatMap(([k, v]) => (typeof v === 'object' ? keys(v).map((x) => `${k}.${x}`) : [k]));
    expect(keys(MEASURE_STRINGS.zh)).toEqual(keys(MEASURE_STRINGS.en));
  });
});
