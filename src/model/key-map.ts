/**
 * From a checkpoint's tensors (PyTorch names and layouts) to a WeightSet for an arch spec.
 * Official and timm GhostNet/GhostNetV2 use the same parameter names; what differs between
 * sources is wrapping (`module.` from DataParallel, `model.`/`_orig_mod.` prefixes) and
 * extra buffers (thop's total_ops/total_params in the released V2 checkpoints, BN's
 * num_batches_tracked), which are dropped here. Every missing, unexpected and mis-shaped
 * key is collected and reported in one error; nothing is returned unless all fit.
 */
import { ARCH_IDS, resolveConfig } from './config.js';
import { buildSpec } from './ghostnet.js';
import type { NetSpec } from './spec.js';
import { numel, paramEntries, ptToTf, type WeightSet } from './weights.js';

export interface CheckpointTensor {
  shape: number[];
  data: Float32Array;
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
export function checkKeys(tensors: Map<string, CheckpointTensor>, spec: NetSpec): KeyProblems {
  const byName = new Map<string, CheckpointTensor>();
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
export function guessArch(tensors: Map<string, CheckpointTensor>): { arch: string; numClasses: number } | undefined {
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
  const shown = items.slice(0, limit).join(sep);
  return `${items.length} ${label} (${shown}${items.length > limit ? `, … ${items.length - limit} more` : ''})`;
}

/** Converts to a WeightSet (tfjs layouts) or throws one KeyMismatchError naming every problem. */
export function mapCheckpoint(tensors: Map<string, CheckpointTensor>, spec: NetSpec): WeightSet {
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
  const byName = new Map<string, CheckpointTensor>();
  for (const [k, t] of tensors) {
    const c = canonicalKey(k);
    if (c !== null) byName.set(c, t);
  }
  const ws: WeightSet = new Map();
  for (const e of paramEntries(spec)) {
    const t = byName.get(e.name)!;
    if (t.data.length !== numel(e.ptShape)) throw new Error(`tensor ${e.name} has ${t.data.length} values for shape ${fmtShape(e.ptShape)}`);
    ws.set(e.name, { shape: [...e.tfShape], data: ptToTf(e, t.data) });
  }
  return ws;
}
