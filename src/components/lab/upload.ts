/**
 * Upload: the reader's own picture (choose or drop), checked and decoded safely, made to look like
 * the training data (light on dark for Fashion-MNIST), then the lab's input.
 */
import type { RgbaImage } from '../../model';
import { ImageInputError, readImageFile } from '../../lib/image-input';
import { role, type Panel } from './context';

export const uploadPanel: Panel = (el, ctx) => {
  const { state, session, cfg } = ctx;
  const file = role<HTMLInputElement>(el, 'file');
  const drop = role(el, 'drop');
  const error = role(el, 'upload-error');
  const invert = role<HTMLInputElement>(el, 'invert');

  const take = async (f: File) => {
    if (error) error.hidden = true;
    try {
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
      error.textContent = e instanceof ImageInputError ? e.messageIn(cfg.lang) : String(e instanceof Error ? e.message : e);
      error.hidden = false;
    }
  };

  file?.addEventListener('change', () => {
    const f = file.files?.[0];
    if (f) void take(f);
    file.value = '';
  });
  drop?.addEventListener('dragover', (e) => {
    e.preventDefault();
    drop.classList.add('dragover');
  });
  drop?.addEventListener('dragleave', () => drop.classList.remove('dragover'));
  drop?.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('dragover');
    const f = e.dataTransfer?.files[0];
    if (f) void take(f);
  });
  return {};
};

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
