/**
 * The reader's last converted checkpoint, kept in this browser (IndexedDB) so that a reload does
 * not read and convert the file again, until the reader forgets it. Entries carry a version: one
 * written by an older layout is dropped rather than misread.
 */
import type { WeightSet } from '../../model';

/** Bump when what is stored changes meaning (names, layouts, fields). */
export const STORE_VERSION = 1;
const DB_NAME = 'ghostlab-checkpoints';
const STORE = 'converted';

export interface SavedInfo {
  version: number;
  file: string;
  arch: string;
  numClasses: number;
  bytes: number;
}

interface SavedWeights {
  version: number;
  tensors: { name: string; shape: number[]; data: Float32Array }[];
}

function openDb(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB_NAME, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB is unavailable'));
  });
}

async function tx<T>(mode: IDBTransactionMode, fn: (s: IDBObjectStore) => IDBRequest<T> | void): Promise<T | undefined> {
  const db = await openDb();
  try {
    return await new Promise<T | undefined>((resolve, reject) => {
      const t = db.transaction(STORE, mode);
      const req = fn(t.objectStore(STORE));
      t.oncomplete = () => resolve(req ? req.result : undefined);
      t.onerror = () => reject(t.error ?? new Error('IndexedDB transaction failed'));
      t.onabort = () => reject(t.error ?? new Error('IndexedDB transaction aborted (storage full?)'));
    });
  } finally {
    db.close();
  }
}

/** The saved checkpoint's description (not its weights), or null; an outdated entry is forgotten. */
export async function savedInfo(): Promise<SavedInfo | null> {
  const info = (await tx<SavedInfo>('readonly', (s) => s.get('info'))) ?? null;
  if (info && info.version !== STORE_VERSION) {
    await forgetSaved();
    return null;
  }
  return info;
}

export async function saveCheckpoint(info: Omit<SavedInfo, 'version' | 'bytes'>, weights: WeightSet): Promise<void> {
  const tensors = [...weights].map(([name, w]) => ({ name, shape: w.shape, data: w.data }));
  const bytes = tensors.reduce((a, t) => a + t.data.byteLength, 0);
  await tx('readwrite', (s) => {
    s.put({ version: STORE_VERSION, tensors } satisfies SavedWeights, 'weights');
    s.put({ ...info, version: STORE_VERSION, bytes } satisfies SavedInfo, 'info');
  });
}

export async function loadSaved(): Promise<WeightSet | null> {
  const saved = await tx<SavedWeights>('readonly', (s) => s.get('weights'));
  if (!saved || saved.version !== STORE_VERSION) return null;
  return new Map(saved.tensors.map((t) => [t.name, { shape: t.shape, data: t.data }]));
}

export async function forgetSaved(): Promise<void> {
  await tx('readwrite', (s) => s.clear());
}
