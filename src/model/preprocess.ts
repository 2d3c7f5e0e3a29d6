/**
 * Image preprocessing shared by the CLI and the browser lab, in plain TypeScript so both
 * produce the same numbers: RGBA pixels → grey or RGB → resize the shorter side (bilinear
 * with a triangle filter widened when shrinking, as PIL does, so downscaling averages
 * instead of aliasing) → centre crop → [0, 1] → optional invert → (v − mean) / std → NHWC.
 */
import type { PreprocessConfig } from './config.js';

export interface RgbaImage {
  width: number;
  height: number;
  /** width × height × 4 bytes, row-major RGBA. */
  data: Uint8Array | Uint8ClampedArray;
}

export interface PreprocessOptions {
  /** Colour that transparent pixels are composited onto, 0–255 (default black). */
  background?: [number, number, number];
}

/** Python's round(): halves go to the even neighbour (torchvision's crop offsets use it). */
function roundHalfEven(v: number): number {
  const f = Math.floor(v);
  const d = v - f;
  if (d > 0.5) return f + 1;
  if (d < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

/** One axis of PIL-style bilinear resampling: (index ranges, normalised weights) per output. */
function axisWeights(inSize: number, outSize: number): { start: Int32Array; count: Int32Array; w: Float64Array; stride: number } {
  const scale = inSize / outSize;
  const filterScale = Math.max(scale, 1);
  const support = filterScale;
  const stride = Math.ceil(support) * 2 + 1;
  const start = new Int32Array(outSize);
  const count = new Int32Array(outSize);
  const w = new Float64Array(outSize * stride);
  for (let x = 0; x < outSize; x++) {
    const center = (x + 0.5) * scale;
    const lo = Math.max(Math.trunc(center - support + 0.5), 0);
    const hi = Math.min(Math.trunc(center + support + 0.5), inSize);
    let sum = 0;
    for (let i = lo; i < hi; i++) {
      const t = Math.abs((i - center + 0.5) / filterScale);
      const v = t < 1 ? 1 - t : 0;
      w[x * stride + i - lo] = v;
      sum += v;
    }
    if (sum > 0) for (let i = 0; i < hi - lo; i++) w[x * stride + i] = w[x * stride + i]! / sum;
    start[x] = lo;
    count[x] = hi - lo;
  }
  return { start, count, w, stride };
}

/** Resizes an interleaved float image (c channels) to outW × outH. */
export function resizeBilinear(src: Float32Array, w: number, h: number, c: number, outW: number, outH: number): Float32Array {
  if (w === outW && h === outH) return src.slice();
  const ax = axisWeights(w, outW);
  const tmp = new Float32Array(outW * h * c);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < outW; x++) {
      const s = ax.start[x]!;
      for (let ch = 0; ch < c; ch++) {
        let acc = 0;
        for (let i = 0; i < ax.count[x]!; i++) acc += ax.w[x * ax.stride + i]! * src[(y * w + s + i) * c + ch]!;
        tmp[(y * outW + x) * c + ch] = acc;
      }
    }
  }
  const ay = axisWeights(h, outH);
  const out = new Float32Array(outW * outH * c);
  for (let y = 0; y < outH; y++) {
    const s = ay.start[y]!;
    for (let x = 0; x < outW; x++) {
      for (let ch = 0; ch < c; ch++) {
        let acc = 0;
        for (let i = 0; i < ay.count[y]!; i++) acc += ay.w[y * ay.stride + i]! * tmp[((s + i) * outW + x) * c + ch]!;
        out[(y * outW + x) * c + ch] = acc;
      }
    }
  }
  return out;
}

/** RGBA bytes → interleaved float 0–255 with 1 (luma, ITU-R 601) or 3 channels. */
export function toChannels(img: RgbaImage, channels: 1 | 3, opts: PreprocessOptions = {}): Float32Array {
  const [br, bg, bb] = opts.background ?? [0, 0, 0];
  const n = img.width * img.height;
  if (img.data.length < n * 4) throw new Error(`image data has ${img.data.length} bytes, expected ${n * 4} (RGBA)`);
  const out = new Float32Array(n * channels);
  for (let i = 0; i < n; i++) {
    const a = img.data[i * 4 + 3]! / 255;
    const r = img.data[i * 4]! * a + br * (1 - a);
    const g = img.data[i * 4 + 1]! * a + bg * (1 - a);
    const b = img.data[i * 4 + 2]! * a + bb * (1 - a);
    if (channels === 1) out[i] = 0.299 * r + 0.587 * g + 0.114 * b;
    else {
      out[i * 3] = r;
      out[i * 3 + 1] = g;
      out[i * 3 + 2] = b;
    }
  }
  return out;
}

/**
 * Resize (shorter side), centre crop and normalise interleaved 0–255 pixels to the model
 * input [H, W, C]. The crop is the model's input size; `resize` scales with it.
 */
export function normalizePixels(
  pixels: Float32Array,
  w: number,
  h: number,
  pp: PreprocessConfig,
  input: readonly [number, number, number] | readonly number[],
): Float32Array {
  const [H, W, C] = input as [number, number, number];
  const shorter = Math.round((pp.resize * Math.min(H, W)) / pp.crop);
  // torchvision Resize(int): the shorter side becomes `shorter`, the longer one int(...).
  const [rw, rh] = w <= h ? [shorter, Math.trunc((shorter * h) / w)] : [Math.trunc((shorter * w) / h), shorter];
  const resized = resizeBilinear(pixels, w, h, C, Math.max(rw, W), Math.max(rh, H));
  const fw = Math.max(rw, W);
  const fh = Math.max(rh, H);
  const top = roundHalfEven((fh - H) / 2);
  const left = roundHalfEven((fw - W) / 2);
  const out = new Float32Array(H * W * C);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      for (let c = 0; c < C; c++) {
        let v = resized[((y + top) * fw + x + left) * C + c]! / 255;
        if (pp.invert) v = 1 - v;
        out[(y * W + x) * C + c] = (v - pp.mean[c % pp.mean.length]!) / pp.std[c % pp.std.length]!;
      }
    }
  }
  return out;
}

/** One RGBA image → the model's NHWC input (batch of one), as a flat Float32Array. */
export function preprocessImage(
  img: RgbaImage,
  pp: PreprocessConfig,
  input: readonly [number, number, number] | readonly number[],
  opts: PreprocessOptions = {},
): Float32Array {
  const C = input[2] === 1 || pp.grayscale ? 1 : 3;
  if (C !== input[2]) throw new Error(`the model takes ${input[2]} channels but its preprocessing makes ${C}`);
  return normalizePixels(toChannels(img, C, opts), img.width, img.height, pp, input);
}

/** Several images → one NHWC batch. */
export function preprocessBatch(
  imgs: RgbaImage[],
  pp: PreprocessConfig,
  input: readonly [number, number, number] | readonly number[],
  opts: PreprocessOptions = {},
): Float32Array {
  const per = input[0]! * input[1]! * input[2]!;
  const out = new Float32Array(per * imgs.length);
  imgs.forEach((img, i) => out.set(preprocessImage(img, pp, input, opts), i * per));
  return out;
}

/** Grey bytes (e.g. an IDX image of Fashion-MNIST) → the model's NHWC input. */
export function preprocessGray(bytes: Uint8Array, w: number, h: number, pp: PreprocessConfig, input: readonly number[]): Float32Array {
  const px = new Float32Array(w * h);
  for (let i = 0; i < px.length; i++) px[i] = bytes[i]!;
  return normalizePixels(px, w, h, pp, input);
}
