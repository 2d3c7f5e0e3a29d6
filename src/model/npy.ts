/** NumPy .npy reading (v1–v3 headers): float32/float64 little-endian, C order, bounded in size. */
import { printable } from './checkpoint/errors.js';

export interface NpyArray {
  shape: number[];
  data: Float32Array;
  dtype: string;
}

export class NpyError extends Error {
  readonly code = 'E_NPY';
}

/** Most values one .npy input may hold (64 MiB of float32), checked from the header before allocating. */
export const MAX_NPY_ELEMENTS = 16_777_216;
/** NumPy's own bound on header length (np.load's max_header_size default). */
const MAX_HEADER = 10_000;

export function parseNpy(bytes: Uint8Array, name = 'the .npy file'): NpyArray {
  const label = printable(name);
  const magic = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];
  if (bytes.length < 10 || !magic.every((b, i) => bytes[i] === b)) throw new NpyError(`${label} is not a NumPy .npy file`);
  const major = bytes[6]!;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (major < 1 || major > 3 || (major > 1 && bytes.length < 12)) throw new NpyError(`${label} has an unknown .npy format version ${major}`);
  const headerLen = major === 1 ? dv.getUint16(8, true) : dv.getUint32(8, true);
  const start = major === 1 ? 10 : 12;
  if (headerLen > MAX_HEADER) throw new NpyError(`${label} has a ${headerLen}-byte header; NumPy itself refuses more than ${MAX_HEADER}`);
  if (start + headerLen > bytes.length) throw new NpyError(`${label} is truncated (header)`);
  const header = new TextDecoder('latin1').decode(bytes.subarray(start, start + headerLen));
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (!descr || !fortran || shapeText === undefined) throw new NpyError(`${label} has an unreadable header`);
  if (fortran === 'True') throw new NpyError(`${label} is in Fortran order; save it C-contiguous`);
  const dims = shapeText.split(',').map((s) => s.trim()).filter(Boolean);
  if (dims.length > 8 || !dims.every((d) => /^\d{1,10}L?$/.test(d))) throw new NpyError(`${label} has an invalid shape (${printable(shapeText, 60)})`);
  const shape = dims.map((d) => parseInt(d, 10));
  const n = shape.reduce((a, b) => a * b, 1);
  if (n > MAX_NPY_ELEMENTS) {
    throw new NpyError(`${label} holds ${n.toLocaleString('en-US')} values (shape (${shape.join(', ')})); at most ${MAX_NPY_ELEMENTS.toLocaleString('en-US')} are accepted`);
  }
  const off = start + headerLen;
  const size = descr === '<f4' ? 4 : descr === '<f8' ? 8 : 0;
  if (!size) throw new NpyError(`${label} has dtype ${printable(descr, 20)}; expected float32 ('<f4') or float64 ('<f8')`);
  if (bytes.length - off < n * size) throw new NpyError(`${label} is truncated: ${n} values need ${n * size} bytes, found ${bytes.length - off}`);
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = size === 4 ? dv.getFloat32(off + 4 * i, true) : dv.getFloat64(off + 8 * i, true);
  return { shape, data, dtype: descr };
}

/** A float32 .npy file (tests, tooling). */
export function writeNpy(shape: number[], data: Float32Array): Uint8Array {
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  const total = 10 + header.length + 1;
  header += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const out = new Uint8Array(10 + header.length + data.length * 4);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  new DataView(out.buffer).setUint16(8, header.length, true);
  out.set(new TextEncoder().encode(header), 10);
  const dv = new DataView(out.buffer, 10 + header.length);
  data.forEach((v, i) => dv.setFloat32(4 * i, v, true));
  return out;
}

/** NCHW → NHWC. */
export function nchwToNhwc(data: Float32Array, [n, c, h, w]: number[]): Float32Array {
  const out = new Float32Array(data.length);
  for (let b = 0; b < n!; b++)
    for (let ch = 0; ch < c!; ch++)
      for (let y = 0; y < h!; y++)
        for (let x = 0; x < w!; x++) out[((b * h! + y) * w! + x) * c! + ch] = data[((b * c! + ch) * h! + y) * w! + x]!;
  return out;
}
