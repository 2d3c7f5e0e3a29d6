/** A .npy input as model-ready NHWC data, checked against the model and the documented limits. */
import { basename } from 'node:path';
import { printable } from '../../src/model/checkpoint/errors.js';
import type { GhostNetModel } from '../../src/model/index.js';
import { InputError } from './args.js';
import { nchwToNhwc, parseNpy } from '../../src/model/npy.js';

/** A .npy item may be at most this many times the model's input side (memory grows with its square). */
export const NPY_SIDE_FACTOR = 4;

/** Index of the first NaN or ±Infinity, or -1. */
export function firstNonFinite(values: ArrayLike<number>): number {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i]!)) return i;
  return -1;
}

export interface NpyBatch {
  /** NHWC, row-major. */
  data: Float32Array;
  shape: [number, number, number, number];
  /** True when the file held an explicit batch axis (N, C, H, W). */
  batched: boolean;
}

/** Reads an NCHW (or CHW) float .npy for `model`: channels, size and finiteness checked. */
export function loadNpy(bytes: Uint8Array, file: string, model: GhostNetModel): NpyBatch {
  const label = printable(file);
  const [H, W, C] = model.inputShape;
  const arr = parseNpy(bytes, basename(file));
  const shape = arr.shape.length === 3 ? [1, ...arr.shape] : arr.shape;
  if (shape.length !== 4) throw new InputError(`${label} has shape (${arr.shape.join(', ')}); expected NCHW (N, ${C}, H, W) or (${C}, H, W)`);
  const [n, c, h, w] = shape as [number, number, number, number];
  if (c !== C) throw new InputError(`${label} has ${c} channel(s) but ${model.arch} takes ${C} (NCHW layout expected)`);
  if (n === 0 || h === 0 || w === 0) throw new InputError(`${label} is empty (shape (${arr.shape.join(', ')}))`);
  if (h > NPY_SIDE_FACTOR * H || w > NPY_SIDE_FACTOR * W) {
    throw new InputError(`${label} holds ${h}×${w} items; ${model.arch} takes ${H}×${W}, and at most ${NPY_SIDE_FACTOR * H}×${NPY_SIDE_FACTOR * W} are accepted`);
  }
  const bad = firstNonFinite(arr.data);
  if (bad >= 0) throw new InputError(`${label} holds a non-finite value (${arr.data[bad]} at index ${bad})`);
  return { data: nchwToNhwc(arr.data, shape), shape: [n, h, w, c], batched: arr.shape.length === 4 };
}
