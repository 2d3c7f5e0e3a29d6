/**
 * The standard tfjs weights-manifest format: `model.json` with
 * `weightsManifest: [{paths, weights: [{name, shape, dtype, quantization?}]}]` and binary
 * shards (little-endian, concatenated in `paths` order), plus our `ghostlab` field with the
 * arch id and the resolved config. Float16 quantization (tfjs' `{dtype: 'float16'}`) and
 * tfjs' affine uint8/uint16 quantization are read; float32 and float16 are written.
 */
import type { GhostNetConfig } from './config.js';
import { numel, type WeightSet } from './weights.js';

export type Quantization =
  | { dtype: 'float16' }
  | { dtype: 'uint8' | 'uint16'; scale: number; min: number };

export interface ManifestEntry {
  name: string;
  shape: number[];
  dtype: 'float32';
  quantization?: Quantization;
}

export interface WeightsManifestGroup {
  paths: string[];
  weights: ManifestEntry[];
}

export interface GhostlabMeta {
  formatVersion: 1;
  arch: string;
  /** Kernel layouts of the stored tensors (tfjs: [kh, kw, in, out], linear [in, out]). */
  layout: 'tfjs';
  config: GhostNetConfig;
  params: number;
  source?: string;
}

export interface ModelJson {
  format: string;
  generatedBy: string;
  convertedBy: string;
  weightsManifest: WeightsManifestGroup[];
  ghostlab: GhostlabMeta;
}

export class ManifestError extends Error {
  readonly code = 'E_MANIFEST';
}

export const MAX_SHARD_BYTES = 4 * 1024 * 1024;

// ---- float16 ---------------------------------------------------------------------------

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** float32 → IEEE half bits, round to nearest even, with subnormals, inf and NaN. */
export function toHalf(v: number): number {
  f32[0] = v;
  const x = u32[0]!;
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    const half = 1 << (shift - 1);
    let h = mant >>> shift;
    const rest = mant & ((1 << shift) - 1);
    if (rest > half || (rest === half && h & 1)) h++;
    return sign | h;
  }
  let h = (e << 10) | (mant >>> 13);
  const rest = mant & 0x1fff;
  if (rest > 0x1000 || (rest === 0x1000 && h & 1)) h++;
  return sign | h;
}

export function fromHalf(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >>> 10) & 0x1f;
  const mant = h & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 0x1f) return mant ? NaN : sign * Infinity;
  return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}

// ---- encode ----------------------------------------------------------------------------

export interface EncodeOptions {
  quantize?: 'float16';
  shardBytes?: number;
}

/** Packs the named tensors (in `order`) into one manifest group and its shards. */
export function encodeWeights(ws: WeightSet, order: string[], opts: EncodeOptions = {}): { group: WeightsManifestGroup; shards: Uint8Array[] } {
  const half = opts.quantize === 'float16';
  const bytesPer = half ? 2 : 4;
  const total = order.reduce((a, n) => a + numel(ws.get(n)!.shape) * bytesPer, 0);
  const buf = new Uint8Array(total);
  const dv = new DataView(buf.buffer);
  const weights: ManifestEntry[] = [];
  let off = 0;
  for (const name of order) {
    const w = ws.get(name);
    if (!w) throw new ManifestError(`no tensor named ${name} to save`);
    const entry: ManifestEntry = { name, shape: [...w.shape], dtype: 'float32' };
    if (half) entry.quantization = { dtype: 'float16' };
    weights.push(entry);
    for (let i = 0; i < w.data.length; i++, off += bytesPer) {
      if (half) dv.setUint16(off, toHalf(w.data[i]!), true);
      else dv.setFloat32(off, w.data[i]!, true);
    }
  }
  const shardBytes = opts.shardBytes ?? MAX_SHARD_BYTES;
  const n = Math.max(1, Math.ceil(total / shardBytes));
  const shards = Array.from({ length: n }, (_, i) => buf.subarray(i * shardBytes, Math.min(total, (i + 1) * shardBytes)));
  return { group: { paths: shards.map((_, i) => `group1-shard${i + 1}of${n}.bin`), weights }, shards };
}

export function makeModelJson(group: WeightsManifestGroup, meta: Omit<GhostlabMeta, 'formatVersion' | 'layout'>): ModelJson {
  return {
    format: 'ghostlab-weights',
    generatedBy: 'ghostlab',
    convertedBy: 'ghostlab convert',
    weightsManifest: [group],
    ghostlab: { formatVersion: 1, layout: 'tfjs', ...meta },
  };
}

// ---- decode ----------------------------------------------------------------------------

/** Reads every tensor of the manifest; `shards[g][p]` is the bytes of group g's path p. */
export function decodeWeights(manifest: WeightsManifestGroup[], shards: Uint8Array[][]): WeightSet {
  const ws: WeightSet = new Map();
  manifest.forEach((group, g) => {
    const parts = shards[g] ?? [];
    if (parts.length !== group.paths.length) {
      throw new ManifestError(`weights group ${g + 1} lists ${group.paths.length} shard(s) but ${parts.length} were given`);
    }
    const size = parts.reduce((a, p) => a + p.byteLength, 0);
    const buf = new Uint8Array(size);
    let o = 0;
    for (const p of parts) {
      buf.set(p, o);
      o += p.byteLength;
    }
    const dv = new DataView(buf.buffer);
    let off = 0;
    for (const e of group.weights) {
      const n = numel(e.shape);
      const q = e.quantization;
      if (e.dtype !== 'float32') throw new ManifestError(`weight ${e.name} has dtype ${e.dtype}; only float32 is supported`);
      const bytesPer = !q ? 4 : q.dtype === 'uint8' ? 1 : 2;
      if (off + n * bytesPer > size) {
        throw new ManifestError(`weight shards are too short: ${e.name} needs bytes ${off}..${off + n * bytesPer} of ${size}`);
      }
      const data = new Float32Array(n);
      if (!q) for (let i = 0; i < n; i++) data[i] = dv.getFloat32(off + 4 * i, true);
      else if (q.dtype === 'float16') for (let i = 0; i < n; i++) data[i] = fromHalf(dv.getUint16(off + 2 * i, true));
      else if (q.dtype === 'uint8') for (let i = 0; i < n; i++) data[i] = dv.getUint8(off + i) * q.scale + q.min;
      else if (q.dtype === 'uint16') for (let i = 0; i < n; i++) data[i] = dv.getUint16(off + 2 * i, true) * q.scale + q.min;
      else throw new ManifestError(`weight ${e.name} has unsupported quantization ${(q as { dtype: string }).dtype}`);
      off += n * bytesPer;
      ws.set(e.name, { shape: [...e.shape], data });
    }
    if (off !== size) throw new ManifestError(`weight shards have ${size - off} bytes more than the manifest describes`);
  });
  return ws;
}

/** Checks the parsed model.json has the fields we rely on. */
export function checkModelJson(j: unknown): ModelJson {
  const m = j as Partial<ModelJson> | null;
  if (!m || typeof m !== 'object') throw new ManifestError('model.json is not a JSON object');
  if (!Array.isArray(m.weightsManifest) || !m.weightsManifest.every((g) => Array.isArray(g?.paths) && Array.isArray(g?.weights))) {
    throw new ManifestError('model.json has no valid weightsManifest');
  }
  if (!m.ghostlab || typeof m.ghostlab.arch !== 'string' || !m.ghostlab.config) {
    throw new ManifestError('model.json has no ghostlab field (arch and config); convert it with `ghostlab convert`');
  }
  return m as ModelJson;
}
