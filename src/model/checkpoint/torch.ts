/**
 * torch.save's zip format (torch >= 1.6):
 *
 *   <stem>/data.pkl      the pickled object; tensors refer to storages by persistent id
 *   <stem>/data/<key>    one raw, little-endian storage per key
 *   <stem>/byteorder     'little' or 'big' (torch >= 2.1 only; absent means little)
 *   <stem>/version       '3\n' (and, in torch 2.x, .data/version, .data/serialization_id)
 *
 * The stem is the file name torch.save was given, so it is found by looking for data.pkl, never
 * assumed. A persistent id is the tuple ('storage', torch.FloatStorage, '<key>', 'cpu', numel).
 */
import { CheckpointError, printable } from './errors';
import { decodeToFloat32, ITEM_SIZE, numelOf, STORAGE_CLASS_DTYPE } from './dtypes';
import { openZip } from './zip';
import { PyGlobal, StorageRef, TensorRef, unpickle, type PyValue } from './unpickle';

export interface TorchArchive {
  /** The unpickled top-level object: dicts are Maps, tensors are lazy TensorRefs. */
  root: PyValue;
  /** The folder inside the zip that holds data.pkl, with its trailing slash ('' if none). */
  prefix: string;
  littleEndian: boolean;
  /**
   * Refuse a view that reads outside its storage, or has far more elements than its storage (an
   * expanded view: 759 bytes on disk could claim 20000 × 20000 zeros). Cheap; no data is read.
   */
  check(tensor: TensorRef, name: string): void;
  /** Decode one tensor to float32, honouring its storage offset and strides (after `check`). */
  materialize(tensor: TensorRef, name: string): Float32Array;
}

/**
 * How far a view may outgrow its storage: `expand` of a bias or a mask is legitimate, a
 * one-element storage claiming 400 million elements is not. Views up to 2^20 elements always pass.
 */
export const MAX_VIEW_EXPANSION = 64;
const SMALL_VIEW = 1 << 20;

function isIndex(v: PyValue): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

/** Row-major contiguity; dimensions of size 1 may carry any stride. */
function isContiguous(shape: number[], stride: number[]): boolean {
  let expected = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    if (shape[d] !== 1 && stride[d] !== expected) return false;
    expected *= shape[d];
  }
  return true;
}

/** Copy a strided view out of `span` (whose element 0 is the view's first element) in row-major order. */
function gather(span: Float32Array, shape: number[], stride: number[], count: number): Float32Array {
  const out = new Float32Array(count);
  const nd = shape.length;
  const index = new Array<number>(nd).fill(0);
  let src = 0;
  for (let i = 0; i < count; i++) {
    out[i] = span[src];
    // Odometer increment: bump the last axis, carrying into earlier ones.
    for (let d = nd - 1; d >= 0; d--) {
      index[d]++;
      src += stride[d];
      if (index[d] < shape[d]) break;
      src -= stride[d] * shape[d];
      index[d] = 0;
    }
  }
  return out;
}

export function readTorchZip(bytes: Uint8Array, label: string): TorchArchive {
  const zip = openZip(bytes, label);

  // The stem folder varies ('archive', 'ghostnet_1x', ...); take the shallowest data.pkl.
  const pickles = zip.names
    .filter((n) => n === 'data.pkl' || n.endsWith('/data.pkl'))
    .sort((a, b) => a.split('/').length - b.split('/').length);
  const isTorchScript = (prefix: string) =>
    zip.has(`${prefix}constants.pkl`) || zip.names.some((n) => n.startsWith(`${prefix}code/`));
  if (pickles.length === 0) {
    if (zip.names.some((n) => n.endsWith('constants.pkl'))) throw torchScriptError(label);
    throw new CheckpointError(
      'not-a-checkpoint',
      `${label} is a zip archive but not a PyTorch checkpoint: it has no data.pkl`,
    );
  }
  const pickleName = pickles[0];
  const prefix = pickleName.slice(0, pickleName.length - 'data.pkl'.length);
  if (isTorchScript(prefix)) throw torchScriptError(label);

  const byteorderName = `${prefix}byteorder`;
  const littleEndian = zip.has(byteorderName)
    ? new TextDecoder().decode(zip.read(byteorderName)).trim() !== 'big'
    : true;

  const storages = new Map<string, StorageRef>();
  const persistentLoad = (pid: PyValue): PyValue => {
    const malformed = () =>
      new CheckpointError('bad-storage', `${label} has a malformed tensor storage reference in ${printable(pickleName)}`);
    if (!Array.isArray(pid) || pid.length < 5 || pid[0] !== 'storage') throw malformed();
    const [, cls, rawKey, location, numel] = pid;
    const dtype = cls instanceof PyGlobal && cls.module === 'torch' ? STORAGE_CLASS_DTYPE[cls.name] : undefined;
    const key = typeof rawKey === 'string' ? rawKey : isIndex(rawKey) ? String(rawKey) : null;
    if (!dtype || key === null || !isIndex(numel)) throw malformed();

    const cacheKey = `${key}\u0000${dtype}`;
    const known = storages.get(cacheKey);
    if (known) return known;
    const entry = zip.entry(`${prefix}data/${key}`);
    if (!entry) {
      throw new CheckpointError(
        'bad-storage',
        `tensor storage data/${printable(key)} is missing from ${label}, so the checkpoint is incomplete or was assembled by hand`,
      );
    }
    const needed = numel * ITEM_SIZE[dtype];
    if (entry.size < needed) {
      throw new CheckpointError(
        'bad-storage',
        `tensor storage data/${printable(key)} in ${label} holds ${entry.size} bytes but its ${numel} ${dtype} elements need ${needed}`,
      );
    }
    const ref = new StorageRef(key, dtype, numel, typeof location === 'string' ? location : 'cpu');
    storages.set(cacheKey, ref);
    return ref;
  };

  const root = unpickle(zip.read(pickleName), { persistentLoad, label: `${printable(pickleName)} in ${label}` });

  // Stored entries are views into `bytes`; only a re-zipped (deflated) file needs this cache.
  const inflated = new Map<string, Uint8Array>();
  const storageBytes = (key: string): Uint8Array => {
    const name = `${prefix}data/${key}`;
    const cached = inflated.get(name);
    if (cached) return cached;
    const data = zip.read(name);
    if (zip.entry(name)?.method !== 0) inflated.set(name, data);
    return data;
  };

  const lastElement = ({ offset, shape, stride }: TensorRef): number => {
    let last = offset;
    for (let d = 0; d < shape.length; d++) last += (shape[d] - 1) * stride[d];
    return last;
  };

  const check = (tensor: TensorRef, name: string): void => {
    const { storage, shape } = tensor;
    const count = numelOf(shape);
    if (count === 0) return;
    if (count > SMALL_VIEW && count > MAX_VIEW_EXPANSION * storage.numel) {
      throw new CheckpointError(
        'bad-tensor',
        `tensor ${printable(name)} in ${label} claims ${count} elements (shape [${shape.join(', ')}]) but its storage holds only ${storage.numel}: ` +
          `an expanded view more than ${MAX_VIEW_EXPANSION} times its data, refused before decoding; save t.contiguous().clone() if it is real`,
      );
    }
    const last = lastElement(tensor);
    if (last >= storage.numel) {
      throw new CheckpointError(
        'bad-tensor',
        `tensor ${printable(name)} in ${label} reads element ${last} of storage data/${printable(storage.key)}, which holds only ${storage.numel}`,
      );
    }
  };

  const materialize = (tensor: TensorRef, name: string): Float32Array => {
    check(tensor, name);
    const { storage, offset, shape, stride } = tensor;
    const count = numelOf(shape);
    if (count === 0) return new Float32Array(0);
    const last = lastElement(tensor);
    const size = ITEM_SIZE[storage.dtype];
    const data = storageBytes(storage.key).subarray(offset * size);
    if (isContiguous(shape, stride)) return decodeToFloat32(data, storage.dtype, count, littleEndian);
    // Transposed or expanded views: decode the span the view touches, then walk the strides.
    const span = decodeToFloat32(data, storage.dtype, last - offset + 1, littleEndian);
    return gather(span, shape, stride, count);
  };

  return { root, prefix, littleEndian, check, materialize };
}

function torchScriptError(label: string): CheckpointError {
  return new CheckpointError(
    'torchscript',
    `${label} is a TorchScript archive (torch.jit.save), not a state_dict; load it in Python and ` +
      'save model.state_dict() with torch.save instead',
  );
}
