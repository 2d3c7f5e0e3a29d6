/**
 * Just enough of a zip reader for torch.save archives.
 *
 * Why not fflate's unzipSync: torch writes every entry with general-purpose flag bit 3 (sizes and CRC
 * in a trailing data descriptor, zeros in the local header) and pads local headers with an "FB"
 * extra field so tensor data starts on a 64-byte boundary; it also always writes zip64 end records.
 * Reading the central directory ourselves handles all of that, lets us hand out zero-copy views of
 * STORED entries (weights are never compressed by torch), read only the entries we need, and say
 * precisely what is wrong with a damaged file. DEFLATEd entries (a file re-zipped by hand) go
 * through fflate's inflate.
 */
import { inflateSync } from 'fflate';
import { CheckpointError, printable } from './errors';

export interface ZipEntry {
  name: string;
  /** 0 = stored, 8 = deflate */
  method: number;
  flags: number;
  compressedSize: number;
  size: number;
  localHeaderOffset: number;
}

export interface ZipArchive {
  /** Entry names in central-directory order. */
  readonly names: string[];
  has(name: string): boolean;
  entry(name: string): ZipEntry | undefined;
  /** The entry's uncompressed bytes; a view into the input for stored entries. */
  read(name: string): Uint8Array;
}

const SIG_LOCAL = 0x04034b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_EOCD = 0x06054b50;
const SIG_EOCD64 = 0x06064b50;
const SIG_EOCD64_LOCATOR = 0x07064b50;

/** 'PK\x03\x04': a zip that starts with a local file header, as every torch.save file does. */
export function hasZipMagic(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

function u64(view: DataView, at: number): number {
  // Offsets above 2^53 cannot occur in a file that fits in memory.
  return view.getUint32(at, true) + view.getUint32(at + 4, true) * 4294967296;
}

interface Directory {
  count: number;
  offset: number;
  size: number;
}

/** Find the end-of-central-directory record, scanning back over a possible archive comment. */
function findDirectory(bytes: Uint8Array, view: DataView, label: string): Directory {
  const minPos = Math.max(0, bytes.length - 22 - 0xffff);
  for (let pos = bytes.length - 22; pos >= minPos; pos--) {
    if (view.getUint32(pos, true) !== SIG_EOCD) continue;
    const commentLength = view.getUint16(pos + 20, true);
    // A real record's comment ends exactly at the end of the file; anything else is a lookalike
    // four bytes inside tensor data.
    if (pos + 22 + commentLength !== bytes.length) continue;
    let dir: Directory = {
      count: view.getUint16(pos + 10, true),
      size: view.getUint32(pos + 12, true),
      offset: view.getUint32(pos + 16, true),
    };
    const loc = pos - 20;
    if (loc >= 0 && view.getUint32(loc, true) === SIG_EOCD64_LOCATOR) {
      const at = u64(view, loc + 8);
      if (at + 56 <= loc && view.getUint32(at, true) === SIG_EOCD64) {
        dir = { count: u64(view, at + 32), size: u64(view, at + 40), offset: u64(view, at + 48) };
      }
    }
    if (dir.offset + dir.size > pos) {
      throw new CheckpointError(
        'bad-zip',
        `${label} is a damaged zip archive: its directory points past the end of the file`,
      );
    }
    return dir;
  }
  throw new CheckpointError(
    'truncated',
    `the file ends early: ${label} starts like a PyTorch checkpoint (zip) but its zip directory, ` +
      'stored at the very end, is missing, so the download or copy was probably cut short',
  );
}

export function openZip(bytes: Uint8Array, label: string): ZipArchive {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dir = findDirectory(bytes, view, label);
  const decoder = new TextDecoder('utf-8');
  const entries = new Map<string, ZipEntry>();
  const damaged = (what: string) =>
    new CheckpointError('bad-zip', `${label} is a damaged zip archive: ${what}`);

  let p = dir.offset;
  for (let i = 0; i < dir.count; i++) {
    if (p + 46 > bytes.length || view.getUint32(p, true) !== SIG_CENTRAL) {
      throw damaged(`directory entry ${i} is missing or corrupt`);
    }
    const flags = view.getUint16(p + 8, true);
    const method = view.getUint16(p + 10, true);
    let compressedSize = view.getUint32(p + 20, true);
    let size = view.getUint32(p + 24, true);
    const nameLength = view.getUint16(p + 28, true);
    const extraLength = view.getUint16(p + 30, true);
    const commentLength = view.getUint16(p + 32, true);
    let localHeaderOffset = view.getUint32(p + 42, true);
    const nameEnd = p + 46 + nameLength;
    if (nameEnd + extraLength + commentLength > bytes.length) throw damaged(`directory entry ${i} is cut off`);
    const name = decoder.decode(bytes.subarray(p + 46, nameEnd));

    // zip64 extra field: 64-bit values replace, in this order, whichever 32-bit fields are saturated.
    for (let e = nameEnd; e + 4 <= nameEnd + extraLength; ) {
      const id = view.getUint16(e, true);
      const len = view.getUint16(e + 2, true);
      if (id === 0x0001) {
        let q = e + 4;
        if (size === 0xffffffff) {
          size = u64(view, q);
          q += 8;
        }
        if (compressedSize === 0xffffffff) {
          compressedSize = u64(view, q);
          q += 8;
        }
        if (localHeaderOffset === 0xffffffff) localHeaderOffset = u64(view, q);
      }
      e += 4 + len;
    }
    entries.set(name, { name, method, flags, compressedSize, size, localHeaderOffset });
    p = nameEnd + extraLength + commentLength;
  }

  const read = (name: string): Uint8Array => {
    const entry = entries.get(name);
    if (!entry) throw damaged(`it has no entry ${printable(name)}`);
    const at = entry.localHeaderOffset;
    if (at + 30 > bytes.length || view.getUint32(at, true) !== SIG_LOCAL) {
      throw damaged(`the header of ${printable(name)} is missing`);
    }
    if (entry.flags & 1) throw damaged(`${printable(name)} is encrypted`);
    // Sizes come from the central directory: torch leaves them zero in local headers (flag bit 3).
    const start = at + 30 + view.getUint16(at + 26, true) + view.getUint16(at + 28, true);
    const end = start + entry.compressedSize;
    if (end > bytes.length) {
      throw new CheckpointError('truncated', `the file ends early: ${printable(name)} in ${label} is cut off`);
    }
    const raw = bytes.subarray(start, end);
    if (entry.method === 0) {
      if (entry.compressedSize !== entry.size) throw damaged(`${printable(name)} has inconsistent sizes`);
      return raw;
    }
    if (entry.method === 8) {
      // Deflate expands at most 1032:1; a larger claimed size is a lie (or a bomb), refused before
      // the output buffer is allocated.
      if (entry.size > entry.compressedSize * 1032 + 1024) {
        throw damaged(`${printable(name)} claims ${entry.size} bytes from ${entry.compressedSize} compressed, more than deflate can produce`);
      }
      try {
        return inflateSync(raw, { out: new Uint8Array(entry.size) });
      } catch {
        throw damaged(`${printable(name)} does not decompress`);
      }
    }
    throw damaged(`${printable(name)} uses compression method ${entry.method}, which this reader does not support`);
  };

  return {
    names: [...entries.keys()],
    has: (name) => entries.has(name),
    entry: (name) => entries.get(name),
    read,
  };
}
