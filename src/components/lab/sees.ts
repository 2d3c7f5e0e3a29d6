/** "What the model sees": the preprocessed input tensor drawn back as a picture, with its shape. */
import { role, type Panel } from './context';

export const seesPanel: Panel = (el, ctx) => {
  const { t } = ctx;
  return {
    render({ model, input }, changed) {
      if (!changed.has('image') && !changed.has('model')) return;
      const [h, w, c] = model.inputShape;
      const { mean, std } = model.config.preprocess;
      const canvas = document.createElement('canvas');
      canvas.width = w;
      canvas.height = h;
      canvas.setAttribute('role', 'img');
      canvas.setAttribute('aria-label', t.modelSees);
      const g = canvas.getContext('2d')!;
      const id = g.createImageData(w, h);
      for (let i = 0; i < h * w; i++) {
        for (let k = 0; k < 3; k++) {
          const ch = c === 1 ? 0 : k;
          const v = input[i * c + ch]! * std[ch]! + mean[ch]!;
          id.data[i * 4 + k] = Math.round(Math.min(1, Math.max(0, v)) * 255);
        }
        id.data[i * 4 + 3] = 255;
      }
      g.putImageData(id, 0, 0);
      role(el, 'sees')?.replaceChildren(canvas);
      const hint = role(el, 'sees-hint');
      if (hint) hint.textContent = t.modelSeesHint(h, w, c);
    },
  };
};
