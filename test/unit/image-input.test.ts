import { describe, expect, it } from 'vitest';
import { PNG } from 'pngjs';
import jpeg from 'jpeg-js';
import {
  IMAGE_INPUT_MESSAGES,
  ImageInputError,
  classifyFile,
  downscaleSteps,
  greyToRGBA,
  imageDataToGrey,
  imageInputMessage,
  planResize,
  readImageSize,
  sniffImageFormat,
  withinLimits,
} from '../../src/lib/image-input';

const bytes = (...parts: (number[] | string | Uint8Array)[]) => {
  const out: number[] = [];
  for (const p of parts) {
    if (typeof p === 'string') for (const ch of p) out.push(ch.charCodeAt(0));
    else out.push(...p);
  }
  return Uint8Array.from(out);
};
const u32be = (v: number) => [(v >>> 24) & 255, (v >>> 16) & 255, (v >>> 8) & 255, v & 255];
const u16le = (v: number) => [v & 255, (v >>> 8) & 255];
const u24le = (v: number) => [v & 255, (v >>> 8) & 255, (v >>> 16) & 255];
const u32le = (v: number) => [v & 255, (v >>> 8) & 255, (v >>> 16) & 255, (v >>> 24) & 255];

/** Only the start of a PNG: signature + IHDR, as the header parser needs. */
function pngHead(w: number, h: number): Uint8Array {
  return bytes([0x89], 'PNG', [0x0d, 0x0a, 0x1a, 0x0a], u32be(13), 'IHDR', u32be(w), u32be(h), [8, 0, 0, 0, 0], [0, 0, 0, 0]);
}

describe('sniffing formats', () => {
  it('recognises real PNG and JPEG files', () => {
    const png = new PNG({ width: 5, height: 3 });
    png.data.fill(128);
    const pngBytes = new Uint8Array(PNG.sync.write(png));
    expect(sniffImageFormat(pngBytes)).toBe('png');
    expect(readImageSize(pngBytes)).toEqual({ width: 5, height: 3 });
    const jpg = jpeg.encode({ data: Buffer.alloc(6 * 4 * 4, 200), width: 6, height: 4 }, 80).data;
    expect(sniffImageFormat(new Uint8Array(jpg))).toBe('jpeg');
    expect(readImageSize(new Uint8Array(jpg))).toEqual({ width: 6, height: 4 });
  });
  it('reads the size of a 12000 × 12000 PNG from its header', () => {
    expect(readImageSize(pngHead(12000, 12000))).toEqual({ width: 12000, height: 12000 });
  });
  it('reads GIF, BMP and the three WebP headers', () => {
    expect(readImageSize(bytes('GIF89a', u16le(640), u16le(480), [0, 0, 0]))).toEqual({ width: 640, height: 480 });
    const bmp = bytes('BM', u32le(0), u32le(0), u32le(54), u32le(40), u32le(300), u32le(-200 >>> 0), [1, 0, 24, 0]);
    expect(sniffImageFormat(bmp)).toBe('bmp');
    expect(readImageSize(bmp)).toEqual({ width: 300, height: 200 });
    const vp8 = bytes('RIFF', u32le(100), 'WEBP', 'VP8 ', u32le(50), [0, 0, 0], [0x9d, 0x01, 0x2a], u16le(320), u16le(240), [0, 0]);
    expect(readImageSize(vp8)).toEqual({ width: 320, height: 240 });
    const bits = ((1000 - 1) | ((700 - 1) << 14)) >>> 0;
    const vp8l = bytes('RIFF', u32le(100), 'WEBP', 'VP8L', u32le(50), [0x2f], u32le(bits), [0, 0, 0, 0, 0]);
    expect(readImageSize(vp8l)).toEqual({ width: 1000, height: 700 });
    const vp8x = bytes('RIFF', u32le(100), 'WEBP', 'VP8X', u32le(10), [0, 0, 0, 0], u24le(12000 - 1), u24le(9000 - 1), [0, 0]);
    expect(readImageSize(vp8x)).toEqual({ width: 12000, height: 9000 });
  });
  it('reads AVIF sizes from the ispe box and tells HEIC apart', () => {
    const avif = bytes(u32be(24), 'ftyp', 'avif', u32be(0), 'mif1', 'avif', u32be(20), 'ispe', u32be(0), u32be(5000), u32be(4000));
    expect(sniffImageFormat(avif)).toBe('avif');
    expect(readImageSize(avif)).toEqual({ width: 5000, height: 4000 });
    expect(sniffImageFormat(bytes(u32be(24), 'ftyp', 'heic', u32be(0), 'mif1', 'heic'))).toBe('heic');
  });
  it('finds a JPEG frame header after large metadata, and gives up on truncated files', () => {
    const app1 = [0xff, 0xe1, ...[(5000 >> 8) & 255, 5000 & 255], ...new Array(4998).fill(0)];
    const sof = [0xff, 0xc2, 0, 17, 8, ...[0x0b, 0xb8], ...[0x0f, 0xa0], 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1];
    const j = bytes([0xff, 0xd8], app1, sof);
    expect(readImageSize(j)).toEqual({ width: 4000, height: 3000 });
    expect(readImageSize(j.subarray(0, 3000))).toBeNull();
  });
  it('knows text, SVG and other things are not decodable images', () => {
    const text = new TextEncoder().encode('hello, I am a text file named x.png\n');
    expect(sniffImageFormat(text)).toBeNull();
    expect(sniffImageFormat(new TextEncoder().encode('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"></svg>'))).toBe('svg');
    expect(sniffImageFormat(new Uint8Array(0))).toBeNull();
    expect(readImageSize(text)).toBeNull();
    expect(readImageSize(pngHead(1, 1).subarray(0, 20))).toBeNull();
  });
});

describe('classifying files by MIME type and bytes', () => {
  const png = pngHead(10, 10);
  const text = new TextEncoder().encode('not an image at all');
  it('accepts image bytes with an image type, no type or octet-stream', () => {
    expect(classifyFile('image/png', png)).toEqual({ format: 'png', error: null });
    expect(classifyFile('', png)).toEqual({ format: 'png', error: null });
    expect(classifyFile('application/octet-stream', png)).toEqual({ format: 'png', error: null });
    // the declared image type need not match: a JPEG named .png still decodes
    expect(classifyFile('image/png', bytes([0xff, 0xd8, 0xff, 0xe0]))).toEqual({ format: 'jpeg', error: null });
  });
  it('rejects a text file renamed x.png (browsers then say image/png)', () => {
    expect(classifyFile('image/png', text).error).toBe('not-image');
  });
  it('rejects a declared non-image type even with image bytes', () => {
    expect(classifyFile('text/plain', png).error).toBe('not-image');
    expect(classifyFile('application/pdf', text).error).toBe('not-image');
  });
  it('calls known but undecodable formats unsupported', () => {
    expect(classifyFile('image/svg+xml', new TextEncoder().encode('<svg></svg>')).error).toBe('unsupported-format');
    expect(classifyFile('image/tiff', bytes([0x49, 0x49, 0x2a, 0]))).toEqual({ format: 'tiff', error: 'unsupported-format' });
    expect(classifyFile('image/heic', text)).toEqual({ format: 'heic', error: 'unsupported-format' });
  });
});

describe('resize arithmetic', () => {
  it('contains without enlarging', () => {
    expect(planResize(4000, 3000, 28, 28)).toMatchObject({ width: 28, height: 21, dw: 28, dh: 21 });
    expect(planResize(10, 10, 28, 28)).toMatchObject({ width: 10, height: 10 });
    expect(planResize(10, 10, 28, 28, 'contain', true)).toMatchObject({ width: 28, height: 28 });
    expect(planResize(1, 12000, 28, 28)).toMatchObject({ width: 1, height: 28 });
  });
  it('covers by centre-cropping', () => {
    const p = planResize(400, 300, 224, 224, 'cover');
    expect(p).toMatchObject({ width: 224, height: 224, sy: 0, sh: 300, sw: 300, sx: 50 });
  });
  it('pads by centring', () => {
    const p = planResize(400, 200, 28, 28, 'pad');
    expect(p).toMatchObject({ width: 28, height: 28, dw: 28, dh: 14, dx: 0, dy: 7 });
  });
  it('rejects empty sizes', () => {
    expect(() => planResize(0, 10, 28, 28)).toThrow(RangeError);
  });
  it('halves in steps down to the target', () => {
    expect(downscaleSteps(4000, 3000, 28, 21)).toEqual([
      { width: 2000, height: 1500 },
      { width: 1000, height: 750 },
      { width: 500, height: 375 },
      { width: 250, height: 188 },
      { width: 125, height: 94 },
      { width: 63, height: 47 },
      { width: 32, height: 24 },
      { width: 28, height: 21 },
    ]);
    expect(downscaleSteps(50, 50, 28, 28)).toEqual([{ width: 28, height: 28 }]);
    expect(downscaleSteps(28, 28, 28, 28)).toEqual([]);
    expect(downscaleSteps(10, 10, 28, 28)).toEqual([{ width: 28, height: 28 }]);
  });
  it('checks the limits per side and in pixels', () => {
    expect(withinLimits(4096, 4096, 4096, 4096 * 4096)).toBe(true);
    expect(withinLimits(12000, 12000, 4096, 4096 * 4096)).toBe(false);
    expect(withinLimits(4000, 4000, 4096, 8e6)).toBe(false);
  });
});

describe('messages', () => {
  it('has every code in English and Chinese', () => {
    expect(Object.keys(IMAGE_INPUT_MESSAGES.zh).sort()).toEqual(Object.keys(IMAGE_INPUT_MESSAGES.en).sort());
    for (const [k, v] of Object.entries(IMAGE_INPUT_MESSAGES.zh)) {
      expect(v, k).toMatch(/[\u4e00-\u9fff]/);
    }
  });
  it('fills parameters', () => {
    const p = { width: 12000, height: 12000, max: 4096, maxMP: 16.8 };
    expect(imageInputMessage('too-large', 'en', p)).toContain('12000 × 12000');
    expect(imageInputMessage('too-large', 'zh', p)).toContain('4096');
    const e = new ImageInputError('too-large', p);
    expect(e.code).toBe('too-large');
    expect(e.message).toContain('4096 pixels per side');
    expect(e.messageIn('zh')).toContain('12000 × 12000');
    expect(e).toBeInstanceOf(Error);
  });
});

describe('grey conversions', () => {
  it('turns RGBA into luminance, alpha over black, optionally inverted', () => {
    const img = { data: Uint8ClampedArray.from([255, 255, 255, 255, 255, 0, 0, 255, 255, 255, 255, 0]), width: 3, height: 1 };
    const g = imageDataToGrey(img);
    expect(g[0]).toBeCloseTo(1);
    expect(g[1]).toBeCloseTo(0.299);
    expect(g[2]).toBe(0);
    expect(imageDataToGrey(img, { invert: true })[0]).toBeCloseTo(0);
  });
  it('turns grey values into RGBA bytes', () => {
    expect(Array.from(greyToRGBA([0, 0.5, 1, NaN], 4, 1))).toEqual([0, 0, 0, 255, 128, 128, 128, 255, 255, 255, 255, 255, 0, 0, 0, 255]);
  });
});
