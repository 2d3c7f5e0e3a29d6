/**
 * The client side of "Measure on this device": on a click, one Web Worker per chosen backend in
 * turn (each a fresh tfjs engine; the page's own thread only draws), a progress bar over every
 * forward pass, cancel by terminating the worker, results into the table, the chart,
 * `window.ghostlab.measurements` and the copy buttons. The layer is the speed-up calculator's: read
 * from the URL it mirrors, or handed over by its "measure" link (calc/measure-event.ts).
 */
import { formatCount, formatRatio } from '../../viz/format';
import { renderRatioBars } from '../../viz/ratio-bars';
import { onMeasureLayer } from '../calc/measure-event';
import { ensureStatus, setStatus } from '../lab/status';
import {
  backendsFromSearch,
  isMeasureBackend,
  jobsOf,
  layerFromSearch,
  layerProblem,
  runsFromSearch,
  stepsOf,
  threadsFromSearch,
  WARMUP,
  type LayerProblem,
  type MeasureBackend,
  type MeasureJob,
} from '../../workers/measure-plan';
import type { Timing } from '../../workers/measure-run';
import type { WorkerMessage } from '../../workers/measure-worker';
import type { GhostInputs } from '../../model/theory';
import { comparisons, reportJson, reportMarkdown, type ReportContext } from './report';
import type { MeasureStrings } from './strings';

const fill = (tpl: string, vars: Record<string, string | number>) => tpl.replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m));
const ms = (v: number) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));
const layerText = (g: GhostInputs) => `c = ${g.c}, n = ${g.n}, k = ${g.k}, h′ = ${g.h}, w′ = ${g.w}, s = ${g.s}, d = ${g.d}`;

export function initMeasurePanel(root: HTMLElement): void {
  const t = JSON.parse(root.dataset.i18n ?? '{}') as MeasureStrings;
  const lang = root.dataset.lang === 'zh' ? 'zh' : 'en';
  const q = <T extends Element>(sel: string) => root.querySelector<T>(sel)!;
  const measureBtn = q<HTMLButtonElement>('[data-action="measure"]');
  const cancelBtn = q<HTMLButtonElement>('[data-action="cancel"]');
  const copyMd = q<HTMLButtonElement>('[data-action="copy-markdown"]');
  const copyJs = q<HTMLButtonElement>('[data-action="copy-json"]');
  const progress = q<HTMLProgressElement>('[data-testid="measure-progress"]');
  const status = q<HTMLElement>('[data-testid="measure-status"]');
  const threadsEl = q<HTMLElement>('[data-testid="measure-threads"]');
  const layerEl = q<HTMLElement>('[data-testid="measure-layer"]');
  const chart = q<HTMLElement>('[data-testid="measure-chart"]');
  const table = q<HTMLTableSectionElement>('[data-testid="measure-table"] tbody');
  const speedups = q<HTMLTableSectionElement>('[data-testid="measure-speedups"] tbody');
  const copyStatus = q<HTMLElement>('[data-role="copy-status"]');
  const copyText = q<HTMLTextAreaElement>('[data-testid="measure-copy-text"]');
  const boxes = [...root.querySelectorAll<HTMLInputElement>('.backends input[type=checkbox]')];
  ensureStatus();

  let layer = layerFromSearch(location.search);
  const runs = runsFromSearch(location.search);
  let timings: Timing[] = [];
  let context: ReportContext | null = null;
  let current: Worker | null = null;
  let cancelled = false;

  function showLayer(g: GhostInputs): void {
    layer = g;
    layerEl.dataset.layer = JSON.stringify(g);
    layerEl.querySelector('[data-role="layer-text"]')!.textContent = fill(t.layer, { layer: layerText(g) });
  }
  showLayer(layer);
  status.textContent = fill(t.idle, { runs, warmup: WARMUP });

  // The backends in the URL (?backends=webgl,wasm), and back into it when changed.
  const fromUrl = backendsFromSearch(location.search);
  if (fromUrl) for (const b of boxes) b.checked = fromUrl.includes(b.value as MeasureBackend);
  for (const b of boxes) {
    b.addEventListener('change', () => {
      const url = new URL(location.href);
      url.searchParams.set('backends', chosen().join(','));
      history.replaceState(history.state, '', url);
    });
  }
  const chosen = () => boxes.filter((b) => b.checked).map((b) => b.value).filter(isMeasureBackend);

  onMeasureLayer((g) => showLayer(g));

  const problemText = (p: LayerProblem): string => {
    switch (p.kind) {
      case 'ratio':
        return fill(t.problem.ratio, { s: p.s });
      case 'even':
        return fill(t.problem.even, { symbol: p.symbol, value: p.value });
      case 'macs':
        return fill(t.problem.macs, { macs: formatCount(p.macs, lang), max: formatCount(p.max, lang) });
      case 'floats':
        return fill(t.problem.floats, { floats: formatCount(p.floats, lang), max: formatCount(p.max, lang) });
    }
  };

  function render(): void {
    table.replaceChildren(
      ...timings.map((m) => row([m.backend, t.what[m.what]], [formatCount(m.macs, lang), ms(m.medianMs), `${ms(m.p25)}–${ms(m.p75)}`, String(m.runs)])),
    );
    const cmp = comparisons(timings);
    speedups.replaceChildren(
      ...cmp.map((c) => {
        const tr = row([c.backend, t.rows[c.id]], [`${formatRatio(c.measured, lang)}×`, `${formatRatio(c.theoretical, lang)}×`]);
        Object.assign(tr.dataset, { id: c.id, backend: c.backend, measured: String(c.measured), predicted: String(c.theoretical) });
        return tr;
      }),
    );
    renderRatioBars(
      chart,
      cmp.map((c) => ({ id: `${c.backend}-${c.id}`, label: `${c.backend} · ${t.rows[c.id]}`, measured: c.measured, predicted: c.theoretical, valueLabel: `${formatRatio(c.measured, lang)}× / ${formatRatio(c.theoretical, lang)}×` })),
      { ariaLabel: t.chartAria, xLabel: t.chartLabel, testIdPrefix: 'measure-ratio' },
    );
    setStatus({ measurements: timings.map(({ what, backend, medianMs, runs: n }) => ({ what, backend, medianMs, runs: n })) });
    copyMd.disabled = copyJs.disabled = timings.length === 0;
  }

  function row(head: string[], nums: string[]): HTMLTableRowElement {
    const tr = document.createElement('tr');
    for (const h of head) tr.append(Object.assign(document.createElement('td'), { textContent: h }));
    for (const n of nums) tr.append(Object.assign(document.createElement('td'), { textContent: n, className: 'num' }));
    return tr;
  }

  /** One backend's job in its own worker; resolves when it ends, fails or is cancelled. */
  function runInWorker(job: MeasureJob, before: number, total: number): Promise<void> {
    return new Promise((resolve) => {
      const worker = new Worker(new URL('../../workers/measure-worker.ts', import.meta.url), { type: 'module', name: `measure-${job.backend}` });
      current = worker;
      const finish = () => {
        worker.terminate();
        current = null;
        resolve();
      };
      worker.onmessage = (e: MessageEvent<WorkerMessage>) => {
        const m = e.data;
        if (cancelled) return;
        if (m.type === 'started') {
          if (m.wasmThreads !== null) {
            setStatus({ wasmThreads: m.wasmThreads > 1 });
            if (context) context.wasmThreads = m.wasmThreads;
            threadsEl.hidden = false;
            threadsEl.textContent = m.wasmThreads > 1 ? fill(t.threads.yes, { n: m.wasmThreads }) : m.isolated ? t.threads.one : t.threads.no;
          }
        } else if (m.type === 'progress') {
          progress.value = (before + m.done) / total;
          status.textContent = fill(t.running, { backend: t.backendNames[job.backend], done: m.done, total: stepsOf(job) });
        } else if (m.type === 'result') {
          timings.push(m.timing);
          render();
        } else if (m.type === 'done') {
          finish();
        } else {
          failures.push(fill(t.failed, { backend: t.backendNames[job.backend], reason: m.message }));
          finish();
        }
      };
      worker.onerror = (e) => {
        failures.push(fill(t.failed, { backend: t.backendNames[job.backend], reason: e.message || 'the worker failed to load' }));
        finish();
      };
      cancelNow = () => {
        cancelled = true;
        finish();
      };
      status.textContent = fill(t.starting, { backend: t.backendNames[job.backend] });
      worker.postMessage(job);
    });
  }

  let failures: string[] = [];
  let cancelNow = () => {};

  measureBtn.addEventListener('click', async () => {
    if (current) return;
    // The calculator mirrors its settings in the URL: take the latest.
    showLayer(layerFromSearch(location.search));
    const backends = chosen();
    if (!backends.length) {
      status.textContent = t.nothing;
      return;
    }
    const problem = layerProblem(layer);
    if (problem) {
      status.textContent = problemText(problem);
      return;
    }
    const jobs = jobsOf({ layer, backends, runs, warmup: WARMUP, nets: true, threads: threadsFromSearch(location.search) });
    const total = jobs.reduce((a, j) => a + stepsOf(j), 0);
    timings = [];
    failures = [];
    cancelled = false;
    context = { userAgent: navigator.userAgent, layer, runs, warmup: WARMUP, wasmThreads: null, date: new Date().toISOString() };
    render();
    measureBtn.disabled = true;
    cancelBtn.disabled = false;
    progress.value = 0;
    root.dataset.state = 'running';
    let before = 0;
    for (const job of jobs) {
      if (cancelled) break;
      await runInWorker(job, before, total);
      before += stepsOf(job);
    }
    measureBtn.disabled = false;
    cancelBtn.disabled = true;
    root.dataset.state = cancelled ? 'cancelled' : 'done';
    if (!cancelled) progress.value = 1;
    status.textContent = [cancelled ? t.cancelled : fill(t.finished, { count: timings.length }), ...failures].join(' ');
  });

  cancelBtn.addEventListener('click', () => {
    cancelNow();
    measureBtn.focus();
  });

  async function copy(text: string): Promise<void> {
    copyText.value = text;
    try {
      await navigator.clipboard.writeText(text);
      copyStatus.textContent = t.copied;
    } catch {
      copyStatus.textContent = t.copyFallback;
    }
    // The text stays visible too: some browsers refuse the clipboard to pages without focus.
    copyText.closest('label')!.hidden = false;
  }
  copyMd.addEventListener('click', () => context && copy(reportMarkdown(timings, context)));
  copyJs.addEventListener('click', () => context && copy(reportJson(timings, context)));
  root.dataset.ready = 'true';
}
