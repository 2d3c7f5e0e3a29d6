/**
 * The checkpoint reader: bytes of a `.pth`/`.pt`/`.bin`/`.safetensors` file in, float32 tensors
 * with their state_dict names out. Pure TypeScript with no Node APIs, so the CLI, the tests and the
 * browser's "load your own weights" all share it.
 *
 * What it does not do: check the names and shapes against an architecture (the model library's
 * key mapping does that) or rename official/timm keys.
 */
import { CheckpointError, fileLabel, printable } from './errors';
import { readSafetensors, looksLikeSafetensors } from './safetensors';
import { readTorchZip } from './torch';
import { pyRepr, TensorRef, type PyDict, type PyValue } from './unpickle';
import { hasZipMagic } from './zip';

export { CheckpointError, type CheckpointErrorCode } from './errors';
export type { Dtype } from './dtypes';

export type CheckpointFormat = 'pytorch-zip' | 'safetensors';

export interface RawTensor {
  /** The state_dict key, after unwrapping and prefix stripping ('blocks.0.0.ghost1.primary_conv.0.weight'). */
  name: string;
  /** The element type in the file, PyTorch-style: 'float32', 'float16', 'bfloat16', 'float64', 'int64', ... */
  dtype: string;
  /** PyTorch's shape (NCHW order for convolutions); [] for a scalar. */
  shape: number[];
  /** Row-major values, converted to float32 whatever the source dtype. */
  data: Float32Array;
}

/** A tensor as the file describes it, before any of its data is read. */
export interface TensorEntry {
  name: string;
  dtype: string;
  shape: number[];
  /** Decodes the values to float32 (row-major); the only step that reads or allocates the data. */
  decode(): Float32Array;
}

/**
 * What `scanCheckpoint` returns: names, dtypes and shapes, checked for consistency with their
 * storage, so a caller can compare them with an architecture before paying for the data.
 */
export interface CheckpointIndex {
  tensors: Map<string, TensorEntry>;
  ignored: string[];
  format: CheckpointFormat;
}

export interface CheckpointContents {
  /** Weight tensors by name, in the file's order. */
  tensors: Map<string, RawTensor>;
  /**
   * Everything read but not returned, by name: BatchNorm `num_batches_tracked` counters, thop's
   * `total_ops`/`total_params` buffers, and non-tensor entries (`epoch`, `optimizer`, `args`, an EMA
   * copy when the plain weights were taken, ...). Wrapper-level entries are named by their key path.
   */
  ignored: string[];
  format: CheckpointFormat;
}

export interface ReadCheckpointOptions {
  /** Take the EMA copy (`state_dict_ema`, `model_ema`) when the file has one. Default: plain weights. */
  preferEma?: boolean;
}

/**
 * Keys under which training scripts nest the state_dict, in the order we prefer them. The EMA copies
 * come last: a checkpoint's plain weights are what `model.state_dict()` gave, and what the
 * official GhostNet releases and timm's `load_checkpoint` (use_ema=False) use; the EMA copy is taken
 * only when nothing else holds tensors, or first with `preferEma`.
 */
export const STATE_DICT_KEYS: readonly string[] = ['state_dict', 'model', 'model_state_dict', 'net', 'network'];
export const EMA_STATE_DICT_KEYS: readonly string[] = ['state_dict_ema', 'model_ema'];

/** Wrappers' prefixes: nn.DataParallel/DistributedDataParallel add 'module.', torch.compile '_orig_mod.'. */
const STRIPPED_PREFIXES = ['module.', '_orig_mod.'];

export function stripWrapperPrefixes(key: string): string {
  for (let changed = true; changed; ) {
    changed = false;
    for (const prefix of STRIPPED_PREFIXES) {
      if (key.startsWith(prefix)) {
        key = key.slice(prefix.length);
        changed = true;
      }
    }
  }
  return key;
}

/** Buffers that are not weights: BatchNorm's step counter and thop's profiling counters. */
export function isBookkeepingKey(name: string): boolean {
  const last = name.slice(name.lastIndexOf('.') + 1);
  return last === 'num_batches_tracked' || last === 'total_ops' || last === 'total_params';
}

// ---- format detection ------------------------------------------------------------------------

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
const LEGACY_MAGIC = [0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19];

/** torch < 1.6 (or `_use_new_zipfile_serialization=False`): a pickle stream starting with LONG1 magic. */
function isLegacyTorch(bytes: Uint8Array): boolean {
  if (bytes.length < 14 || bytes[0] !== 0x80 || bytes[2] !== 0x8a || bytes[3] !== 0x0a) return false;
  return LEGACY_MAGIC.every((b, i) => bytes[4 + i] === b);
}

/** The oldest torch format: a tar archive ('ustar' at offset 257). */
function isTar(bytes: Uint8Array): boolean {
  return bytes.length > 262 && String.fromCharCode(...bytes.subarray(257, 262)) === 'ustar';
}

export function detectCheckpointFormat(bytes: Uint8Array): CheckpointFormat | null {
  if (hasZipMagic(bytes)) return 'pytorch-zip';
  if (looksLikeSafetensors(bytes)) return 'safetensors';
  return null;
}

/** A short guess at what a non-checkpoint file is, to append to the error. */
function sniff(bytes: Uint8Array): string {
  const head = new TextDecoder('utf-8', { fatal: false }).decode(bytes.subarray(0, 512));
  if (head.startsWith('version https://git-lfs')) {
    return ': it is a Git LFS pointer, so run `git lfs pull` to fetch the real weights';
  }
  if (/^\s*</.test(head) && /<html|<!doctype/i.test(head)) {
    return ': it is an HTML page, probably an error page saved by a failed download';
  }
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) return ': it is gzip-compressed, so decompress it first';
  if (bytes[0] === 0x89 && head.slice(1, 4) === 'HDF') return ': it is an HDF5 file (Keras weights?)';
  if (bytes[0] === 0x80 && bytes[1] >= 2 && bytes[1] <= 5) {
    return ': it is a bare Python pickle, so load it in Python and re-save the state_dict with torch.save';
  }
  if (/^\s*[{[]/.test(head)) return ': it is JSON text (a tfjs model.json goes to the tfjs loader, not here)';
  return '';
}

// ---- locating the state_dict in a torch checkpoint -------------------------------------------

const MAX_NESTING = 3;

function holdsTensors(value: PyValue, depth: number): boolean {
  if (!(value instanceof Map)) return false;
  for (const v of value.values()) {
    if (v instanceof TensorRef) return true;
  }
  if (depth >= MAX_NESTING) return false;
  for (const v of value.values()) {
    if (v instanceof Map && holdsTensors(v, depth + 1)) return true;
  }
  return false;
}

/** A dict key as a name: strings as they are, anything else (a crafted key) as a bounded repr. */
function keyName(key: PyValue): string {
  return typeof key === 'string' ? key : pyRepr(key);
}

/**
 * Walk down wrapper dicts to the state_dict. At each level: the first wrapper key (see
 * STATE_DICT_KEYS / EMA_STATE_DICT_KEYS) whose dict holds tensors wins; failing that the level
 * itself, if it holds tensors directly; failing that the only dict entry that holds tensors.
 * Wrapper keys beat direct tensors so that `{'state_dict': ..., 'best_acc1': tensor(76.1)}` (the
 * PyTorch ImageNet example) yields the weights, not one accuracy scalar.
 */
function locateStateDict(
  root: PyDict,
  preferEma: boolean,
  ignored: string[],
  label: string,
): PyDict {
  const order = preferEma ? [...EMA_STATE_DICT_KEYS, ...STATE_DICT_KEYS] : [...STATE_DICT_KEYS, ...EMA_STATE_DICT_KEYS];
  let current = root;
  let path = '';
  for (let depth = 0; depth <= MAX_NESTING; depth++) {
    let chosen: PyValue = null;
    for (const key of order) {
      const v = current.get(key);
      if (v instanceof Map && holdsTensors(v, depth + 1)) {
        chosen = key;
        break;
      }
    }
    if (chosen === null) {
      if ([...current.values()].some((v) => v instanceof TensorRef)) return current;
      const candidates = [...current.entries()].filter(([, v]) => v instanceof Map && holdsTensors(v, depth + 1));
      if (candidates.length === 1) chosen = candidates[0][0];
    }
    if (chosen === null) break;
    for (const key of current.keys()) {
      if (key !== chosen) ignored.push(path + keyName(key));
    }
    path += `${keyName(chosen)}.`;
    current = current.get(chosen) as PyDict;
  }
  const keys = [...root.keys()].slice(0, 8).map((k) => printable(keyName(k), 40));
  throw new CheckpointError(
    'no-tensors',
    `${label} holds no state_dict: none of its entries is a dict of tensors (top-level keys: ${keys.join(', ') || 'none'})`,
  );
}

// ---- the entry point -------------------------------------------------------------------------

interface Collector {
  tensors: Map<string, TensorEntry>;
  ignored: string[];
  /** Original key for each returned name, to explain prefix collisions. */
  sources: Map<string, string>;
}

function add(c: Collector, key: string, dtype: string, shape: number[], decode: (name: string) => Float32Array, label: string): void {
  const name = stripWrapperPrefixes(key);
  if (isBookkeepingKey(name)) {
    c.ignored.push(name);
    return;
  }
  const previous = c.sources.get(name);
  if (previous !== undefined) {
    throw new CheckpointError(
      'duplicate-key',
      `${label} has both ${printable(previous)} and ${printable(key)}, which name the same weight ${printable(name)} once wrapper prefixes are stripped`,
    );
  }
  c.sources.set(name, key);
  c.tensors.set(name, { name, dtype, shape, decode: () => decode(name) });
}

/**
 * Read a checkpoint. The format is decided by magic bytes, never by the file name, which only
 * names the file in error messages. Throws CheckpointError for anything it cannot use.
 * `input` may be a view at any offset (a Node Buffer) or the ArrayBuffer of a browser File.
 */
export function readCheckpoint(
  input: Uint8Array | ArrayBuffer,
  fileName?: string,
  options: ReadCheckpointOptions = {},
): CheckpointContents {
  const index = scanCheckpoint(input, fileName, options);
  const tensors = new Map<string, RawTensor>();
  for (const [name, t] of index.tensors) tensors.set(name, { name, dtype: t.dtype, shape: t.shape, data: t.decode() });
  return { tensors, ignored: index.ignored, format: index.format };
}

/**
 * Like readCheckpoint, but returns every tensor's name, dtype and shape without decoding data;
 * each view is already checked against its storage (bounds, and no more elements than stored).
 */
export function scanCheckpoint(
  input: Uint8Array | ArrayBuffer,
  fileName?: string,
  options: ReadCheckpointOptions = {},
): CheckpointIndex {
  const bytes = input instanceof Uint8Array ? input : new Uint8Array(input);
  const label = fileLabel(fileName);
  if (bytes.length === 0) throw new CheckpointError('empty', `${label} is empty (0 bytes)`);
  const c: Collector = { tensors: new Map(), ignored: [], sources: new Map() };
  const format = detectCheckpointFormat(bytes);

  if (format === 'pytorch-zip') {
    const archive = readTorchZip(bytes, label);
    const root = archive.root;
    if (!(root instanceof Map)) {
      const what = root instanceof TensorRef ? 'a single tensor' : 'no dict';
      throw new CheckpointError('no-tensors', `${label} holds ${what}, not a state_dict of named tensors`);
    }
    const stateDict = locateStateDict(root, options.preferEma ?? false, c.ignored, label);
    for (const [key, value] of stateDict) {
      if (typeof key === 'string' && value instanceof TensorRef) {
        archive.check(value, key);
        add(c, key, value.dtype, value.shape, (name) => archive.materialize(value, name), label);
      } else {
        c.ignored.push(keyName(key));
      }
    }
  } else if (format === 'safetensors') {
    const file = readSafetensors(bytes, label);
    for (const entry of file.entries) {
      add(c, entry.name, entry.dtype, entry.shape, () => file.materialize(entry), label);
    }
  } else if (isLegacyTorch(bytes) || isTar(bytes)) {
    throw new CheckpointError(
      'legacy-format',
      `${label} uses PyTorch's legacy pre-1.6 (non-zip) format; re-save it with torch>=1.6 as ` +
        'torch.save(torch.load(old_path), new_path, _use_new_zipfile_serialization=True)',
    );
  } else if (bytes.length < 4 && bytes.every((b, i) => b === ZIP_MAGIC[i])) {
    throw new CheckpointError('truncated', `the file ends early: ${label} has only ${bytes.length} bytes`);
  } else {
    throw new CheckpointError(
      'not-a-checkpoint',
      `${label} is neither a PyTorch checkpoint (zip) nor a safetensors file${sniff(bytes)}`,
    );
  }

  if (c.tensors.size === 0) {
    throw new CheckpointError('no-tensors', `${label} holds no weight tensors (only ${c.ignored.length} bookkeeping entries)`);
  }
  return { tensors: c.tensors, ignored: c.ignored, format };
}
