/**
 * Pieces the inspector's views share: what they are drawn from and report to, a tap's channels as
 * named maps, titled sections, pages of at most PAGE maps, the value format and the map-id ↔
 * channel mapping.
 */
import { splitChannels, type MapData } from '../../viz/feature-grid';
import type { CheapKernels, LayerInfo } from '../../model';
import type { ColourDomain, ScaleMode } from '../../viz/colour-scale';
import type { TapData } from './session';
import type { LabStrings } from './strings';

export interface InspectorInput {
  layer: LayerInfo;
  taps: Map<string, TapData>;
  /** The cheap kernels of a Ghost module (absent for plain convs and other layers). */
  kernels: CheapKernels | null;
  /** The names of the layer's output channels (map-names.ts): one map, one name. */
  names: readonly string[];
  /** The model's input as an image, drawn under attention maps. */
  inputImage: { data: Float32Array; height: number; width: number };
  scaleMode: ScaleMode;
  /** A domain across the whole network, for scaleMode 'global'. */
  globalDomain: ColourDomain | null;
  /** The selected output channel (in the module's output numbering). */
  channel: number;
  /** A pair chosen from the most similar pairs (channels; the first is `channel`), or null. */
  pair: readonly [number, number] | null;
  /** The picked pixel of the selected map (being explained), or null. */
  pixel: { row: number; col: number } | null;
}

export interface InspectorCallbacks {
  onChannel(channel: number): void;
  onPair(a: number, b: number): void;
  /** A pixel of the selected map was picked (click, or arrow keys and Enter). */
  onPixel(row: number, col: number): void;
}

/** A map value, short: whole numbers from 100, two decimals from 1, two significant digits below. */
export const fmt = (v: number) => (Math.abs(v) >= 100 || v === 0 ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(2) : v.toPrecision(2));

/** Channel k of a tap as maps with ids `c${channel}` (output numbering) and the channel's name. */
export function maps(tap: TapData | undefined, group: string, channel: (k: number) => number, names: readonly string[]): MapData[] {
  if (!tap) return [];
  const [h, w] = tap.shape;
  return splitChannels(tap.data, tap.shape, 'HWC').map((data, k) => {
    const c = channel(k);
    return { id: `c${c}`, label: names[c] ?? String(c), group, data, height: h!, width: w! };
  });
}

/** At most this many maps of one group are drawn at once; ImageNet layers (up to 960) get pages. */
export const PAGE = 128;

/**
 * The page of at most PAGE maps of `list` that holds index `at`, and, when there is more than one
 * page, a pager in `parent` whose buttons select the first map of the page before or after.
 */
export function paged(parent: HTMLElement, list: MapData[], at: number, t: LabStrings, select: (id: string) => void): MapData[] {
  if (list.length <= PAGE) return list;
  const start = Math.floor(Math.min(Math.max(0, at), list.length - 1) / PAGE) * PAGE;
  const end = Math.min(list.length, start + PAGE);
  const bar = document.createElement('div');
  bar.className = 'lab-row lab-pager';
  bar.dataset.role = 'pager';
  const button = (text: string, to: number | null) => {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'lab-button';
    b.textContent = text;
    b.disabled = to === null;
    if (to !== null) b.addEventListener('click', () => select(list[to]!.id));
    return b;
  };
  const where = document.createElement('span');
  where.className = 'lab-meta';
  where.textContent = t.pageOf(start + 1, end, list.length);
  bar.append(button(t.pagePrev, start > 0 ? start - PAGE : null), where, button(t.pageNext, end < list.length ? end : null));
  parent.append(bar);
  return list.slice(start, end);
}

/** A titled section (with an optional hint) appended to `parent`; returns its body. */
export function section(parent: HTMLElement, title: string, hint?: string, cls = ''): HTMLElement {
  const s = document.createElement('section');
  s.className = `lab-section ${cls}`;
  const h = document.createElement('h4');
  h.textContent = title;
  s.append(h);
  if (hint) {
    const p = document.createElement('p');
    p.className = 'lab-hint';
    p.textContent = hint;
    s.append(p);
  }
  const body = document.createElement('div');
  s.append(body);
  parent.append(s);
  return body;
}

/** The channel a map id (`c12`) stands for. */
export function channelOf(id: string): number {
  return Number(id.replace(/^\D+/, ''));
}

