/**
 * The shape of a cost report, shared by the GhostNet cost model, the reference networks
 * (VGG-16, ResNet-56, ResNet-50) and the `ghostlab cost --json` output.
 * MACs are multiply-accumulates of convolutions and linear layers: the papers' "FLOPs".
 * Parameters count every learned tensor, BatchNorm scale and shift included, as PyTorch's
 * sum(p.numel() for p in model.parameters()) does.
 */
export interface LayerCost {
  name: string;
  kind: string;
  /** [H, W, C] of the layer's output. */
  outShape: number[];
  params: number;
  macs: number;
}

export interface CostReport {
  arch: string;
  /** [H, W, C] of the network's input. */
  input: number[];
  layers: LayerCost[];
  total: { params: number; macs: number };
}
