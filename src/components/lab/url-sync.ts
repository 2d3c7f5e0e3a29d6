/**
 * The lab page's URL mirrors its state (model, sample, layer, channel, backend, scale, the pixel
 * explained and the model compared), so a view
 * can be shared and reloaded exactly. Embedded labs keep their state to themselves, and link to
 * the lab page with the same state in its URL.
 */
import { createUrlState, readParams, writeParams, type UrlNote } from '../../lib/url-state';
import type { ScaleMode } from '../../viz/colour-scale';
import { BACKENDS } from '../../lib/tf-backend';
import type { LabConfig } from './context';
import { gridId } from './grid-panel';
import type { LabState, LabStore } from './state';

/** The URL's values for a state: s and d name the model only while a grid cell is loaded. */
function urlValues(s: Readonly<LabState>, defaults: { s: number; d: number }, shipped: readonly string[]) {
  const onGrid = s.model !== null && s.model === gridId(s.s, s.d);
  return {
    // A reader's own checkpoint cannot be reopened from a link, so only shipped models are named.
    ...(s.model && shipped.includes(s.model) ? { model: s.model } : {}),
    sample: s.sample, layer: s.layer, channel: s.channel, backend: s.backend, scale: s.scale, x: s.x, y: s.y,
    compare: shipped.includes(s.compare) ? s.compare : '',
    s: onGrid ? s.s : defaults.s,
    d: onGrid ? s.d : defaults.d,
  };
}

/** The lab page's address showing state `s` (from an embedded lab): read back by `initialState`. */
export function labHref(cfg: LabConfig, s: Readonly<LabState>): string {
  const schema = schemaFor({ ...cfg, defaultLayer: null });
  const query = writeParams('', schema, urlValues(s, { s: schema.s.default, d: schema.d.default }, schema.model.options), { omitDefaults: true }).toString();
  // The lab page's own default model differs from a chapter's: always name the model.
  const params = new URLSearchParams(query);
  if (s.model && schema.model.options.includes(s.model)) params.set('model', s.model);
  return `${cfg.base}${cfg.lang === 'zh' ? '/zh' : ''}/lab/?${params.toString()}`;
}

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
    // The pixel being explained (−1: none).
    x: { kind: 'int' as const, default: -1, min: -1, max: 4096 },
    y: { kind: 'int' as const, default: -1, min: -1, max: 4096 },
    // The compare view's second model ('' = none).
    compare: { kind: 'string' as const, default: '', options: ['', ...ids] },
  };
}

/**
 * The state a lab starts from, with the model it should load first (from the URL on the lab page)
 * and the URL's values that could not be used (each replaced by its default).
 */
export function initialState(cfg: LabConfig, fromUrl: boolean): { state: Partial<LabState>; model: string; notes: UrlNote[] } {
  const schema = schemaFor(cfg);
  const url = fromUrl ? createUrlState(schema, undefined, { omitDefaults: true }) : null;
  const v = url
    ? url.get()
    : { model: schema.model.default, sample: 0, layer: schema.layer.default, channel: 0, backend: '', scale: 'layer', s: 2, d: 3, x: -1, y: -1, compare: '' };
  const present = fromUrl ? readParams(location.search, schema).present : [];
  const cell = gridId(v.s, v.d);
  const model = present.includes('s') && present.includes('d') && cfg.models.some((m) => m.id === cell) ? cell : v.model;
  const shown = cfg.models.find((m) => m.id === model);
  return {
    state: { sample: v.sample, layer: v.layer, channel: v.channel, backend: v.backend, scale: v.scale as ScaleMode, x: v.x, y: v.y, compare: v.compare, ...(shown?.grid ? { s: shown.ratio, d: shown.dwSize } : {}) },
    model,
    notes: url?.notes ?? [],
  };
}

/** Writes every change of the mirrored keys back to the URL (replaceState, no new history entries). */
export function bindUrl(cfg: LabConfig, state: LabStore): () => void {
  const schema = schemaFor(cfg);
  const url = createUrlState(schema, undefined, { omitDefaults: true });
  return state.subscribe(['model', 'sample', 'layer', 'channel', 'backend', 'scale', 's', 'd', 'x', 'y', 'compare'], (s) => url.set(urlValues(s, { s: schema.s.default, d: schema.d.default }, schema.model.options)));
}
