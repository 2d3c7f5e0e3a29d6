/** The model picker and the line that says what the loaded model is. */
import { formatCount } from '../../viz/network-strip';
import { role, type Panel } from './context';
import { switchModel } from './models';

export const modelPanel: Panel = (el, ctx) => {
  const { state, cfg, t, session } = ctx;
  const select = role<HTMLSelectElement>(el, 'model');
  const info = role(el, 'model-info');
  const show = () => {
    const id = state.get().model;
    if (select && id) select.value = id;
    const m = cfg.models.find((x) => x.id === id);
    if (info && !m && id && session.model) {
      // A reader's checkpoint: its architecture and size, from the network itself.
      info.textContent = `${id} · ${formatCount(session.model.numParams)} ${t.params}`;
    }
    if (!info || !m) return;
    info.textContent = [
      m.version === 'v2' ? 'GhostNetV2' : m.plain ? t.plainLabel : 'GhostNet V1',
      m.plain ? '' : `s = ${m.ratio}, d = ${m.dwSize}`,
      `${formatCount(m.params)} ${t.params}`,
      m.macs ? `${formatCount(m.macs)} ${t.macs}` : '',
      m.accuracy !== null ? `${(m.accuracy * 100).toFixed(2)} % ${t.accuracy}` : '',
    ]
      .filter(Boolean)
      .join(' · ');
  };
  select?.addEventListener('change', async () => {
    if (!(await switchModel(ctx, select.value))) show();
  });
  const off = state.subscribe(['model'], show);
  return { destroy: off };
};
