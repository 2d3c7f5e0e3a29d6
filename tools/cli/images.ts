/** Input files for predict: PNG/JPEG (decoded to RGBA), .npy arrays, directories of images. */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import type { RgbaImage } from '../../src/model/index.js';
import { CliError } from './args.js';

export const IMAGE_EXTS = ['.png', '.jpg', '.jpeg'];

export function decodeImage(bytes: Uint8Array, label: string): RgbaImage {
  const isPng = bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47;
  const isJpeg = bytes[0] === 0xff && bytes[1] === 0xd8;
  try {
    if (isPng) {
      const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      return { width: png.width, height: png.height, data: new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.byteLength) };
    }
    if (isJpeg) {
      const img = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxMemoryUsageInMB: 512 });
      return { width: img.width, height: img.height, data: img.data };
    }
  } catch (e) {
    throw new CliError(`${label} could not be decoded (${(e as Error).message})`);
  }
  throw new CliError(`${label} is not a PNG or JPEG image`);
}

/** Expands directories (their images, sorted) and checks every path exists. */
export function expandInputs(paths: string[]): string[] {
  const out: string[] = [];
  for (const p of paths) {
    if (!existsSync(p)) throw new CliError(`input ${p} does not exist`);
    if (statSync(p).isDirectory()) {
      const files = readdirSync(p)
        .filter((f) => IMAGE_EXTS.includes(extname(f).toLowerCase()) || extname(f).toLowerCase() === '.npy')
        .sort()
        .map((f) => join(p, f));
      if (!files.length) throw new CliError(`directory ${p} has no .png, .jpg, .jpeg or .npy files`);
      out.push(...files);
    } else out.push(p);
  }
  return out;
}

export function readBytes(path: string): Uint8Array {
  return new Uint8Array(readFileSync(path));
}
