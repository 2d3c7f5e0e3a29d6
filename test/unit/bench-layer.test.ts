/**
 * `ghostlab bench --layer`: its JSON, its theoretical r_s (the speed-up calculator's), its modules
 * (the library's own Ghost module, counted as theory.ts counts it), its input checking, and the
 * two channel joins it compares. No timing is asserted: performance is what the bench reports.
 */
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ghostModuleSpec, joinMaps } from '../../src/model/ghost-module.js';
import { GHOST_DEFAULTS, ghostModuleCost } from '../../src/model/theory.js';
import { CliError } from '../../tools/cli/args.js';
import { parseLayer } from '../../tools/cli/bench-layer.js';
import { ROOT, runAsync, useWasm } from '../helpers/ghostlab.js';

const ghostlab = (args: string[]) => runAsync(process.execPath, [join(ROOT, 'bin/ghostlab.js'), ...args]);

describe('ghostlab bench --layer', () => {
  it('--json: medians, and the theoretical speed-up equals the calculator’s r_s', async () => {
    const layer = { c: 24, n: 40, h: 24, w: 20, k: 3, s: 3, d: 5 };
    const spec = Object.entries(layer).map(([k, v]) => `${k}=${v}`).join(',');
    const r = await ghostlab(['bench', '--layer', spec, '--json', '--runs', '3', '--warmup', '1']);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    const cost = ghostModuleCost(layer);
    expect(j.theoretical).toBe(cost.rs);
    expect(j.layer).toEqual(layer);
    expect(j.backend).toBe('wasm');
    expect(j.conv.macs).toBe(cost.ordinary.flops);
    expect(j.ghost.macs).toBe(cost.ghost.flops);
    for (const t of [j.conv, j.ghost]) {
      expect(t.medianMs).toBeGreaterThan(0);
      expect(t.n).toBe(3);
    }
    expect(j.measured).toBeCloseTo(j.conv.medianMs / j.ghost.medianMs, 12);
    expect(j.efficiency).toBeCloseTo(j.measured / j.theoretical, 12);
    // On wasm the models join large maps with compiled kernels; the bench times tf.concat alongside.
    expect(j.ghost.join).toBe('transpose');
    expect(j.before.join).toBe('concat');
    expect(j.before.ghost.medianMs).toBeGreaterThan(0);
    expect(j.before.measured).toBeCloseTo(j.conv.medianMs / j.before.ghost.medianMs, 12);
  });

  it('small maps keep tf.concat on wasm: nothing to compare', async () => {
    const r = await ghostlab(['bench', '--layer', 'c=8,n=8,h=7,w=7', '--json', '--runs', '2', '--warmup', '0']);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.ghost.join).toBe('concat');
    expect(j.before).toBeNull();
  });

  it('symbols left out take the calculator’s defaults; the table names the layer and r_s', async () => {
    const r = await ghostlab(['bench', '--layer', 'c=16,n=16,h=8,w=8', '--backend', 'cpu', '--runs', '2', '--warmup', '0']);
    expect(r.code, r.stderr).toBe(0);
    const g = { ...GHOST_DEFAULTS, c: 16, n: 16, h: 8, w: 8 };
    expect(r.stdout).toContain(`c=16,n=16,h=8,w=8,k=${g.k},s=${g.s},d=${g.d}), cpu`);
    expect(r.stdout).toContain(`theoretical r_s ${ghostModuleCost(g).rs.toFixed(3)}×`);
    // tf.concat is the cpu backend's own join: nothing to compare it with.
    expect(r.stdout).not.toMatch(/before/);
  });

  const BAD_LAYERS: [spec: string, message: RegExp][] = [
    ['c=abc', /^--layer: c must be a positive integer \(got 'abc'\)$/],
    ['c=1.5', /^--layer: c must be a positive integer \(got '1.5'\)$/],
    ['c=-3', /^--layer: c must be a positive integer/],
    ['q=3', /^--layer: unknown symbol 'q' \(symbols: c, n, h, w, k, s, d\)$/],
    ['c=8,c=9', /^--layer: c is given twice$/],
    ['c', /^--layer: 'c' is not symbol=value/],
    ['c=8,,n=8', /^--layer: empty item in 'c=8,,n=8'/],
    ['', /^--layer: empty item/],
    ['n=0', /^--layer: n must be between 1 and 8192 \(got 0\)$/],
    ['h=5000', /^--layer: h must be between 1 and 4096 \(got 5000\)$/],
    ['k=4', /^--layer: k must be odd \(got 4\)$/],
    ['d=2', /^--layer: d must be odd \(got 2\)$/],
    ['s=1', /^--layer: s must be at least 2/],
    ['c=8192,n=8192,k=15', /^--layer: a tensor of \d+ floats is too large for the bench/],
  ];
  for (const [spec, message] of BAD_LAYERS) {
    it(`rejects --layer '${spec}'`, () => {
      expect(() => parseLayer(spec)).toThrow(CliError);
      expect(() => parseLayer(spec)).toThrow(message);
    });
  }

  // Every usage error leaves through the same path: exit 2, one line on stderr, nothing on stdout.
  const BAD_RUNS: [args: string[], message: RegExp][] = [
    [['--layer', 'c=8,k=4'], /--layer: k must be odd \(got 4\)/],
    [['--layer', 'c=8', '--backend', 'wasm', 'cpu'], /--layer times one backend at a time/],
    [['--layer', 'c=8', '--backend', 'webgl'], /--backend must be one of wasm, cpu/],
    [['--layer', 'c=8', '--arch', 'ghostnet_100'], /--arch does not apply to --layer/],
    [['--layer'], /--layer needs a value/],
  ];
  for (const [args, message] of BAD_RUNS) {
    it(`exit 2 with one line: bench ${args.join(' ')}`, async () => {
      const r = await ghostlab(['bench', ...args]);
      expect(r.code).toBe(2);
      const lines = r.stderr.trim().split('\n');
      expect(lines, r.stderr).toHaveLength(1);
      expect(lines[0]).toMatch(/^ghostlab bench: /);
      expect(lines[0]).toMatch(message);
      expect(r.stdout).toBe('');
    });
  }

  it('parseLayer reads every symbol in any order', () => {
    expect(parseLayer(' d=5, s=4,w=9,h=7,k=1,n=33,c=2 ')).toEqual({ c: 2, n: 33, h: 7, w: 9, k: 1, s: 4, d: 5 });
  });
});

describe('the modules the bench times', () => {
  beforeAll(useWasm);

  it('are the Ghost module theory.ts counts: primary k×k conv to ceil(n/s), d×d depthwise to m(s−1)', () => {
    for (const g of [GHOST_DEFAULTS, { c: 24, n: 40, h: 10, w: 12, k: 3, s: 3, d: 5 }, { c: 7, n: 9, h: 5, w: 6, k: 5, s: 4, d: 1 }]) {
      const cost = ghostModuleCost(g);
      const opts = { kernel: g.k, relu: true, attention: false };
      const ghost = ghostModuleSpec('ghost', g.c, g.n, { ...opts, ratio: g.s, dwSize: g.d, plain: false });
      const conv = ghostModuleSpec('conv', g.c, g.n, { ...opts, ratio: 1, dwSize: 0, plain: true });
      const hw = g.h * g.w;
      const p = ghost.primary.conv;
      const q = ghost.cheap!.conv;
      expect([p.kh, p.kw, p.outC, p.padH]).toEqual([g.k, g.k, cost.m, Math.floor(g.k / 2)]);
      expect([q.kh, q.depthwise, q.outC]).toEqual([g.d, true, cost.ghostComputed]);
      expect(hw * p.outC * p.inC * p.kh * p.kw + hw * q.outC * q.kh * q.kw).toBe(cost.ghost.flops);
      expect(hw * conv.primary.conv.outC * g.c * g.k * g.k).toBe(cost.ordinary.flops);
      expect(conv.cheap).toBeNull();
    }
  });

  // Widths: equal halves (s = 2), a cut ghost part (s = 3, n = 128: 43 + 86 → 128), odd n.
  const JOINS: [m: number, ghost: number, outC: number][] = [
    [64, 64, 128],
    [43, 86, 128],
    [5, 5, 9],
    [1, 3, 4],
  ];
  for (const [m, g, outC] of JOINS) {
    it(`both joins give the official concat-then-slice bit for bit (${m} + ${g} → ${outC})`, () => {
      tf.tidy(() => {
        const x1 = tf.randomNormal([2, 5, 7, m], 0, 1, 'float32', 1) as tf.Tensor4D;
        const x2 = tf.randomNormal([2, 5, 7, g], 0, 1, 'float32', 2) as tf.Tensor4D;
        const official = tf.slice(tf.concat([x1, x2], 3), [0, 0, 0, 0], [-1, -1, -1, outC]);
        for (const how of ['concat', 'transpose'] as const) {
          const y = joinMaps(x1, x2, outC, how);
          expect(y.shape, how).toEqual([2, 5, 7, outC]);
          expect(Array.from(y.dataSync()), how).toEqual(Array.from(official.dataSync()));
        }
      });
    });
  }
});
