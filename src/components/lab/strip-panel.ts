/**
 * The network strip: one column per block with a few of its output maps, the open layer's block
 * highlighted; choosing a column opens its first layer in the inspector.
 */
import { splitChannels } from '../../viz/feature-grid';
import { drawNetworkStrip, type NetworkStripHandle, type StripColumn } from '../../viz/network-strip';
import type { GhostNetModel } from '../../model';
import { role, type Panel } from './context';
import { blockGroups, openableLayers } from './layers';

export const stripPanel: Panel = (el, ctx) => {
  const { state, session, t } = ctx;
  let strip: NetworkStripHandle | null = null;
  let shownFor: GhostNetModel | null = null;

  const selectedBlock = (model: GhostNetModel) => {
    const l = openableLayers(model).find((x) => x.name === state.get().layer);
    return l ? (l.block ?? l.name) : null;
  };
  const off = state.subscribe(['layer'], () => {
    if (strip && session.model) strip.select(selectedBlock(session.model));
  });

  return {
    taps: (changed, model) => (changed.has('model') || changed.has('image') || !strip ? blockGroups(model).map((g) => g.id) : null),
    render({ model, taps }, changed) {
      if (!changed.has('model') && !changed.has('image') && strip) return;
      if (model !== shownFor) {
        strip?.destroy();
        strip = null;
        shownFor = model;
      }
      const columns: StripColumn[] = blockGroups(model).map(({ id, layers }) => {
        const tap = taps.get(id);
        const last = layers[layers.length - 1]!;
        const maps = tap
          ? splitChannels(tap.data, tap.shape, 'HWC')
              .slice(0, 4)
              .map((data, i) => ({ id: `${id}:${i}`, data, height: tap.shape[0]!, width: tap.shape[1]! }))
          : [];
        return {
          id,
          name: id,
          kind: layers.some((l) => l.ghost?.attention) ? 'ghost+dfc' : layers.some((l) => l.kind === 'ghost-module') ? 'ghost' : last.kind,
          outShape: tap ? tap.shape : last.outShape,
          params: layers.reduce((a, l) => a + l.params, 0),
          macs: layers.reduce((a, l) => a + l.macs, 0),
          maps,
        };
      });
      if (strip) {
        strip.update(columns);
        strip.select(selectedBlock(model));
        return;
      }
      strip = drawNetworkStrip(role(el, 'strip')!, columns, {
        selected: selectedBlock(model),
        onSelect: (id) => {
          const first = openableLayers(model).find((l) => (l.block ?? l.name) === id);
          if (first) state.update({ layer: first.name, channel: 0 });
        },
        strings: { ariaLabel: t.network, params: t.params, macs: t.macs, kindNames: { ghost: 'Ghost', 'ghost+dfc': 'Ghost + DFC' } },
      });
    },
    destroy: () => {
      off();
      strip?.destroy();
    },
  };
};
