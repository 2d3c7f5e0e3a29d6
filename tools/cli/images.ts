/** Input files for predict: PNG/JPEG (decoded to RGBA), .npy arrays, directories of images. */
import { readdirSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { MAX_SOURCE_PIXELS, MAX_SOURCE_SIDE, readImageSize, sniffImageFormat, withinLimits } from '../../src/lib/image-input.js';
import { printable } from '../../src/model/checkpoint/errors.js';
import type { RgbaImage } from '../../src/model/index.js';
import { CliError, InputError } from './args.js';

export const IMAGE_EXTS = ['.png', '.jpg', '.jpeg'];

/**
 * Decodes a PNG or JPEG after reading its size from the header: anything over the lab's limit
 * (MAX_SOURCE_SIDE a side) is refused before a byte of pixels is inflated.
 */
export function decodeImage(bytes: Uint8Array, file: string): RgbaImage {
  const label = printable(file);
  const format = sniffImageFormat(bytes);
  if (format !== 'png' && format !== 'jpeg') {
    throw new InputError(`${label} is not a PNG or JPEG image${format ? ` (it is ${format.toUpperCase()})` : ''}`);
  }
  const kind = format.toUpperCase();
  const size = readImageSize(bytes, format);
  if (!size || size.width === 0 || size.height === 0) throw new InputError(`${label} is a damaged ${kind} image: its header gives no usable size`);
  if (!withinLimits(size.width, size.height, MAX_SOURCE_SIDE, MAX_SOURCE_PIXELS)) {
    throw new InputError(`${label} is ${size.width}×${size.height} pixels; images up to ${MAX_SOURCE_SIDE}×${MAX_SOURCE_SIDE} are accepted`);
  }
  try {
    if (format === 'png') {
      const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      return { width: png.width, height: png.height, data: new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.byteLength) };
    }
    // jpeg-js accounts ~300 MB for a 4096² colour JPEG, so its own cap stays at its default 512.
    const img = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: MAX_SOURCE_PIXELS / 1e6, maxMemoryUsageInMB: 512 });
    return { width: img.width, height: img.height, data: img.data };
  } catch {
    // The decoders' own wording names their internals (chunks, markers), not the file.
    throw new InputError(`${label} is a damaged ${kind} image and cannot be decoded`);
  }
}

/** Expands directories (their images and .npy files, sorted) and checks every path exists. */
export function expandInputs(paths: string[]): string[] {
  const out: string[] = [];
  for (const p of paths) {
    let isDir: boolean;
    try {
      isDir = statSync(p).isDirectory();
    } catch {
      throw new CliError(`input ${printable(p)} does not exist`);
    }
    if (isDir) {
      const files = readdirSync(p)
        .filter((f) => IMAGE_EXTS.includes(extname(f).toLowerCase()) || extname(f).toLowerCase() === '.npy')
        .sort()
        .map((f) => join(p, f));
      if (!files.length) throw new CliError(`directory ${printable(p)} has no .png, .jpg, .jpeg or .npy files`);
      out.push(...files);
    } else out.push(p);
  }
  return out;
}
