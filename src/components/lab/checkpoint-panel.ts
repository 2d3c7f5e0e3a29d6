/**
 * "Your checkpoint": the reader picks or drops an official or timm GhostNet checkpoint; a worker
 * reads and converts it with the model library's own reader, and the lab then runs it. Until the
 * new network is built, and after any failure, the previous model keeps answering.
 */
import { onFileChosen } from './file-drop';
import { createModel, GhostNetModel, resolveConfig, type KeyProblems, type WeightSet } from '../../model';
import { role, type Panel } from './context';
import type { WorkerReply } from './checkpoint-protocol';
import { forgetSaved, loadSaved, saveCheckpoint, savedInfo } from './checkpoint-store';
import { setStatus } from './status';

/** Larger files are refused before a byte is read (the largest GhostNet, V2 1.6×, is ~50 MB in float32). */
export const MAX_CHECKPOINT_BYTES = 512 * 1024 * 1024;

/** The lab's model id for a converted checkpoint: its file and architecture (window.ghostlab.modelId). */
export const checkpointId = (file: string, arch: string) => `${file} (${arch})`;
/** The id of an architecture built with random weights. */
export const untrainedId = (arch: string) => `${arch} (untrained)`;
/** What "architecture only" builds when the reader left the architecture to detection. */
const UNTRAINED_DEFAULT = 'ghostnet_100';

export const checkpointPanel: Panel = (el, ctx) => {
  const { state, session, t } = ctx;
  const input = role<HTMLInputElement>(el, 'checkpoint');
  const drop = role(el, 'checkpoint-drop');
  const archSelect = role<HTMLSelectElement>(el, 'checkpoint-arch');
  const bar = role<HTMLProgressElement>(el, 'checkpoint-progress');
  const line = role(el, 'checkpoint-status');
  const report = role(el, 'checkpoint-error');
  const keys = role(el, 'checkpoint-keys');
  const untrained = role<HTMLButtonElement>(el, 'untrained');
  const saved = role(el, 'saved');
  const savedName = role(el, 'saved-name');
  if (!input) return {};
  let worker: Worker | null = null;

  const say = (text: string) => {
    if (line) line.textContent = text;
  };
  const fail = (file: string, why: string, problems?: KeyProblems) => {
    if (bar) bar.hidden = true;
    say('');
    const current = state.get().model;
    if (report) {
      report.textContent = t.ckptFailed(file, why, current);
      report.hidden = false;
    }
    if (keys) showKeys(keys, problems, t.ckptAllKeys);
  };
  const clear = () => {
    if (report) report.hidden = true;
    if (keys) keys.hidden = true;
  };

  const take = (file: File) => {
    worker?.terminate();
    worker = null;
    clear();
    if (file.size > MAX_CHECKPOINT_BYTES) {
      fail(file.name, t.ckptTooBig((file.size / 2 ** 20).toFixed(0), (MAX_CHECKPOINT_BYTES / 2 ** 20).toFixed(0)));
      return;
    }
    const started = performance.now();
    const w = new Worker(new URL('./checkpoint-worker.ts', import.meta.url), { type: 'module' });
    worker = w;
    if (bar) {
      bar.hidden = false;
      bar.value = 0;
    }
    say(t.ckptReading(file.name));
    w.onmessage = (e: MessageEvent<WorkerReply>) => {
      const msg = e.data;
      if (msg.kind === 'progress') {
        // Reading is the first half of the bar, converting the second.
        if (bar) bar.value = (msg.stage === 'read' ? 0 : 0.5) + (msg.total ? msg.done / msg.total / 2 : 0);
        say(msg.stage === 'read' ? t.ckptReadingBytes(file.name, (msg.done / 2 ** 20).toFixed(1), (msg.total / 2 ** 20).toFixed(1)) : t.ckptConverting(msg.done, msg.total));
        return;
      }
      w.terminate();
      if (worker === w) worker = null;
      if (msg.kind === 'error') {
        fail(file.name, msg.message, msg.problems);
        return;
      }
      const weights: WeightSet = new Map(msg.tensors.map((x) => [x.name, { shape: x.shape, data: x.data }]));
      void adopt(file.name, msg.arch, msg.numClasses, weights, started, msg.detected ? t.ckptDetected(file.name, msg.arch) : t.ckptChosen(file.name, msg.arch)).then(
        (ok) => {
          if (ok) void keep(file.name, msg.arch, msg.numClasses, weights);
        },
      );
    };
    w.onerror = (e) => {
      e.preventDefault();
      w.terminate();
      if (worker === w) worker = null;
      fail(file.name, e.message || 'the conversion worker stopped');
    };
    w.postMessage({ file, arch: archSelect?.value ?? '' });
  };

  /** Builds the network in the session's queue and makes it the lab's model; false (and the report) on failure. */
  const adopt = (file: string, arch: string, numClasses: number, weights: WeightSet | (() => Promise<WeightSet | null>), started: number, done: string) =>
    session.run(async () => {
      say(t.ckptBuilding);
      try {
        const ws = typeof weights === 'function' ? await weights() : weights;
        if (!ws) throw new Error(t.ckptSavedGone);
        session.adopt(new GhostNetModel(resolveConfig(arch, { numClasses }), ws), started);
      } catch (err) {
        fail(file, err instanceof Error ? err.message : String(err));
        return false;
      }
      if (bar) bar.hidden = true;
      setStatus({ loadMs: performance.now() - started, numTensors: session.numTensors() });
      say(done);
      state.update({ model: checkpointId(file, arch), layer: '', channel: 0 });
      return true;
    });

  // The converted weights stay in this browser until the reader forgets them.
  const showSaved = async () => {
    const info = await savedInfo().catch(() => null);
    if (saved) saved.hidden = !info;
    if (info && savedName) savedName.textContent = t.ckptSaved(info.file, info.arch, (info.bytes / 2 ** 20).toFixed(1));
  };
  const keep = (file: string, arch: string, numClasses: number, weights: WeightSet) =>
    saveCheckpoint({ file, arch, numClasses }, weights)
      .then(showSaved)
      .catch((err: unknown) => say(`${line?.textContent ?? ''} ${t.ckptNotSaved(err instanceof Error ? err.message : String(err))}`));
  role(el, 'use-saved')?.addEventListener('click', async () => {
    const info = await savedInfo().catch(() => null);
    if (!info) return void showSaved();
    clear();
    await adopt(info.file, info.arch, info.numClasses, loadSaved, performance.now(), t.ckptFromSaved(info.file, info.arch));
  });
  role(el, 'forget')?.addEventListener('click', async () => {
    await forgetSaved().catch(() => undefined);
    await showSaved();
    say(t.ckptForgotten);
  });
  void showSaved();

  // No checkpoint at hand: any width with random, BatchNorm-calibrated weights, for shapes, costs and speed.
  untrained?.addEventListener('click', () => {
    worker?.terminate();
    worker = null;
    clear();
    const arch = archSelect?.value || UNTRAINED_DEFAULT;
    const started = performance.now();
    void session.run(async () => {
      say(t.ckptBuilding);
      try {
        session.adopt(createModel(arch), started);
      } catch (err) {
        fail(arch, err instanceof Error ? err.message : String(err));
        return;
      }
      setStatus({ loadMs: performance.now() - started, numTensors: session.numTensors() });
      say(t.ckptUntrained(arch));
      state.update({ model: untrainedId(arch), layer: '', channel: 0 });
    });
  });

  onFileChosen(input, drop, take);
  return { destroy: () => worker?.terminate() };
};

/** Every key that does not fit, one per line, in a disclosure under the report. */
function showKeys(host: HTMLElement, problems: KeyProblems | undefined, title: (n: number) => string): void {
  const shape = (s: number[]) => `[${s.join(', ')}]`;
  const lines = problems
    ? [
        ...problems.missing.map((m) => `missing     ${m.name} ${shape(m.shape)}`),
        ...problems.unexpected.map((m) => `unexpected  ${m.name} ${shape(m.shape)}`),
        ...problems.misshaped.map((m) => `wrong shape ${m.name}: expected ${shape(m.expected)}, got ${shape(m.got)}`),
      ]
    : [];
  host.hidden = lines.length === 0;
  if (!lines.length) return host.replaceChildren();
  const summary = document.createElement('summary');
  summary.textContent = title(lines.length);
  const list = document.createElement('pre');
  list.textContent = lines.join('\n');
  list.tabIndex = 0; // it scrolls: keyboard readers need to reach it
  host.replaceChildren(summary, list);
}
