/**
 * The safetensors format: an 8-byte little-endian header length N, N bytes of JSON
 *   {"name": {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}, ..., "__metadata__": {..}}
 * then the data; offsets are relative to the first byte after the header. No code, no pickle.
 * We validate every offset against the file before touching the data.
 */
import { CheckpointError, printable } from './errors';
import { decodeToFloat32, ITEM_SIZE, numelOf, SAFETENSORS_DTYPE, type Dtype } from './dtypes';

export interface SafetensorsEntry {
  name: string;
  dtype: Dtype;
  /** The code written in the file ('F16', 'BF16', ...). */
  fileDtype: string;
  shape: number[];
  /** Byte range within the data section. */
  begin: number;
  end: number;
}

export interface SafetensorsFile {
  entries: SafetensorsEntry[];
  /** The `__metadata__` string map, if any (e.g. {"format": "pt"}). */
  metadata: Record<string, unknown> | null;
  materialize(entry: SafetensorsEntry): Float32Array;
}

/** The safetensors library refuses headers above 100 MB; so do we, which keeps detection honest. */
const MAX_HEADER = 100_000_000;

function headerLength(bytes: Uint8Array): number | null {
  if (bytes.length < 9) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, 8);
  const lo = view.getUint32(0, true);
  const hi = view.getUint32(4, true);
  if (hi !== 0 || lo < 2 || lo > MAX_HEADER) return null;
  return lo;
}

/** An 8-byte length followed by '{': there is no other magic in the format. */
export function looksLikeSafetensors(bytes: Uint8Array): boolean {
  return headerLength(bytes) !== null && bytes[8] === 0x7b;
}

function isIndex(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

export function readSafetensors(bytes: Uint8Array, label: string): SafetensorsFile {
  const n = headerLength(bytes);
  if (n === null || bytes[8] !== 0x7b) {
    throw new CheckpointError('not-a-checkpoint', `${label} is not a safetensors file`);
  }
  const dataStart = 8 + n;
  if (dataStart > bytes.length) {
    throw new CheckpointError(
      'truncated',
      `the file ends early: ${label} announces a ${n}-byte safetensors header but holds only ${bytes.length - 8} bytes after the length`,
    );
  }
  const bad = (what: string) => new CheckpointError('bad-safetensors', `${label} has a malformed safetensors header: ${what}`);

  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, dataStart)));
  } catch {
    throw bad('it is not valid JSON');
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) throw bad('it is not a JSON object');

  const dataLength = bytes.length - dataStart;
  const entries: SafetensorsEntry[] = [];
  let metadata: Record<string, unknown> | null = null;
  for (const [name, info] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') {
      metadata = typeof info === 'object' && info !== null ? (info as Record<string, unknown>) : null;
      continue;
    }
    if (typeof info !== 'object' || info === null) throw bad(`tensor ${printable(name)} has no description`);
    const { dtype: fileDtype, shape, data_offsets: offsets } = info as Record<string, unknown>;
    if (typeof fileDtype !== 'string') throw bad(`tensor ${printable(name)} has no dtype`);
    const dtype = SAFETENSORS_DTYPE[fileDtype];
    if (!dtype) {
      throw new CheckpointError(
        'unsupported-dtype',
        `tensor ${printable(name)} in ${label} has dtype ${printable(fileDtype)}, which this reader cannot convert to float32`,
      );
    }
    if (!Array.isArray(shape) || !shape.every(isIndex)) throw bad(`tensor ${printable(name)} has an invalid shape`);
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isIndex) || offsets[0] > offsets[1]) {
      throw bad(`tensor ${printable(name)} has invalid data_offsets`);
    }
    const [begin, end] = offsets as number[];
    const needed = numelOf(shape) * ITEM_SIZE[dtype];
    if (end - begin !== needed) {
      throw bad(`tensor ${printable(name)} spans ${end - begin} bytes but shape [${shape.join(', ')}] of ${printable(fileDtype)} needs ${needed}`);
    }
    if (end > dataLength) {
      throw new CheckpointError(
        'truncated',
        `the file ends early: tensor ${printable(name)} in ${label} needs ${end} data bytes but only ${dataLength} are there`,
      );
    }
    entries.push({ name, dtype, fileDtype, shape: [...shape], begin, end });
  }

  // Overlapping ranges mean a hand-made or corrupt file; the format forbids them.
  const byOffset = [...entries].sort((a, b) => a.begin - b.begin);
  for (let i = 1; i < byOffset.length; i++) {
    if (byOffset[i].begin < byOffset[i - 1].end) {
      throw bad(`tensors ${printable(byOffset[i - 1].name)} and ${printable(byOffset[i].name)} overlap`);
    }
  }

  return {
    entries,
    metadata,
    materialize: (entry) =>
      decodeToFloat32(bytes.subarray(dataStart + entry.begin, dataStart + entry.end), entry.dtype, numelOf(entry.shape), true),
  };
}
