/**
 * Turning a reader's file into pixels, safely.
 *
 * `readImageFile` rejects an empty file, a file that is not an image (by its MIME type AND by its
 * first bytes: a text file renamed x.png is caught), an image too large to decode safely (its size
 * is read from the file header before anything is decoded, so a 12000 × 12000 PNG never allocates a
 * canvas), and a decode failure. It returns RGBA ImageData no larger than a requested size (or
 * exactly that size, cropped or padded) plus the original size. Errors carry a stable code and a
 * message in English or Chinese.
 *
 * The header parsers and the resize arithmetic are pure (and unit-tested); decoding uses
 * createImageBitmap (with an <img> fallback) and canvases that never exceed the limits.
 */

// ---------------------------------------------------------------------------------------------
// Errors and messages

export type ImageInputErrorCode =
  | 'empty'
  | 'not-image'
  | 'unsupported-format'
  | 'file-too-big'
  | 'too-large'
  | 'decode-failed'
  | 'read-failed'
  | 'no-support';

export type ImageInputLang = 'en' | 'zh';

export type MessageParams = Record<string, string | number>;

/** Message templates; {name} is replaced by params.name. */
export const IMAGE_INPUT_MESSAGES: Record<ImageInputLang, Record<ImageInputErrorCode, string>> = {
  en: {
    empty: 'The file is empty (0 bytes). Choose an image file.',
    'not-image': 'This file is not an image: its contents are not PNG, JPEG, GIF, WebP, BMP or AVIF.',
    'unsupported-format': 'This image format ({format}) cannot be read here. Use PNG, JPEG, GIF, WebP, BMP or AVIF.',
    'file-too-big': 'The file is {sizeMB} MB; files up to {maxMB} MB are accepted.',
    'too-large': 'The image is {width} × {height} pixels, too large to open safely: the limit is {max} pixels per side ({maxMP} megapixels). Use a smaller image.',
    'decode-failed': 'The image could not be decoded: the file may be damaged or truncated.',
    'read-failed': 'The file could not be read.',
    'no-support': 'This browser cannot decode images here.',
  },
  zh: {
    empty: '文件是空的（0 字节），请选择一个图片文件。',
    'not-image': '这个文件不是图片：其内容不是 PNG、JPEG、GIF、WebP、BMP 或 AVIF 格式。',
    'unsupported-format': '无法在此读取这种图片格式（{format}），请使用 PNG、JPEG、GIF、WebP、BMP 或 AVIF。',
    'file-too-big': '文件大小为 {sizeMB} MB，最大允许 {maxMB} MB。',
    'too-large': '图片尺寸为 {width} × {height} 像素，太大，无法安全打开：每边最多 {max} 像素（{maxMP} 百万像素）。请使用更小的图片。',
    'decode-failed': '无法解码这张图片：文件可能已损坏或不完整。',
    'read-failed': '无法读取这个文件。',
    'no-support': '此浏览器无法在这里解码图片。',
  },
};

/** The message for an error code in a language, with its parameters filled in. */
export function imageInputMessage(code: ImageInputErrorCode, lang: ImageInputLang = 'en', params: MessageParams = {}): string {
  const table = IMAGE_INPUT_MESSAGES[lang] ?? IMAGE_INPUT_MESSAGES.en;
  return table[code].replace(/\{(\w+)\}/g, (m, k: string) => (k in params ? String(params[k]) : m));
}

export class ImageInputError extends Error {
  readonly code: ImageInputErrorCode;
  readonly params: MessageParams;
  constructor(code: ImageInputErrorCode, params: MessageParams = {}, cause?: unknown) {
    super(imageInputMessage(code, 'en', params), cause === undefined ? undefined : { cause });
    this.name = 'ImageInputError';
    this.code = code;
    this.params = params;
  }
  /** The message in a language. */
  messageIn(lang: ImageInputLang): string {
    return imageInputMessage(this.code, lang, this.params);
  }
}

// ---------------------------------------------------------------------------------------------
// Sniffing formats and reading sizes from headers (pure)

export type ImageFormat = 'png' | 'jpeg' | 'gif' | 'webp' | 'bmp' | 'avif' | 'heic' | 'tiff' | 'ico' | 'svg';

/** Formats browsers decode with createImageBitmap. */
export const DECODABLE: readonly ImageFormat[] = ['png', 'jpeg', 'gif', 'webp', 'bmp', 'avif'];

const ascii = (b: Uint8Array, at: number, s: string) => {
  if (b.length < at + s.length) return false;
  for (let i = 0; i < s.length; i++) if (b[at + i] !== s.charCodeAt(i)) return false;
  return true;
};

/** The image format of a file from its first bytes (at least 32 are needed for certainty); null when it is none we know. */
export function sniffImageFormat(b: Uint8Array): ImageFormat | null {
  if (b.length >= 8 && b[0] === 0x89 && ascii(b, 1, 'PNG') && b[4] === 0x0d && b[5] === 0x0a && b[6] === 0x1a && b[7] === 0x0a) return 'png';
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpeg';
  if (ascii(b, 0, 'GIF87a') || ascii(b, 0, 'GIF89a')) return 'gif';
  if (ascii(b, 0, 'RIFF') && ascii(b, 8, 'WEBP')) return 'webp';
  if (ascii(b, 0, 'BM') && b.length >= 26) return 'bmp';
  if (ascii(b, 4, 'ftyp')) {
    const brand = String.fromCharCode(...b.subarray(8, 12));
    if (brand === 'avif' || brand === 'avis') return 'avif';
    if (['heic', 'heix', 'hevc', 'heim', 'heis', 'mif1', 'msf1'].includes(brand)) {
      // mif1 files may still be AVIF: look for the brand among the compatible ones
      const head = String.fromCharCode(...b.subarray(8, Math.min(b.length, 64)));
      return head.includes('avif') ? 'avif' : 'heic';
    }
  }
  if ((b[0] === 0x49 && b[1] === 0x49 && b[2] === 0x2a && b[3] === 0) || (b[0] === 0x4d && b[1] === 0x4d && b[2] === 0 && b[3] === 0x2a)) return 'tiff';
  if (b.length >= 6 && b[0] === 0 && b[1] === 0 && b[2] === 1 && b[3] === 0 && b[4] + b[5] > 0) return 'ico';
  // SVG: text that starts (after a BOM, blanks, an XML declaration or comments) with <svg
  const text = new TextDecoder('utf-8', { fatal: false }).decode(b.subarray(0, Math.min(b.length, 1024))).replace(/^\uFEFF/, '').trimStart();
  if (/^(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*(<!DOCTYPE svg[^>]*>\s*)?<svg[\s>]/i.test(text)) return 'svg';
  return null;
}

const be16 = (b: Uint8Array, i: number) => (b[i] << 8) | b[i + 1];
const be32 = (b: Uint8Array, i: number) => ((b[i] << 24) | (b[i + 1] << 16) | (b[i + 2] << 8) | b[i + 3]) >>> 0;
const le16 = (b: Uint8Array, i: number) => b[i] | (b[i + 1] << 8);
const le24 = (b: Uint8Array, i: number) => b[i] | (b[i + 1] << 8) | (b[i + 2] << 16);
const le32 = (b: Uint8Array, i: number) => (b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24)) | 0;

/**
 * Width and height from an image file's header, without decoding it; null when the header is not
 * in `b` (a JPEG's size may come after large metadata: pass more bytes) or is malformed.
 */
export function readImageSize(b: Uint8Array, format: ImageFormat | null = sniffImageFormat(b)): { width: number; height: number } | null {
  try {
    switch (format) {
      case 'png':
        if (b.length < 24 || !ascii(b, 12, 'IHDR')) return null;
        return { width: be32(b, 16), height: be32(b, 20) };
      case 'gif':
        if (b.length < 10) return null;
        return { width: le16(b, 6), height: le16(b, 8) };
      case 'bmp': {
        if (b.length < 26) return null;
        const dib = le32(b, 14);
        if (dib === 12) return { width: le16(b, 18), height: le16(b, 20) };
        return { width: Math.abs(le32(b, 18)), height: Math.abs(le32(b, 22)) };
      }
      case 'webp': {
        if (b.length < 30) return null;
        if (ascii(b, 12, 'VP8 ')) {
          if (b[23] !== 0x9d || b[24] !== 0x01 || b[25] !== 0x2a) return null;
          return { width: le16(b, 26) & 0x3fff, height: le16(b, 28) & 0x3fff };
        }
        if (ascii(b, 12, 'VP8L')) {
          if (b[20] !== 0x2f) return null;
          const bits = (b[21] | (b[22] << 8) | (b[23] << 16) | (b[24] << 24)) >>> 0;
          return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
        }
        if (ascii(b, 12, 'VP8X')) return { width: le24(b, 24) + 1, height: le24(b, 27) + 1 };
        return null;
      }
      case 'jpeg':
        return jpegSize(b);
      case 'avif':
      case 'heic': {
        // the first 'ispe' (image spatial extents) property: version/flags, width, height (big-endian)
        for (let i = 4; i + 16 <= b.length; i++) {
          if (b[i] === 0x69 && ascii(b, i, 'ispe')) return { width: be32(b, i + 8), height: be32(b, i + 12) };
        }
        return null;
      }
      default:
        return null;
    }
  } catch {
    return null;
  }
}

function jpegSize(b: Uint8Array): { width: number; height: number } | null {
  let i = 2;
  while (i + 4 <= b.length) {
    if (b[i] !== 0xff) return null;
    while (b[i] === 0xff && i < b.length) i++; // fill bytes
    const m = b[i];
    i++;
    if (m === 0xd8 || m === 0x01 || (m >= 0xd0 && m <= 0xd7)) continue; // no length
    if (m === 0xd9 || m === 0xda) return null; // end of image / start of scan before any frame header
    if (i + 2 > b.length) return null;
    const len = be16(b, i);
    if (len < 2) return null;
    const isSOF = m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc;
    if (isSOF) {
      if (i + 7 > b.length) return null;
      return { width: be16(b, i + 5), height: be16(b, i + 3) };
    }
    i += len;
  }
  return null;
}

const MIME_OF: Record<string, ImageFormat> = {
  'image/png': 'png',
  'image/apng': 'png',
  'image/jpeg': 'jpeg',
  'image/jpg': 'jpeg',
  'image/pjpeg': 'jpeg',
  'image/gif': 'gif',
  'image/webp': 'webp',
  'image/bmp': 'bmp',
  'image/x-ms-bmp': 'bmp',
  'image/avif': 'avif',
  'image/heic': 'heic',
  'image/heif': 'heic',
  'image/tiff': 'tiff',
  'image/x-icon': 'ico',
  'image/vnd.microsoft.icon': 'ico',
  'image/svg+xml': 'svg',
};

/**
 * What a file's declared MIME type and first bytes say (pure): an error code, or null for a
 * decodable image. Both must agree: a declared non-image type (text/plain, application/pdf) is
 * 'not-image' whatever the bytes, and bytes that are no known image are 'not-image' whatever the
 * type (a text file renamed x.png arrives as image/png). An empty type or
 * application/octet-stream defers to the bytes.
 */
export function classifyFile(type: string, head: Uint8Array): { format: ImageFormat | null; error: ImageInputErrorCode | null } {
  const t = (type || '').toLowerCase().split(';')[0].trim();
  const sniffed = sniffImageFormat(head);
  if (sniffed && DECODABLE.includes(sniffed)) {
    // a declared non-image type (text/plain, application/pdf…) with image bytes: trust neither blindly
    if (t && !t.startsWith('image/') && t !== 'application/octet-stream') return { format: sniffed, error: 'not-image' };
    return { format: sniffed, error: null };
  }
  if (sniffed) return { format: sniffed, error: 'unsupported-format' };
  const claimed = MIME_OF[t];
  if (claimed && !DECODABLE.includes(claimed)) return { format: claimed, error: 'unsupported-format' };
  return { format: null, error: 'not-image' };
}

// ---------------------------------------------------------------------------------------------
// Resize arithmetic (pure)

export type Fit = 'contain' | 'cover' | 'pad';

export interface ResizePlan {
  /** size of the returned image */
  width: number;
  height: number;
  /** the part of the source used (cover crops the centre) */
  sx: number;
  sy: number;
  sw: number;
  sh: number;
  /** where it lands in the output (pad centres it) */
  dx: number;
  dy: number;
  dw: number;
  dh: number;
}

/**
 * How a srcW × srcH image becomes at most maxW × maxH:
 * - 'contain' (default): the whole image, aspect kept, no larger than the box and never enlarged
 *   (unless `upscale`);
 * - 'cover': exactly maxW × maxH, scaled to fill and centre-cropped (as ImageNet preprocessing);
 * - 'pad': exactly maxW × maxH, the whole image centred, borders left to the background.
 */
export function planResize(srcW: number, srcH: number, maxW: number, maxH: number, fit: Fit = 'contain', upscale = false): ResizePlan {
  if (!(srcW > 0 && srcH > 0 && maxW > 0 && maxH > 0)) throw new RangeError('sizes must be positive');
  if (fit === 'cover') {
    const s = Math.max(maxW / srcW, maxH / srcH);
    const sw = Math.min(srcW, maxW / s);
    const sh = Math.min(srcH, maxH / s);
    return { width: maxW, height: maxH, sx: (srcW - sw) / 2, sy: (srcH - sh) / 2, sw, sh, dx: 0, dy: 0, dw: maxW, dh: maxH };
  }
  let s = Math.min(maxW / srcW, maxH / srcH);
  if (fit === 'contain' && !upscale) s = Math.min(1, s);
  const dw = Math.max(1, Math.min(maxW, Math.round(srcW * s)));
  const dh = Math.max(1, Math.min(maxH, Math.round(srcH * s)));
  if (fit === 'pad') {
    return { width: maxW, height: maxH, sx: 0, sy: 0, sw: srcW, sh: srcH, dx: Math.floor((maxW - dw) / 2), dy: Math.floor((maxH - dh) / 2), dw, dh };
  }
  return { width: dw, height: dh, sx: 0, sy: 0, sw: srcW, sh: srcH, dx: 0, dy: 0, dw, dh };
}

/**
 * Intermediate sizes for shrinking w × h to tw × th by halving (each step at most 2×, so bilinear
 * smoothing never skips source pixels); the last entry is the target. Empty when no shrink is needed.
 */
export function downscaleSteps(w: number, h: number, tw: number, th: number): { width: number; height: number }[] {
  const steps: { width: number; height: number }[] = [];
  let cw = w;
  let ch = h;
  while (cw / 2 > tw || ch / 2 > th) {
    cw = Math.max(tw, Math.ceil(cw / 2));
    ch = Math.max(th, Math.ceil(ch / 2));
    steps.push({ width: cw, height: ch });
  }
  if (cw !== tw || ch !== th) steps.push({ width: tw, height: th });
  return steps;
}

/**
 * The largest image side (px) decoded anywhere: the lab's file input and `ghostlab predict` read
 * it from the header and refuse a larger image before decoding (a 389 KB PNG can claim 20000²).
 */
export const MAX_SOURCE_SIDE = 4096;
/** The largest image area (pixels) decoded anywhere. */
export const MAX_SOURCE_PIXELS = MAX_SOURCE_SIDE * MAX_SOURCE_SIDE;

/** True when a width × height image is within the limits. */
export function withinLimits(width: number, height: number, maxSide: number, maxPixels: number): boolean {
  return width <= maxSide && height <= maxSide && width * height <= maxPixels;
}

// ---------------------------------------------------------------------------------------------
// Reading a file (browser)

export interface ReadImageOptions {
  /** the returned image's largest size: a number for a square box, or a box (default 224) */
  maxSize?: number | { width: number; height: number };
  fit?: Fit;
  /** enlarge images smaller than the box in 'contain' mode (default false) */
  upscale?: boolean;
  /** background of 'pad' borders and of transparent pixels, a CSS colour (default black) */
  background?: string;
  /** refuse images larger than this per side (default 4096) */
  maxSourceSide?: number;
  /** refuse images with more pixels than this (default 4096 × 4096) */
  maxSourcePixels?: number;
  /** refuse files larger than this many bytes (default 50 MB) */
  maxBytes?: number;
}

export interface ReadImageResult {
  imageData: ImageData;
  width: number;
  height: number;
  originalWidth: number;
  originalHeight: number;
  format: ImageFormat;
  /** true when the image was shrunk (or cropped, or padded) */
  resized: boolean;
}

const MB = 1024 * 1024;

function box(maxSize: ReadImageOptions['maxSize']): { width: number; height: number } {
  if (maxSize === undefined) return { width: 224, height: 224 };
  if (typeof maxSize === 'number') return { width: Math.max(1, Math.floor(maxSize)), height: Math.max(1, Math.floor(maxSize)) };
  return { width: Math.max(1, Math.floor(maxSize.width)), height: Math.max(1, Math.floor(maxSize.height)) };
}

async function bytesOf(blob: Blob, end: number): Promise<Uint8Array> {
  try {
    return new Uint8Array(await blob.slice(0, end).arrayBuffer());
  } catch (e) {
    throw new ImageInputError('read-failed', {}, e);
  }
}

type Decoded = { source: CanvasImageSource; width: number; height: number; close(): void };

async function decode(file: Blob, sizeHint: { width: number; height: number } | null, target: { width: number; height: number }): Promise<Decoded> {
  if (typeof createImageBitmap === 'function') {
    let bitmap: ImageBitmap;
    try {
      // Pre-shrink big images while decoding: only resizeWidth is given, so the browser keeps the
      // aspect ratio whatever the EXIF orientation; both sides stay ≥ 2 × the target's longer side.
      const T = Math.max(target.width, target.height);
      const shrink = sizeHint ? Math.min(1, (2 * T) / Math.min(sizeHint.width, sizeHint.height)) : 1;
      bitmap =
        shrink < 0.5 && sizeHint
          ? await createImageBitmap(file, { resizeWidth: Math.max(1, Math.round(sizeHint.width * shrink)), resizeQuality: 'high', imageOrientation: 'from-image' })
          : await createImageBitmap(file, { imageOrientation: 'from-image' });
    } catch (e) {
      throw new ImageInputError('decode-failed', {}, e);
    }
    return { source: bitmap, width: bitmap.width, height: bitmap.height, close: () => bitmap.close() };
  }
  if (typeof Image === 'undefined' || typeof URL === 'undefined') throw new ImageInputError('no-support');
  const url = URL.createObjectURL(file);
  const img = new Image();
  img.decoding = 'async';
  img.src = url;
  try {
    await img.decode();
  } catch (e) {
    URL.revokeObjectURL(url);
    throw new ImageInputError('decode-failed', {}, e);
  }
  return { source: img, width: img.naturalWidth, height: img.naturalHeight, close: () => URL.revokeObjectURL(url) };
}

function makeCanvas(w: number, h: number): HTMLCanvasElement {
  const c = document.createElement('canvas');
  c.width = w;
  c.height = h;
  return c;
}

/**
 * Reads an image file into RGBA pixels no larger than `maxSize` (see ReadImageOptions). Throws an
 * ImageInputError (use `.code`, or `.messageIn('zh')`) for anything that is not a safe, decodable image.
 */
export async function readImageFile(file: Blob, options: ReadImageOptions = {}): Promise<ReadImageResult> {
  const maxSide = options.maxSourceSide ?? MAX_SOURCE_SIDE;
  const maxPixels = options.maxSourcePixels ?? MAX_SOURCE_PIXELS;
  const maxBytes = options.maxBytes ?? 50 * MB;
  const target = box(options.maxSize);
  const limitParams = { max: maxSide, maxMP: Math.round((maxPixels / 1e6) * 10) / 10 };

  if (!file || typeof (file as Blob).size !== 'number') throw new ImageInputError('read-failed');
  if (file.size === 0) throw new ImageInputError('empty');
  if (file.size > maxBytes) {
    throw new ImageInputError('file-too-big', { sizeMB: (file.size / MB).toFixed(1), maxMB: Math.round(maxBytes / MB) });
  }
  let head = await bytesOf(file, 64 * 1024);
  const { format, error } = classifyFile(file.type, head);
  if (error || !format) throw new ImageInputError(error ?? 'not-image', { format: format ?? file.type ?? '?' });

  let size = readImageSize(head, format);
  if (!size && (format === 'jpeg' || format === 'avif') && file.size > head.length) {
    // metadata (EXIF thumbnails, ICC profiles) can push a JPEG's frame header far in
    head = await bytesOf(file, Math.min(file.size, 8 * MB));
    size = readImageSize(head, format);
  }
  if (size) {
    if (size.width === 0 || size.height === 0) throw new ImageInputError('decode-failed');
    if (!withinLimits(size.width, size.height, maxSide, maxPixels)) {
      throw new ImageInputError('too-large', { width: size.width, height: size.height, ...limitParams });
    }
  } else if (file.size > 4 * MB) {
    // no readable header and a big file: decoding could be anything, refuse rather than risk the tab
    throw new ImageInputError('decode-failed');
  }

  const decoded = await decode(file, size, target);
  try {
    // the real (oriented) size; it can differ from the header's after EXIF rotation or pre-shrinking
    let ow = decoded.width;
    let oh = decoded.height;
    if (size) {
      // report the header's exact size, turned if EXIF orientation turned the decoded image
      const turned = size.width !== size.height && decoded.width > decoded.height !== size.width > size.height;
      ow = turned ? size.height : size.width;
      oh = turned ? size.width : size.height;
    }
    if (!size && !withinLimits(decoded.width, decoded.height, maxSide, maxPixels)) {
      throw new ImageInputError('too-large', { width: decoded.width, height: decoded.height, ...limitParams });
    }
    if (decoded.width < 1 || decoded.height < 1) throw new ImageInputError('decode-failed');
    const plan = planResize(decoded.width, decoded.height, target.width, target.height, options.fit ?? 'contain', options.upscale);

    // shrink the used part of the source in steps of at most 2×
    let src: CanvasImageSource = decoded.source;
    let sx = plan.sx;
    let sy = plan.sy;
    let sw = plan.sw;
    let sh = plan.sh;
    const steps = downscaleSteps(Math.round(sw), Math.round(sh), plan.dw, plan.dh);
    for (const step of steps.slice(0, -1)) {
      const c = makeCanvas(step.width, step.height);
      const cx = c.getContext('2d');
      if (!cx) throw new ImageInputError('no-support');
      cx.imageSmoothingEnabled = true;
      cx.imageSmoothingQuality = 'high';
      cx.drawImage(src, sx, sy, sw, sh, 0, 0, step.width, step.height);
      src = c;
      sx = 0;
      sy = 0;
      sw = step.width;
      sh = step.height;
    }
    const out = makeCanvas(plan.width, plan.height);
    const ctx = out.getContext('2d', { willReadFrequently: true });
    if (!ctx) throw new ImageInputError('no-support');
    ctx.fillStyle = options.background ?? '#000';
    ctx.fillRect(0, 0, plan.width, plan.height);
    ctx.imageSmoothingEnabled = true;
    ctx.imageSmoothingQuality = 'high';
    ctx.drawImage(src, sx, sy, sw, sh, plan.dx, plan.dy, plan.dw, plan.dh);
    const imageData = ctx.getImageData(0, 0, plan.width, plan.height);
    return {
      imageData,
      width: plan.width,
      height: plan.height,
      originalWidth: ow,
      originalHeight: oh,
      format,
      resized: plan.width !== ow || plan.height !== oh,
    };
  } catch (e) {
    if (e instanceof ImageInputError) throw e;
    throw new ImageInputError('decode-failed', {}, e);
  } finally {
    decoded.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Pixels to show and to feed a model

/**
 * A canvas showing RGBA pixels: its backing store is the image's own size; `cssWidth` scales it
 * on screen with crisp pixels (or smoothed with `smoothing: true`).
 */
export function imageDataToCanvas(img: ImageData, opts: { cssWidth?: number; smoothing?: boolean; canvas?: HTMLCanvasElement; ariaLabel?: string } = {}): HTMLCanvasElement {
  const c = opts.canvas ?? document.createElement('canvas');
  c.width = img.width;
  c.height = img.height;
  c.getContext('2d')!.putImageData(img, 0, 0);
  if (opts.cssWidth) {
    c.style.width = `${opts.cssWidth}px`;
    c.style.height = `${Math.round((opts.cssWidth * img.height) / img.width)}px`;
  }
  c.style.imageRendering = opts.smoothing ? 'auto' : 'pixelated';
  if (opts.ariaLabel) {
    c.setAttribute('role', 'img');
    c.setAttribute('aria-label', opts.ariaLabel);
  }
  return c;
}

/**
 * Luminance in [0, 1] (Rec. 601: 0.299 R + 0.587 G + 0.114 B), one value per pixel, alpha
 * composited over black; `invert` gives 1 − luminance (dark strokes on white → light on black).
 */
export function imageDataToGrey(img: { data: ArrayLike<number>; width: number; height: number }, opts: { invert?: boolean } = {}): Float32Array {
  const n = img.width * img.height;
  const out = new Float32Array(n);
  const d = img.data;
  for (let i = 0, j = 0; i < n; i++, j += 4) {
    const a = d[j + 3] / 255;
    const y = ((0.299 * d[j] + 0.587 * d[j + 1] + 0.114 * d[j + 2]) / 255) * a;
    out[i] = opts.invert ? 1 - y : y;
  }
  return out;
}

/** RGBA bytes (as for `new ImageData(bytes, w, h)`) of a greyscale array, `range` → black..white (pure). */
export function greyToRGBA(grey: ArrayLike<number>, width: number, height: number, range: readonly [number, number] = [0, 1]): Uint8ClampedArray<ArrayBuffer> {
  const n = width * height;
  const out = new Uint8ClampedArray(n * 4);
  const [lo, hi] = range;
  const k = hi > lo ? 255 / (hi - lo) : 0;
  for (let i = 0, o = 0; i < n; i++, o += 4) {
    const v = grey[i];
    const g = v === v ? (v - lo) * k : 0;
    out[o] = g;
    out[o + 1] = g;
    out[o + 2] = g;
    out[o + 3] = 255;
  }
  return out;
}
