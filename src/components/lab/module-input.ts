/** Which tap holds a Ghost module's input (step mode draws it; the explanation of an intrinsic pixel reads it). */
import type { GhostNetModel, LayerInfo } from '../../model';

/** The layer before it in its block, else the block before; null when no tap has the input's shape. */
export function inputTap(model: GhostNetModel, layer: LayerInfo): string | null {
  const layers = model.layers;
  for (let i = layers.indexOf(layer) - 1; i >= 0; i--) {
    const l = layers[i]!;
    if (l.kind === 'shortcut' || l.kind === 'dfc-attention') continue;
    const tap = l.block === layer.block ? l.taps[l.taps.length - 1]! : (l.block ?? l.name);
    return String(l.outShape) === String(layer.inShape) ? tap : null;
  }
  return null;
}
