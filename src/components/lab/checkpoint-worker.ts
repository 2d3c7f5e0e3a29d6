/**
 * The checkpoint worker: reads the reader's file, checks and converts it off the main thread (so
 * the page stays responsive on a 20 MB file), and sends back the converted weights, transferred
 * rather than copied. Every failure goes back as the library's own message.
 */
import { KeyMismatchError } from '../../model/key-map';
import { convertCheckpoint } from './checkpoint-convert';
import type { WorkerReply, WorkerRequest } from './checkpoint-protocol';

const post = (msg: WorkerReply, transfer: Transferable[] = []) => (self as unknown as Worker).postMessage(msg, transfer);

async function readAll(file: File): Promise<Uint8Array> {
  const out = new Uint8Array(file.size);
  const reader = file.stream().getReader();
  let loaded = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    // A file that grew after it was chosen is cut at its chosen size: the bound holds.
    const take = value.subarray(0, out.length - loaded);
    out.set(take, loaded);
    loaded += take.length;
    post({ kind: 'progress', stage: 'read', done: loaded, total: file.size });
  }
  return out.subarray(0, loaded);
}

self.onmessage = async (e: MessageEvent<WorkerRequest>) => {
  const { file, arch } = e.data;
  try {
    const bytes = await readAll(file);
    const c = convertCheckpoint(bytes, file.name, arch, (done, total) => post({ kind: 'progress', stage: 'decode', done, total }));
    const tensors = [...c.weights].map(([name, w]) => ({ name, shape: w.shape, data: w.data }));
    const buffers = new Set(tensors.map((t) => t.data.buffer as ArrayBuffer));
    post({ kind: 'done', arch: c.arch, numClasses: c.numClasses, detected: c.detected, tensors }, [...buffers]);
  } catch (err) {
    const code = err instanceof Error && 'code' in err ? String((err as { code: unknown }).code) : 'E_UNKNOWN';
    // The message lists up to 8 keys of each kind when there are many; the lab lists them all.
    const problems = err instanceof KeyMismatchError ? err.problems : undefined;
    post({ kind: 'error', code, message: err instanceof Error ? err.message : String(err), ...(problems ? { problems } : {}) });
  }
};
