/**
 * Hostile and broken files for the safety tests, each a few hundred bytes built here (never
 * stored): a pickle "billion laughs", image headers that claim 20000² pixels, .npy headers that
 * claim gigabytes.
 */
import { crc32, writeZip } from './checkpoint-writers.js';

const text = new TextEncoder();

/** A torch.save-shaped zip around a hand-made data.pkl. */
export function torchZipAround(pkl: Uint8Array): Uint8Array {
  return writeZip([
    { name: 'archive/data.pkl', data: pkl },
    { name: 'archive/version', data: text.encode('3\n') },
  ]);
}

/**
 * A protocol-2 pickle of `{key: 7}` whose key is a list nested `levels` deep, each level holding
 * the previous one twice (shared through the memo): a few hundred bytes that print as 2^levels.
 */
export function billionLaughsPickle(levels: number): Uint8Array {
  const ops: number[] = [0x80, 0x02, 0x7d]; // PROTO 2, EMPTY_DICT
  ops.push(0x5d, 0x71, 0, 0x30); // EMPTY_LIST, BINPUT 0, POP
  for (let i = 1; i <= levels; i++) ops.push(0x28, 0x68, i - 1, 0x68, i - 1, 0x6c, 0x71, i, 0x30); // MARK, BINGET ×2, LIST, BINPUT i, POP
  ops.push(0x68, levels, 0x4b, 7, 0x73, 0x2e); // BINGET key, BININT1 7, SETITEM, STOP
  return Uint8Array.from(ops);
}

/**
 * A pickle that copies one memoized list of `pairs` (k, v) tuples into a new OrderedDict `times`
 * times: small on disk, pairs × times values in memory.
 */
export function copyAmplifierPickle(pairs: number, times: number): Uint8Array {
  const ops: number[] = [0x80, 0x02];
  ops.push(...text.encode('ccollections\nOrderedDict\n'), 0x71, 0, 0x30); // GLOBAL, BINPUT 0, POP
  ops.push(0x28); // MARK
  for (let i = 0; i < pairs; i++) ops.push(0x4b, i & 0xff, 0x4b, 1, 0x86); // (k, v) TUPLE2
  ops.push(0x6c, 0x71, 1, 0x30); // LIST, BINPUT 1, POP
  for (let t = 0; t < times; t++) ops.push(0x68, 0, 0x68, 1, 0x85, 0x52, 0x30); // OrderedDict((list,)) then POP
  ops.push(0x4e, 0x2e); // NONE, STOP
  return Uint8Array.from(ops);
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, data.length);
  out.set(text.encode(type), 4);
  out.set(data, 8);
  dv.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/** A valid-looking PNG (signature, IHDR, a few IDAT bytes, IEND) that claims width × height. */
export function pngHeaderOnly(width: number, height: number, idat = Uint8Array.from([0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01])): Uint8Array {
  const ihdr = new Uint8Array(13);
  const dv = new DataView(ihdr.buffer);
  dv.setUint32(0, width);
  dv.setUint32(4, height);
  ihdr.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA
  const parts = [Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', idat), chunk('IEND', new Uint8Array(0))];
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** A JPEG whose JFIF and baseline frame header (SOF0) claim width × height, with no image data. */
export function jpegHeaderOnly(width: number, height: number): Uint8Array {
  return Uint8Array.from([
    0xff, 0xd8,
    0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00,
    0xff, 0xc0, 0x00, 0x11, 0x08, height >> 8, height & 0xff, width >> 8, width & 0xff, 0x03,
    0x01, 0x22, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11, 0x01,
    0xff, 0xd9,
  ]);
}

/** A .npy (v1) header for `shape` and `descr` followed by `data` (none: the header alone). */
export function npyHeader(shapeText: string, descr = '<f4', data = new Uint8Array(0)): Uint8Array {
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${shapeText}), }`;
  header += ' '.repeat((64 - ((10 + header.length + 1) % 64)) % 64) + '\n';
  const out = new Uint8Array(10 + header.length + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  new DataView(out.buffer).setUint16(8, header.length, true);
  out.set(text.encode(header), 10);
  out.set(data, 10 + header.length);
  return out;
}

/**
 * Breaks the deflate stream of one entry of a compressed zip in place (0xff starts a block of
 * reserved type), so the entry fails only when someone inflates it.
 */
export function breakDeflatedEntry(zip: Uint8Array, entryName: string): void {
  const name = text.encode(entryName);
  const dv = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  for (let i = 0; i + 30 + name.length < zip.length; i++) {
    if (dv.getUint32(i, true) === 0x04034b50 && dv.getUint16(i + 26, true) === name.length && name.every((b, j) => zip[i + 30 + j] === b)) {
      zip[i + 30 + name.length + dv.getUint16(i + 28, true)] = 0xff;
      return;
    }
  }
  throw new Error(`no entry ${entryName}`);
}
