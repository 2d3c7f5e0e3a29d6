/**
 * Draw: a pad the reader draws on with mouse, pen, finger or keyboard; each finished stroke becomes
 * the lab's input. Clearing the pad does not run the model on an empty canvas.
 */
import { createDrawPad, type DrawPadHandle } from '../../lib/draw-pad';
import { role, type Panel } from './context';

export const drawPanel: Panel = (el, ctx) => {
  const { state, session, t } = ctx;
  let pad: DrawPadHandle | null = null;
  const ensure = () => {
    const host = role(el, 'pad');
    if (pad || !host) return;
    const [h, w] = session.model?.inputShape ?? [28, 28];
    pad = createDrawPad(host, {
      width: 224,
      height: 224,
      output: { width: w!, height: h! },
      mode: 'light-on-dark',
      clearButton: role(el, 'clear'),
      onChange: (image) => {
        if (pad?.isBlank()) return;
        state.update({ image: { rgba: { width: image.width, height: image.height, data: image.data }, label: null, source: 'draw' } });
      },
      strings: { ariaLabel: t.draw },
    });
    role<HTMLInputElement>(el, 'brush')?.addEventListener('input', (e) => pad?.setBrushSize(Number((e.target as HTMLInputElement).value)));
  };
  el.addEventListener('lab-tab', (e) => {
    if ((e as CustomEvent<string>).detail === 'draw') ensure();
  });
  return { destroy: () => pad?.destroy() };
};
