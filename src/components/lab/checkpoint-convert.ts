/**
 * A reader's checkpoint file → weights the lab can run: read with the model library's own reader,
 * the architecture and width detected from the tensor shapes (or the reader's choice), every key
 * checked before any data is decoded, then converted to tfjs layouts. No DOM and no tensors, so it
 * runs in the checkpoint worker and in unit tests alike.
 */
import { scanCheckpoint } from '../../model/checkpoint';
import { assertCheckpointFits, checkKeys, guessArch, type CheckpointTensor, type TensorShape } from '../../model/key-map';
import { buildSpec, mapCheckpoint, resolveConfig, type WeightSet } from '../../model';

/** The ImageNet GhostNets a reader may hold (the compact course models are shipped, not uploaded). */
export const CHECKPOINT_ARCHS = ['ghostnet_050', 'ghostnet_100', 'ghostnet_130', 'ghostnetv2_100', 'ghostnetv2_130', 'ghostnetv2_160'] as const;

export interface Converted {
  arch: string;
  numClasses: number;
  /** True when the shapes chose the architecture, false when the reader did. */
  detected: boolean;
  weights: WeightSet;
}

/** Tensors decoded so far, of all the file's tensors (names and shapes are already checked by then). */
export type ConvertProgress = (done: number, total: number) => void;

function problemCount(shapes: Map<string, TensorShape>, arch: string, numClasses: number): number {
  const p = checkKeys(shapes, buildSpec(resolveConfig(arch, { numClasses })));
  return p.missing.length + p.unexpected.length + p.misshaped.length;
}

/**
 * The architecture these shapes fit exactly; failing that, the GhostNet they come closest to, so
 * the report lists what is missing, unexpected and mis-shaped against the likeliest candidate.
 */
export function detectArch(shapes: Map<string, TensorShape>): { arch: string; numClasses: number; exact: boolean } {
  const exact = guessArch(shapes);
  if (exact) return { ...exact, exact: true };
  const classifier = [...shapes].find(([k]) => k.endsWith('classifier.weight'))?.[1].shape[0];
  const numClasses = classifier && classifier > 0 ? classifier : 1000;
  let best: { arch: string; problems: number } = { arch: CHECKPOINT_ARCHS[1], problems: Infinity };
  for (const arch of CHECKPOINT_ARCHS) {
    const problems = problemCount(shapes, arch, numClasses);
    if (problems < best.problems) best = { arch, problems };
  }
  return { arch: best.arch, numClasses, exact: false };
}

/**
 * Reads and converts one checkpoint. Throws the library's own errors (CheckpointError for the
 * file, KeyMismatchError naming every key problem, BadWeightsError for unusable values).
 */
export function convertCheckpoint(bytes: Uint8Array, fileName: string, archOverride = '', progress?: ConvertProgress): Converted {
  const index = scanCheckpoint(bytes, fileName);
  const shapes = new Map<string, TensorShape>([...index.tensors].map(([k, t]) => [k, { shape: t.shape, dtype: t.dtype }]));
  const found = detectArch(shapes);
  const arch = archOverride || found.arch;
  // A reader's choice keeps the file's class count, so only the architecture is overridden.
  const numClasses = found.numClasses;
  const spec = buildSpec(resolveConfig(arch, { numClasses }));
  assertCheckpointFits(shapes, spec);
  const tensors = new Map<string, CheckpointTensor>();
  const total = index.tensors.size;
  let done = 0;
  for (const [name, entry] of index.tensors) {
    tensors.set(name, { shape: entry.shape, dtype: entry.dtype, data: entry.decode() });
    progress?.(++done, total);
  }
  return { arch, numClasses, detected: !archOverride, weights: mapCheckpoint(tensors, spec) };
}
