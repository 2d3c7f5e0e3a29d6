/**
 * "Measure these settings on this device": the speed-up calculator's link to the measure panel
 * hands over its current c, n, k, h′, w′, s, d. A DOM event on the document keeps the two scripts
 * apart (neither imports the other's internals).
 */
import type { GhostInputs } from '../../model/theory';

export const MEASURE_LAYER_EVENT = 'ghostlab:measure-layer';

export function sendMeasureLayer(layer: GhostInputs, doc: Document = document): void {
  const { s, d, c, k, n, h, w } = layer;
  doc.dispatchEvent(new CustomEvent<GhostInputs>(MEASURE_LAYER_EVENT, { detail: { s, d, c, k, n, h, w } }));
}

export function onMeasureLayer(listener: (layer: GhostInputs) => void, doc: Document = document): void {
  doc.addEventListener(MEASURE_LAYER_EVENT, (e) => listener((e as CustomEvent<GhostInputs>).detail));
}
