/**
 * The lab page's URL mirrors its state (model, sample, layer, channel, backend, scale), so a view
 * can be shared and reloaded exactly. Embedded labs keep their state to themselves.
 */
import { createUrlState } from '../../lib/url-state';
import type { ScaleMode } from '../../viz/colour-scale';
import { BACKENDS } from './backend';
import type { LabConfig } from './context';
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
  };
}

/** The state a lab starts from, with the model it should load first (from the URL on the lab page). */
export function initialState(cfg: LabConfig, fromUrl: boolean): { state: Partial<LabState>; model: string } {
  const schema = schemaFor(cfg);
  const v = fromUrl
    ? createUrlState(schema, undefined, { omitDefaults: true }).get()
    : { model: schema.model.default, sample: 0, layer: schema.layer.default, channel: 0, backend: '', scale: 'layer' };
  return { state: { sample: v.sample, layer: v.layer, channel: v.channel, backend: v.backend, scale: v.scale as ScaleMode }, model: v.model };
}

/** Writes every change of the mirrored keys back to the URL (replaceState, no new history entries). */
export function bindUrl(cfg: LabConfig, state: LabStore): () => void {
  const url = createUrlState(schemaFor(cfg), undefined, { omitDefaults: true });
  return state.subscribe(['model', 'sample', 'layer', 'channel', 'backend', 'scale'], (s) => {
    url.set({ ...(s.model ? { model: s.model } : {}), sample: s.sample, layer: s.layer, channel: s.channel, backend: s.backend, scale: s.scale });
  });
}
