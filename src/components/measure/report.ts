/**
 * The measured results as the panel shows and copies them: per backend, the speed-ups (ordinary
 * conv ÷ Ghost module; plain twin ÷ GhostNet; V2 ÷ V1) beside what MACs predict (the calculator's
 * r_s; the networks' MAC ratio), and the Markdown and JSON the "copy results" button writes.
 */
import type { GhostInputs } from '../../model/theory';
import type { MeasureWhat } from '../../workers/measure-plan';
import type { Timing } from '../../workers/measure-run';

export interface Comparison {
  id: 'layer' | 'net' | 'v2';
  backend: string;
  /** The slower-by-theory case ÷ the faster one. */
  num: MeasureWhat;
  den: MeasureWhat;
  /** num's median ÷ den's median. */
  measured: number;
  /** num's MACs ÷ den's MACs (for the layer: r_s). */
  theoretical: number;
}

const PAIRS: [Comparison['id'], MeasureWhat, MeasureWhat][] = [
  ['layer', 'conv', 'ghost'],
  ['net', 'plain_100', 'ghostnet_100'],
  // V2 costs more than V1: the ratio says how much slower, against how many more MACs.
  ['v2', 'ghostnetv2_100', 'ghostnet_100'],
];

/** Every comparison whose two timings exist, backend by backend in the order they were measured. */
export function comparisons(timings: Timing[]): Comparison[] {
  const backends = [...new Set(timings.map((t) => t.backend))];
  const out: Comparison[] = [];
  for (const backend of backends) {
    const get = (w: MeasureWhat) => timings.find((t) => t.backend === backend && t.what === w);
    for (const [id, a, b] of PAIRS) {
      const x = get(a);
      const y = get(b);
      if (x && y) out.push({ id, backend, num: a, den: b, measured: x.medianMs / y.medianMs, theoretical: x.macs / y.macs });
    }
  }
  return out;
}

export interface ReportContext {
  userAgent: string;
  layer: GhostInputs;
  runs: number;
  warmup: number;
  /** The wasm flavour: threads it used, when wasm ran. */
  wasmThreads: number | null;
  /** ISO time of the run. */
  date: string;
}

const r2 = (v: number) => Math.round(v * 1000) / 1000;
const ms = (v: number) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));
const layerText = (g: GhostInputs) => `c=${g.c}, n=${g.n}, k=${g.k}, h′=${g.h}, w′=${g.w}, s=${g.s}, d=${g.d}`;

export function reportJson(timings: Timing[], ctx: ReportContext): string {
  return JSON.stringify(
    {
      browser: ctx.userAgent,
      date: ctx.date,
      settings: { layer: ctx.layer, netInput: [224, 224, 3], batch: 1, runs: ctx.runs, warmup: ctx.warmup, wasmThreads: ctx.wasmThreads, weights: 'random' },
      measurements: timings.map((t) => ({ ...t, medianMs: r2(t.medianMs), p25: r2(t.p25), p75: r2(t.p75), min: r2(t.min), max: r2(t.max) })),
      speedups: comparisons(timings).map((c) => ({ ...c, measured: r2(c.measured), theoretical: r2(c.theoretical) })),
    },
    null,
    2,
  );
}

export function reportMarkdown(timings: Timing[], ctx: ReportContext): string {
  const rows = timings.map((t) => `| ${t.backend} | ${t.what} | ${(t.macs / 1e6).toFixed(1)}M | ${ms(t.medianMs)} | ${ms(t.p25)}–${ms(t.p75)} | ${t.runs} |`);
  const cmp = comparisons(timings).map((c) => `| ${c.backend} | ${c.num} ÷ ${c.den} | ${c.measured.toFixed(2)}× | ${c.theoretical.toFixed(2)}× |`);
  return [
    `Measured in ${ctx.userAgent} on ${ctx.date}.`,
    `Layer: ${layerText(ctx.layer)}; networks at 224×224, batch 1, random weights. ${ctx.warmup} warm-up runs, then ${ctx.runs} timed runs each, read-back included.${ctx.wasmThreads === null ? '' : ` wasm threads: ${ctx.wasmThreads}.`}`,
    '',
    '| backend | what | MACs | median ms | IQR ms | runs |',
    '|---|---|---|---|---|---|',
    ...rows,
    '',
    '| backend | ratio | measured | by MACs |',
    '|---|---|---|---|',
    ...cmp,
  ].join('\n');
}
