/**
 * The Web Worker behind "Measure on this device": one worker per backend, so each gets a fresh
 * tfjs engine and the page keeps scrolling while it runs. It imports the site's backend setup (wasm
 * binaries bundled from node_modules, software WebGL allowed); WebGL runs on an OffscreenCanvas.
 * Cancel is the page terminating the worker.
 *
 * In: one MeasureJob. Out: WorkerMessage, ending with 'done' or 'error'.
 */
import { getThreadsCount, setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { tf } from '../lib/tf-backend';
import { isMeasureBackend, type MeasureJob } from './measure-plan';
import { runJob, type Timing } from './measure-run';

export type WorkerMessage =
  | { type: 'started'; backend: string; wasmThreads: number | null; isolated: boolean }
  | { type: 'progress'; done: number; total: number }
  | { type: 'result'; timing: Timing }
  | { type: 'done' }
  | { type: 'error'; message: string };

/**
 * tfjs-wasm 4.22 sizes its thread pool as min(requested, navigator.hardwareConcurrency / 2): it
 * assumes two hyperthreads per core, so a two-core machine gets one thread, isolation or not. That
 * default stays (on this course's busy two-core machine two threads made whole networks 2–3× slower:
 * `npm run bench:browser -- --threads`); `?threads=N` asks for N, up to one per logical core. This
 * worker is our own context: it tells the backend twice the logical cores so the cap lets N through.
 * Read when the wasm module starts, so set before the backend is.
 */
function useThreads(threads: number | null): void {
  if (threads === null || !self.crossOriginIsolated) return;
  const cores = navigator.hardwareConcurrency || 1;
  Object.defineProperty(navigator, 'hardwareConcurrency', { value: 2 * cores, configurable: true });
  setThreadsCount(Math.min(threads, cores));
}

const post = (m: WorkerMessage) => (self as unknown as Worker).postMessage(m);

self.onmessage = async (e: MessageEvent<MeasureJob>) => {
  const job = e.data;
  try {
    if (!isMeasureBackend(job?.backend)) throw new Error(`unknown backend '${String(job?.backend)}'`);
    if (job.backend === 'wasm') useThreads(job.threads ?? null);
    const ok = await tf.setBackend(job.backend);
    await tf.ready();
    if (!ok || tf.getBackend() !== job.backend) throw new Error(`${job.backend} did not start in this browser`);
    post({ type: 'started', backend: job.backend, wasmThreads: job.backend === 'wasm' ? getThreadsCount() : null, isolated: self.crossOriginIsolated === true });
    await runJob(job, {
      progress: (done, total) => post({ type: 'progress', done, total }),
      result: (timing) => post({ type: 'result', timing }),
    });
    post({ type: 'done' });
  } catch (err) {
    post({ type: 'error', message: err instanceof Error ? err.message : String(err) });
  }
};
