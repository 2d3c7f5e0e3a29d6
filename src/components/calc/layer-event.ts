/**
 * "Load this layer into the calculator": the network explorer asks the page's speed-up calculator
 * to take one layer's c, k, n, h', w' (s and d travel through the page's shared state instead,
 * src/lib/page-params.ts). A DOM event on the calculator's figure keeps the two scripts apart.
 */
import type { ConvGeometry } from '../../model/theory';

export const LOAD_LAYER_EVENT = 'ghostlab:load-layer';

export type LayerNumbers = Pick<ConvGeometry, 'c' | 'k' | 'n' | 'h' | 'w'>;

/** The calculator that follows the page's s and d (the one mirrored in the URL), if any. */
export function pageCalculator(doc: Document = document): HTMLElement | null {
  return doc.querySelector<HTMLElement>('[data-ghost-speedup]:not([data-url-state="off"])');
}

export function loadLayer(calculator: HTMLElement, layer: LayerNumbers): void {
  const { c, k, n, h, w } = layer;
  calculator.dispatchEvent(new CustomEvent<LayerNumbers>(LOAD_LAYER_EVENT, { detail: { c, k, n, h, w } }));
}

export function onLoadLayer(calculator: HTMLElement, listener: (layer: LayerNumbers) => void): void {
  calculator.addEventListener(LOAD_LAYER_EVENT, (e) => listener((e as CustomEvent<LayerNumbers>).detail));
}
