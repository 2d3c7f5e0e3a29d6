/**
 * The lab page's URL mirrors its state (model, sample, layer, channel, backend, scale), so a view
 * can be shared and reloaded exactly. Embedded labs keep their state to themselves.
 */
import { createUrlState, readParams } from '../../lib/url-state';
import type { ScaleMode } from '../../viz/colour-scale';
import { BACKENDS } from './backend';
import type { LabConfig } from './context';
import { gridId } from './grid-panel';
import type { LabState, LabStore } from './state';

function schemaFor(cfg: LabConfig) {
  const ids = cfg.models.map((m) => m.id);
  return {
    model: { kind: 'string' as const, default: ids.includes(cfg.defaultModel) ? cfg.defaultModel : (ids[0] ?? ''), options: ids },
    sample: { kind: 'int' as const, default: 0, min: 0, max: 100000 },
    layer: { kind: 'string' as const, default: cfg.defaultLayer ?? '', pattern: /^[\w.]*$/ },
    channel: { kind: 'int' as const, default: 0, min: 0, max: 100000 },
    backend: { kind: 'string' as const, default: '', options: ['', ...BACKENDS] },
    scale: { kind: 'string' as const, default: 'layer', options: ['layer', 'local', 'global'] },
    // The grid cell ghostnet-fmnist-s{S}-d{D}; when both are given they win over `model`.
    s: { kind: 'int' as const, default: 2, min: 1, max: 16 },
    d: { kind: 'int' as const, default: 3, min: 1, max: 15 },
  };
}

/** The state a lab starts from, with the model it should load first (from the URL on the lab page). */
export function initialState(cfg: LabConfig, fromUrl: boolean): { state: Partial<LabState>; model: string } {
  const schema = schemaFor(cfg);
  const v = fromUrl
    ? createUrlState(schema, undefined, { omitDefaults: true }).get()
    : { model: schema.model.default, sample: 0, layer: schema.layer.default, channel: 0, backend: '', scale: 'layer', s: 2, d: 3 };
  const present = fromUrl ? readParams(location.search, schema).present : [];
  const cell = gridId(v.s, v.d);
  const model = present.includes('s') && present.includes('d') && cfg.models.some((m) => m.id === cell) ? cell : v.model;
  const shown = cfg.models.find((m) => m.id === model);
  return {
    state: { sample: v.sample, layer: v.layer, channel: v.channel, backend: v.backend, scale: v.scale as ScaleMode, ...(shown?.grid ? { s: shown.ratio, d: shown.dwSize } : {}) },
    model,
  };
}

/** Writes every change of the mirrored keys back to the URL (replaceState, no new history entries). */
export function bindUrl(cfg: LabConfig, state: LabStore): () => void {
  const schema = schemaFor(cfg);
  const url = createUrlState(schema, undefined, { omitDefaults: true });
  return state.subscribe(['model', 'sample', 'layer', 'channel', 'backend', 'scale', 's', 'd'], (s) => {
    // s and d name the model only while a grid cell is loaded; otherwise they stay out of the URL.
    const onGrid = s.model !== null && s.model === gridId(s.s, s.d);
    url.set({
      // A reader's own checkpoint cannot be reopened from a link, so it never names the model there.
      ...(s.model && schema.model.options.includes(s.model) ? { model: s.model } : {}),
      sample: s.sample, layer: s.layer, channel: s.channel, backend: s.backend, scale: s.scale,
      s: onGrid ? s.s : schema.s.default,
      d: onGrid ? s.d : schema.d.default,
    });
  });
}
