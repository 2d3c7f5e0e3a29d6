/**
 * BatchNorm folding at load time: conv(x, W) → BN  ==  conv(x, W·γ/σ) + (β − μ·γ/σ),
 * with σ = sqrt(var + eps). Done in float64 on the host, once.
 */
import { BN_EPS } from './ops.js';
import type { NetSpec, Unit } from './spec.js';
import { unitsOf, type WeightSet } from './weights.js';

export function foldWeights(spec: NetSpec | readonly Unit[], ws: WeightSet): WeightSet {
  const out: WeightSet = new Map();
  const need = (name: string) => {
    const w = ws.get(name);
    if (!w) throw new Error(`weight ${name} is missing`);
    return w;
  };
  const copy = (name: string) => out.set(name, need(name));
  for (const u of unitsOf(spec)) {
    if (u.type === 'conv') {
      copy(`${u.conv.name}.weight`);
      if (u.conv.bias) copy(`${u.conv.name}.bias`);
      continue;
    }
    if (u.type === 'linear') {
      copy(`${u.linear.name}.weight`);
      copy(`${u.linear.name}.bias`);
      continue;
    }
    const { conv, bn } = u.convBn;
    const gamma = need(`${bn.name}.weight`).data;
    const beta = need(`${bn.name}.bias`).data;
    const mean = need(`${bn.name}.running_mean`).data;
    const variance = need(`${bn.name}.running_var`).data;
    const C = bn.channels;
    const scale = new Float64Array(C);
    const bias = new Float32Array(C);
    for (let c = 0; c < C; c++) {
      scale[c] = gamma[c]! / Math.sqrt(variance[c]! + BN_EPS);
      bias[c] = beta[c]! - mean[c]! * scale[c]!;
    }
    const w = need(`${conv.name}.weight`);
    const folded = new Float32Array(w.data.length);
    // Output channel of flat index i: with r = i mod (last two axes), [kh,kw,in,out] gives
    // r mod out; depthwise [kh,kw,in,mult] gives r itself (= c·mult + j, PyTorch's order).
    const perTap = w.shape[2]! * w.shape[3]!;
    for (let i = 0; i < folded.length; i++) {
      const r = i % perTap;
      const oc = conv.depthwise ? r : r % C;
      folded[i] = w.data[i]! * scale[oc]!;
    }
    out.set(`${conv.name}.weight`, { shape: w.shape, data: folded });
    out.set(`${conv.name}.bias`, { shape: [C], data: bias });
  }
  return out;
}
