/**
 * Upload: the reader's own picture (choose or drop), checked and decoded safely, made to look like
 * the training data (light on dark for Fashion-MNIST), then the lab's input.
 */
import { onFileChosen } from './file-drop';
import type { RgbaImage } from '../../model';
import { ImageInputError, readImageFile } from '../../lib/image-input';
import { MAX_NPY_ELEMENTS, NpyError, nchwToNhwc, parseNpy } from '../../model/npy';
import { role, type Panel } from './context';
import type { LabImage } from './state';

export const uploadPanel: Panel = (el, ctx) => {
  const { state, session, cfg, t } = ctx;
  const file = role<HTMLInputElement>(el, 'file');
  const drop = role(el, 'drop');
  const error = role(el, 'upload-error');
  const invert = role<HTMLInputElement>(el, 'invert');
  const hint = role(el, 'upload-hint');
  // The hint says what this model's preprocessing does: grey 28×28, or an ImageNet crop.
  const off = state.subscribe(['model'], () => {
    const p = session.model?.config.preprocess;
    if (hint && p) hint.textContent = `${p.grayscale ? t.uploadHint : t.uploadHintRgb(p.resize, p.crop)} ${t.uploadNpy}`;
  });

  const take = async (f: File) => {
    if (error) error.hidden = true;
    try {
      if (/\.npy$/i.test(f.name)) {
        state.update({ image: await readNpyInput(f) });
        return;
      }
      const model = session.model;
      const h = model?.inputShape[0] ?? 28;
      const r = await readImageFile(f, { maxSize: Math.min(512, Math.max(112, 4 * h)) });
      const rgba: RgbaImage = { width: r.width, height: r.height, data: r.imageData.data };
      // Photos of clothes are usually dark on light; Fashion-MNIST is light on black.
      if (invert && model?.config.preprocess.grayscale) invert.checked = borderBrightness(rgba) > 0.5;
      if (invert?.checked) invertInPlace(rgba);
      state.update({ image: { rgba, label: null, source: 'upload' } });
    } catch (e) {
      if (!error) return;
      error.textContent = e instanceof ImageInputError ? e.messageIn(cfg.lang) : e instanceof NpyError ? t.npyFailed(e.message) : String(e instanceof Error ? e.message : e);
      error.hidden = false;
    }
  };

  onFileChosen(file, drop, (f) => void take(f));
  return { destroy: off };
};

/** Largest .npy file read at all: the element bound in float64 plus NumPy's largest header. */
const MAX_NPY_BYTES = MAX_NPY_ELEMENTS * 8 + 10_012;

/**
 * A float .npy of shape (1, C, H, W) or (C, H, W), as the CLI takes it: the model's input itself,
 * already normalised. Its shape is checked against the model when it runs.
 */
export async function readNpyInput(f: File): Promise<LabImage> {
  if (f.size > MAX_NPY_BYTES) throw new NpyError(`${f.name} is ${(f.size / 2 ** 20).toFixed(0)} MB; a .npy input may hold at most ${MAX_NPY_ELEMENTS.toLocaleString('en-US')} values`);
  const arr = parseNpy(new Uint8Array(await f.arrayBuffer()), f.name);
  const shape = arr.shape.length === 3 ? [1, ...arr.shape] : arr.shape;
  if (shape.length !== 4 || shape[0] !== 1 || shape.includes(0)) {
    throw new NpyError(`${f.name} has shape (${arr.shape.join(', ')}); expected one item, (1, C, H, W) or (C, H, W)`);
  }
  const bad = arr.data.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) throw new NpyError(`${f.name} holds a non-finite value (${arr.data[bad]} at index ${bad})`);
  const [, c, h, w] = shape as [number, number, number, number];
  const data = nchwToNhwc(arr.data, shape);
  return { rgba: preview(data, h, w, c), label: null, source: 'npy', tensor: { shape: [h, w, c], data } };
}

/** The tensor stretched to 0..255 per image, only to show it as a picture. */
function preview(data: Float32Array, h: number, w: number, c: number): RgbaImage {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of data) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  const scale = hi > lo ? 255 / (hi - lo) : 0;
  const out = new Uint8ClampedArray(h * w * 4);
  for (let i = 0; i < h * w; i++) {
    for (let k = 0; k < 3; k++) out[i * 4 + k] = (data[i * c + Math.min(k, c - 1)]! - lo) * scale;
    out[i * 4 + 3] = 255;
  }
  return { width: w, height: h, data: out };
}

/** Mean brightness of the outermost pixels, 0..1: a light border means a light background. */
export function borderBrightness(img: RgbaImage): number {
  const { width: w, height: h, data } = img;
  let sum = 0;
  let n = 0;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      if (y !== 0 && y !== h - 1 && x !== 0 && x !== w - 1) continue;
      const i = (y * w + x) * 4;
      sum += (data[i]! + data[i + 1]! + data[i + 2]!) / 3;
      n++;
    }
  }
  return n ? sum / n / 255 : 0;
}

function invertInPlace(img: RgbaImage): void {
  const d = img.data as Uint8ClampedArray;
  for (let i = 0; i < d.length; i += 4) {
    d[i] = 255 - d[i]!;
    d[i + 1] = 255 - d[i + 1]!;
    d[i + 2] = 255 - d[i + 2]!;
  }
}
