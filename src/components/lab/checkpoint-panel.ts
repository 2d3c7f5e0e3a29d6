/**
 * "Your checkpoint": the reader picks or drops an official or timm GhostNet checkpoint; a worker
 * reads and converts it with the model library's own reader, and the lab then runs it. Until the
 * new network is built, and after any failure, the previous model keeps answering.
 */
import { GhostNetModel, resolveConfig, type WeightSet } from '../../model';
import { role, type Panel } from './context';
import type { WorkerReply } from './checkpoint-protocol';
import { setStatus } from './status';

/** Larger files are refused before a byte is read (the largest GhostNet, V2 1.6×, is ~50 MB in float32). */
export const MAX_CHECKPOINT_BYTES = 512 * 1024 * 1024;

/** The lab's model id for a converted checkpoint: its file and architecture (window.ghostlab.modelId). */
export const checkpointId = (file: string, arch: string) => `${file} (${arch})`;

export const checkpointPanel: Panel = (el, ctx) => {
  const { state, session, t } = ctx;
  const input = role<HTMLInputElement>(el, 'checkpoint');
  const drop = role(el, 'checkpoint-drop');
  const archSelect = role<HTMLSelectElement>(el, 'checkpoint-arch');
  const bar = role<HTMLProgressElement>(el, 'checkpoint-progress');
  const line = role(el, 'checkpoint-status');
  const report = role(el, 'checkpoint-error');
  if (!input) return {};
  let worker: Worker | null = null;

  const say = (text: string) => {
    if (line) line.textContent = text;
  };
  const fail = (file: string, why: string) => {
    if (bar) bar.hidden = true;
    say('');
    const current = state.get().model;
    if (report) {
      report.textContent = t.ckptFailed(file, why, current);
      report.hidden = false;
    }
  };

  const take = (file: File) => {
    worker?.terminate();
    worker = null;
    if (report) report.hidden = true;
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
        fail(file.name, msg.message);
        return;
      }
      const weights: WeightSet = new Map(msg.tensors.map((x) => [x.name, { shape: x.shape, data: x.data }]));
      void adopt(file.name, msg.arch, msg.numClasses, msg.detected, weights, started);
    };
    w.onerror = (e) => {
      e.preventDefault();
      w.terminate();
      if (worker === w) worker = null;
      fail(file.name, e.message || 'the conversion worker stopped');
    };
    w.postMessage({ file, arch: archSelect?.value ?? '' });
  };

  const adopt = (file: string, arch: string, numClasses: number, detected: boolean, weights: WeightSet, started: number) =>
    session.run(async () => {
      say(t.ckptBuilding);
      try {
        const model = new GhostNetModel(resolveConfig(arch, { numClasses }), weights);
        session.adopt(model, started);
      } catch (err) {
        fail(file, err instanceof Error ? err.message : String(err));
        return;
      }
      if (bar) bar.hidden = true;
      setStatus({ loadMs: performance.now() - started, numTensors: session.numTensors() });
      say(detected ? t.ckptDetected(file, arch) : t.ckptChosen(file, arch));
      state.update({ model: checkpointId(file, arch), layer: '', channel: 0 });
    });

  input.addEventListener('change', () => {
    const f = input.files?.[0];
    if (f) take(f);
    input.value = '';
  });
  drop?.addEventListener('dragover', (e) => {
    e.preventDefault();
    drop.classList.add('dragover');
  });
  drop?.addEventListener('dragleave', () => drop.classList.remove('dragover'));
  drop?.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('dragover');
    const f = e.dataTransfer?.files[0];
    if (f) take(f);
  });
  return { destroy: () => worker?.terminate() };
};
