/**
 * The lab's checkpoint conversion (what its worker runs): the architecture and width come from the
 * tensor shapes, the reader can override them, and every bad file gets the library's own report.
 */
import { describe, expect, it } from 'vitest';
import { CHECKPOINT_ARCHS, convertCheckpoint, detectArch } from '../../src/components/lab/checkpoint-convert';
import { CheckpointError } from '../../src/model/checkpoint';
import { KeyMismatchError, type TensorShape } from '../../src/model/key-map';
import { buildSpec, paramEntries, resolveConfig } from '../../src/model';
import { writeMaliciousCheckpoint, writeSafetensors, writeTorchCheckpoint } from '../helpers/checkpoint-writers';

function shapesOf(arch: string): Map<string, TensorShape> {
  return new Map(paramEntries(buildSpec(resolveConfig(arch))).map((e) => [e.name, { shape: e.ptShape, dtype: 'float32' }]));
}

/** A state_dict of `arch` with small deterministic values (running_var kept positive). */
function stateDict(arch: string) {
  const out: Record<string, { shape: number[]; data: Float32Array }> = {};
  let k = 0;
  for (const e of paramEntries(buildSpec(resolveConfig(arch)))) {
    const n = e.ptShape.reduce((a, b) => a * b, 1);
    const data = Float32Array.from({ length: n }, (_, i) => (e.name.endsWith('running_var') ? 1 : Math.sin(k + i) * 0.01));
    k++;
    out[e.name] = { shape: e.ptShape, data };
  }
  return out;
}

const error = (fn: () => unknown): Error => {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a failure');
};

describe('checkpoint conversion for the lab', () => {
  it('detects every V1 and V2 width from the shapes alone', () => {
    for (const arch of CHECKPOINT_ARCHS) expect(detectArch(shapesOf(arch))).toEqual({ arch, numClasses: 1000, exact: true });
  });

  it('keeps a different class count that the classifier shows', () => {
    const shapes = shapesOf('ghostnet_050');
    const spec = buildSpec(resolveConfig('ghostnet_050', { numClasses: 10 }));
    for (const e of paramEntries(spec)) if (e.name.startsWith('classifier')) shapes.set(e.name, { shape: e.ptShape });
    expect(detectArch(shapes)).toMatchObject({ arch: 'ghostnet_050', numClasses: 10, exact: true });
  });

  it('converts official and timm-style files to the same weights, reporting progress', () => {
    const sd = stateDict('ghostnet_050');
    const safe = writeSafetensors(sd);
    const timm = writeTorchCheckpoint(
      Object.fromEntries(Object.entries(sd).map(([k, v]) => [k, { ...v, parameter: true }])),
      { nest: 'state_dict', prefix: 'module.', extra: { epoch: 3 } },
    );
    const seen: number[] = [];
    const a = convertCheckpoint(safe, 'a.safetensors', '', (done, total) => {
      seen.push(done);
      expect(total).toBe(Object.keys(sd).length);
    });
    const b = convertCheckpoint(timm, 'b.pth');
    expect(a).toMatchObject({ arch: 'ghostnet_050', numClasses: 1000, detected: true });
    expect(b.arch).toBe('ghostnet_050');
    expect(seen.at(-1)).toBe(Object.keys(sd).length);
    expect([...a.weights.keys()].sort()).toEqual([...b.weights.keys()].sort());
    for (const [k, w] of a.weights) expect(b.weights.get(k)!.data).toEqual(w.data);
  });

  it('refuses a reader override that does not fit, with the full key report', () => {
    const safe = writeSafetensors(stateDict('ghostnet_050'));
    const e = error(() => convertCheckpoint(safe, 'a.safetensors', 'ghostnet_100'));
    expect(e).toBeInstanceOf(KeyMismatchError);
    expect(e.message).toMatch(/does not match ghostnet_100.*with the wrong shape.*conv_stem\.weight: expected \[16, 3, 3, 3\], got \[8, 3, 3, 3\]/s);
    expect(e.message).toMatch(/looks like a ghostnet_050 checkpoint/);
  });

  it('reports missing, unexpected and mis-shaped keys against the closest GhostNet', () => {
    const sd = stateDict('ghostnetv2_100');
    delete sd['blocks.3.0.ghost1.short_conv.0.weight'];
    sd['blocks.0.0.extra.weight'] = { shape: [2], data: new Float32Array(2) };
    sd['classifier.bias'] = { shape: [999], data: new Float32Array(999) };
    const e = error(() => convertCheckpoint(writeSafetensors(sd), 'v2.safetensors')) as KeyMismatchError;
    expect(e).toBeInstanceOf(KeyMismatchError);
    expect(e.arch).toBe('ghostnetv2_100');
    expect(e.message).toMatch(/1 missing \(blocks\.3\.0\.ghost1\.short_conv\.0\.weight\)/);
    expect(e.message).toMatch(/1 unexpected \(blocks\.0\.0\.extra\.weight\)/);
    expect(e.message).toMatch(/classifier\.bias: expected \[1000\], got \[999\]/);
  });

  it('names another architecture as not a GhostNet', () => {
    const resnet = writeSafetensors({ 'conv1.weight': { shape: [64, 3, 7, 7], data: new Float32Array(64 * 147) }, 'fc.weight': { shape: [1000, 2048], data: new Float32Array(4) } }, {
      editHeader: (h) => {
        (h['fc.weight'] as { shape: number[] }).shape = [1, 4];
      },
    });
    const e = error(() => convertCheckpoint(resnet, 'resnet50.safetensors'));
    expect(e).toBeInstanceOf(KeyMismatchError);
    expect(e.message).toMatch(/missing .*conv_stem\.weight/);
    expect(e.message).toMatch(/unexpected \(conv1\.weight, fc\.weight\)/);
  });

  it('passes on the reader\'s refusals: not a checkpoint, truncated, a forbidden global', () => {
    const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);
    expect(error(() => convertCheckpoint(png, 'cat.png'))).toMatchObject({ code: 'not-a-checkpoint' });
    const full = writeSafetensors(stateDict('ghostnet_050'));
    const cut = error(() => convertCheckpoint(full.subarray(0, full.length >> 1), 'cut.safetensors'));
    expect(cut).toBeInstanceOf(CheckpointError);
    expect(cut.message).toMatch(/cut\.safetensors/);
    const evil = error(() => convertCheckpoint(writeMaliciousCheckpoint(), 'evil.pth'));
    expect(evil).toMatchObject({ code: 'forbidden-global' });
    expect(evil.message).toMatch(/os\.system/);
  });
});
