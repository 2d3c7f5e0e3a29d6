/** Which layers of a model the lab can open, and which taps draw them. */
import type { GhostNetModel, LayerInfo } from '../../model';

/** The layers a reader can open: those with spatial output maps (attention opens with its Ghost module). */
export function openableLayers(model: GhostNetModel): LayerInfo[] {
  return model.layers.filter((l) => l.outShape.length === 3 && l.outShape[0]! > 1 && l.kind !== 'dfc-attention');
}

/** The strip's columns: every block (or top-level layer) with spatial maps, tapped at its output. */
export function blockGroups(model: GhostNetModel): { id: string; layers: LayerInfo[] }[] {
  const groups = new Map<string, LayerInfo[]>();
  for (const l of model.layers) {
    if (l.outShape.length !== 3 || l.outShape[0]! <= 1) continue;
    const id = l.block ?? l.name;
    groups.set(id, [...(groups.get(id) ?? []), l]);
  }
  return [...groups].map(([id, layers]) => ({ id, layers }));
}

/** The taps the inspector draws for a layer (and, for V2 Ghost modules, their attention). */
export function inspectorTaps(layer: LayerInfo, model: GhostNetModel): string[] {
  const taps = [...layer.taps];
  if (layer.ghost?.attention) {
    const attn = model.layers.find((l) => l.name === `${layer.name}.attn`);
    if (attn) taps.push(...attn.taps);
  }
  return taps;
}
