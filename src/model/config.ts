/**
 * Model configurations as data: the stage tables of architectures.json, resolved into one
 * self-contained config per model (everything the builder, the browser and the CLI need).
 */
import table from './configs/architectures.json';
import { IMAGENET_LABELS } from './labels/imagenet.js';

/** One row of the official cfgs table: [k, exp, out, se_ratio, stride]. */
export type StageRow = [k: number, exp: number, out: number, se: number, stride: number];

export interface PreprocessConfig {
  /** Shorter side is resized to this (bilinear), then a centre crop of `crop`. */
  resize: number;
  crop: number;
  grayscale: boolean;
  /** Flip intensities (v → 1 - v) before normalising: Fashion-MNIST is light-on-dark. */
  invert?: boolean;
  mean: number[];
  std: number[];
}

export interface GhostNetConfig {
  arch: string;
  layout: string;
  version: 'v1' | 'v2';
  width: number;
  /** Ghost module ratio s and cheap depthwise kernel d (the paper's defaults: 2 and 3). */
  ratio: number;
  dwSize: number;
  /** Plain twin: every Ghost module is one ordinary conv, no attention. */
  plain: boolean;
  /** [H, W, C] */
  input: [number, number, number];
  numClasses: number;
  stem: { channels: number; kernel: number; stride: number };
  stages: StageRow[][];
  finalChannels: number;
  headChannels: number;
  dropout: number;
  preprocess: PreprocessConfig;
  labels: string[];
}

export interface ConfigOverrides {
  width?: number;
  numClasses?: number;
  /** Square input side, or [H, W]. */
  input?: number | [number, number];
  ratio?: number;
  dwSize?: number;
}

interface LayoutEntry {
  input: number[];
  numClasses: number;
  stem: { channels: number; kernel: number; stride: number };
  stages: number[][][];
  finalChannels: number;
  headChannels: number;
  dropout: number;
  preprocess: PreprocessConfig;
  labels: string | string[];
}

interface ModelEntry {
  layout: string;
  version: string;
  width: number;
  ratio?: number;
  dwSize?: number;
  plain?: boolean;
}

const LAYOUTS = (table as unknown as { layouts: Record<string, LayoutEntry> }).layouts;
const MODELS = (table as unknown as { models: Record<string, ModelEntry> }).models;

/** Every model id in architectures.json, in file order. */
export const ARCH_IDS: readonly string[] = Object.keys(MODELS);

export class ConfigError extends Error {
  readonly code = 'E_CONFIG';
}

/**
 * _make_divisible from the official code: round to the nearest multiple of `divisor`
 * (halves up, via int(v + d/2)), never below min_value, and never more than 10% below v.
 */
export function makeDivisible(v: number, divisor = 4, minValue?: number): number {
  const min = minValue ?? divisor;
  let newV = Math.max(min, Math.floor(Math.trunc(v + divisor / 2) / divisor) * divisor);
  if (newV < 0.9 * v) newV += divisor;
  return newV;
}

function resolveLabels(labels: string | string[], numClasses: number): string[] {
  const base = labels === 'imagenet' ? IMAGENET_LABELS : Array.isArray(labels) ? labels : [];
  // A head retrained for another class count has no known names: number its classes.
  if (base.length === numClasses) return [...base];
  return Array.from({ length: numClasses }, (_, i) => `class ${i}`);
}

/** The fully resolved config of a model id from architectures.json. */
export function resolveConfig(arch: string, overrides: ConfigOverrides = {}): GhostNetConfig {
  const model = MODELS[arch];
  if (!model) {
    throw new ConfigError(`unknown architecture '${arch}' (known: ${ARCH_IDS.join(', ')})`);
  }
  const layout = LAYOUTS[model.layout];
  if (!layout) throw new ConfigError(`architecture '${arch}' names unknown layout '${model.layout}'`);
  if (model.version !== 'v1' && model.version !== 'v2') {
    throw new ConfigError(`architecture '${arch}' has unknown version '${model.version}'`);
  }
  const width = overrides.width ?? model.width;
  const numClasses = overrides.numClasses ?? layout.numClasses;
  const ratio = overrides.ratio ?? model.ratio ?? 2;
  const dwSize = overrides.dwSize ?? model.dwSize ?? 3;
  const [h0, w0, c0] = layout.input as [number, number, number];
  const inHW = overrides.input === undefined ? [h0, w0] : typeof overrides.input === 'number' ? [overrides.input, overrides.input] : overrides.input;
  const checks: [boolean, string][] = [
    [Number.isFinite(width) && width > 0, `width must be > 0 (got ${width})`],
    [Number.isInteger(numClasses) && numClasses >= 1, `numClasses must be a positive integer (got ${numClasses})`],
    [Number.isInteger(ratio) && ratio >= 2, `ratio s must be an integer >= 2 (got ${ratio})`],
    [Number.isInteger(dwSize) && dwSize >= 1 && dwSize % 2 === 1, `dwSize d must be an odd integer >= 1 (got ${dwSize})`],
    [inHW.every((v) => Number.isInteger(v) && v >= 1), `input size must be a positive integer (got ${inHW.join('x')})`],
  ];
  for (const [ok, msg] of checks) if (!ok) throw new ConfigError(msg);
  return {
    arch,
    layout: model.layout,
    version: model.version,
    width,
    ratio,
    dwSize,
    plain: model.plain === true,
    input: [inHW[0]!, inHW[1]!, c0],
    numClasses,
    stem: { ...layout.stem },
    stages: layout.stages.map((stage) => stage.map((row) => [...row] as StageRow)),
    finalChannels: layout.finalChannels,
    headChannels: layout.headChannels,
    dropout: layout.dropout,
    preprocess: { ...layout.preprocess, mean: [...layout.preprocess.mean], std: [...layout.preprocess.std] },
    labels: resolveLabels(layout.labels, numClasses),
  };
}

/** Checks a config that came from outside (a model.json) has every field the builder reads. */
export function validateConfig(c: unknown): GhostNetConfig {
  const cfg = c as Partial<GhostNetConfig> | null;
  const bad = (what: string): never => {
    throw new ConfigError(`model config is invalid: ${what}`);
  };
  if (!cfg || typeof cfg !== 'object') bad('not an object');
  const x = cfg as GhostNetConfig;
  if (typeof x.arch !== 'string') bad('arch');
  if (x.version !== 'v1' && x.version !== 'v2') bad('version');
  for (const k of ['width', 'ratio', 'dwSize', 'numClasses', 'finalChannels', 'headChannels'] as const) {
    if (typeof x[k] !== 'number' || !(x[k] > 0)) bad(k);
  }
  if (!Array.isArray(x.input) || x.input.length !== 3) bad('input');
  if (!x.stem || typeof x.stem.channels !== 'number') bad('stem');
  if (!Array.isArray(x.stages) || !x.stages.every((s) => Array.isArray(s) && s.every((r) => Array.isArray(r) && r.length === 5))) bad('stages');
  if (!x.preprocess || !Array.isArray(x.preprocess.mean)) bad('preprocess');
  if (!Array.isArray(x.labels)) bad('labels');
  return { ...x, plain: x.plain === true, dropout: x.dropout ?? 0 };
}
