/**
 * From a checkpoint's tensors (PyTorch names and layouts) to a WeightSet for an arch spec.
 * Official and timm GhostNet/GhostNetV2 use the same parameter names; what differs between
 * sources is wrapping (`module.` from DataParallel, `model.`/`_orig_mod.` prefixes) and
 * extra buffers (thop's total_ops/total_params in the released V2 checkpoints, BN's
 * num_batches_tracked), which are dropped here. Every missing, unexpected and mis-shaped
 * key is collected and reported in one error; nothing is returned unless all fit.
 */
import { printable } from './checkpoint/errors.js';
import { ARCH_IDS, resolveConfig } from './config.js';
import { buildSpec } from './ghostnet.js';
import type { NetSpec } from './spec.js';
import { numel, paramEntries, ptToTf, type WeightSet } from './weights.js';

/** A tensor's description, enough to check it against an architecture before reading its data. */
export interface TensorShape {
  shape: number[];
  /** The element type stored in the file ('float32', 'int64', ...), when known. */
  dtype?: string;
}

export interface CheckpointTensor extends TensorShape {
  data: Float32Array;
}

/** Element types a weight may be stored as; integers and booleans are not weights. */
export const WEIGHT_DTYPES: readonly string[] = ['float32', 'float16', 'bfloat16', 'float64'];

/** Weights that have the right names and shapes but unusable values or element types. */
export class BadWeightsError extends Error {
  readonly code = 'E_WEIGHTS';
}

export interface KeyProblems {
  missing: { name: string; shape: number[] }[];
  unexpected: { name: string; shape: number[] }[];
  misshaped: { name: string; expected: number[]; got: number[] }[];
}

export class KeyMismatchError extends Error {
  readonly code = 'E_KEYS';
  constructor(
    message: string,
    readonly arch: string,
    readonly problems: KeyProblems,
    /** An architecture the checkpoint fits exactly, if any. */
    readonly suggestion?: { arch: string; numClasses: number },
  ) {
    super(message);
  }
}

const PREFIXES = ['module.', 'model.', '_orig_mod.'];
const IGNORED_SUFFIXES = ['num_batches_tracked', 'total_ops', 'total_params'];

/** Canonical key, or null for a key that carries no weights we use. */
export function canonicalKey(key: string): string | null {
  let k = key;
  for (let changed = true; changed; ) {
    changed = false;
    for (const p of PREFIXES) {
      if (k.startsWith(p)) {
        k = k.slice(p.length);
        changed = true;
      }
    }
  }
  const last = k.slice(k.lastIndexOf('.') + 1);
  return IGNORED_SUFFIXES.includes(last) ? null : k;
}

/** Compares the checkpoint's keys and shapes with the spec's, without converting. */
export function checkKeys(tensors: Map<string, TensorShape>, spec: NetSpec): KeyProblems {
  const byName = new Map<string, TensorShape>();
  for (const [k, t] of tensors) {
    const c = canonicalKey(k);
    if (c !== null) byName.set(c, t);
  }
  const problems: KeyProblems = { missing: [], unexpected: [], misshaped: [] };
  const expected = paramEntries(spec);
  const names = new Set(expected.map((e) => e.name));
  for (const e of expected) {
    const t = byName.get(e.name);
    if (!t) problems.missing.push({ name: e.name, shape: e.ptShape });
    else if (t.shape.join() !== e.ptShape.join()) problems.misshaped.push({ name: e.name, expected: e.ptShape, got: [...t.shape] });
  }
  for (const [k, t] of byName) if (!names.has(k)) problems.unexpected.push({ name: k, shape: [...t.shape] });
  return problems;
}

const count = (p: KeyProblems) => p.missing.length + p.unexpected.length + p.misshaped.length;

/** The model id (and class count) this checkpoint fits exactly, if there is one. */
export function guessArch(tensors: Map<string, TensorShape>): { arch: string; numClasses: number } | undefined {
  let numClasses: number | undefined;
  for (const [k, t] of tensors) if (canonicalKey(k) === 'classifier.weight') numClasses = t.shape[0];
  if (numClasses === undefined) return undefined;
  for (const arch of ARCH_IDS) {
    const spec = buildSpec(resolveConfig(arch, { numClasses }));
    if (count(checkKeys(tensors, spec)) === 0) return { arch, numClasses };
  }
  return undefined;
}

const fmtShape = (s: number[]) => `[${s.join(', ')}]`;

function listPart(label: string, items: string[], limit: number, sep = ', '): string {
  if (!items.length) return '';
  const shown = items.slice(0, limit).map((s) => printable(s, 160)).join(sep);
  return `${items.length} ${label} (${shown}${items.length > limit ? `, … ${items.length - limit} more` : ''})`;
}

/**
 * Throws one KeyMismatchError naming every missing, unexpected and mis-shaped key, or a
 * BadWeightsError for a weight stored as integers or booleans; needs only names, shapes and
 * dtypes, so a file is judged before any of its data is decoded.
 */
export function assertCheckpointFits(tensors: Map<string, TensorShape>, spec: NetSpec): void {
  const problems = checkKeys(tensors, spec);
  const arch = spec.config.arch;
  if (count(problems) > 0) {
    const suggestion = guessArch(tensors);
    // Everything is listed when the list is short; otherwise the error object has it all.
    const limit = count(problems) <= 30 ? Infinity : 8;
    const parts = [
      listPart('missing', problems.missing.map((m) => m.name), limit),
      listPart('unexpected', problems.unexpected.map((m) => m.name), limit),
      listPart('with the wrong shape', problems.misshaped.map((m) => `${m.name}: expected ${fmtShape(m.expected)}, got ${fmtShape(m.got)}`), limit, '; '),
    ].filter(Boolean);
    let hint = '';
    if (suggestion && suggestion.arch === arch) hint = `; it fits ${arch} with --num-classes ${suggestion.numClasses}`;
    else if (suggestion) {
      hint = `; it looks like a ${suggestion.arch} checkpoint (use --arch ${suggestion.arch}${
        suggestion.numClasses !== resolveConfig(suggestion.arch).numClasses ? ` --num-classes ${suggestion.numClasses}` : ''
      })`;
    }
    const msg = `checkpoint does not match ${arch} (${spec.config.numClasses} classes): ${parts.join('; ')}${hint}`;
    throw new KeyMismatchError(msg, arch, problems, suggestion);
  }
  const notFloat = [...tensors].filter(([k, t]) => canonicalKey(k) !== null && t.dtype !== undefined && !WEIGHT_DTYPES.includes(t.dtype));
  if (notFloat.length) {
    const [k, t] = notFloat[0]!;
    throw new BadWeightsError(
      `weight ${printable(k, 100)} is stored as ${printable(t.dtype!, 20)}${notFloat.length > 1 ? ` (and ${notFloat.length - 1} more are not floats)` : ''}; ` +
        `weights must be floating point (${WEIGHT_DTYPES.join(', ')})`,
    );
  }
}

/** Index of the first NaN or ±Infinity, or -1. */
function firstNonFinite(data: Float32Array): number {
  for (let i = 0; i < data.length; i++) if (!Number.isFinite(data[i]!)) return i;
  return -1;
}

/**
 * Converts to a WeightSet (tfjs layouts); throws KeyMismatchError naming every key problem, or
 * BadWeightsError for non-float or non-finite (NaN, ±Infinity) weights.
 */
export function mapCheckpoint(tensors: Map<string, CheckpointTensor>, spec: NetSpec): WeightSet {
  assertCheckpointFits(tensors, spec);
  const byName = new Map<string, CheckpointTensor>();
  for (const [k, t] of tensors) {
    const c = canonicalKey(k);
    if (c !== null) byName.set(c, t);
  }
  const ws: WeightSet = new Map();
  for (const e of paramEntries(spec)) {
    const t = byName.get(e.name)!;
    if (t.data.length !== numel(e.ptShape)) throw new BadWeightsError(`tensor ${e.name} has ${t.data.length} values for shape ${fmtShape(e.ptShape)}`);
    const bad = firstNonFinite(t.data);
    if (bad >= 0) {
      throw new BadWeightsError(`weight ${e.name} holds a non-finite value (${t.data[bad]} at index ${bad}); a model with NaN or infinite weights cannot predict`);
    }
    ws.set(e.name, { shape: [...e.tfShape], data: ptToTf(e, t.data) });
  }
  return ws;
}
