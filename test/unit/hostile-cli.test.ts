/**
 * The ghostlab CLI against hostile and broken inputs, end to end (a child process per case):
 * a non-zero exit, one clear line, bounded memory; complete output through a slow pipe; exit 2
 * for usage errors and 1 for bad content.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createModel, type GhostNetModel } from '../../src/model/index.js';
import { MAX_SOURCE_SIDE } from '../../src/lib/image-input.js';
import { writeNpy } from '../../src/model/npy.js';
import { writeTorchCheckpoint, type TensorSpecs } from '../helpers/checkpoint-writers.js';
import { ROOT, runAsync, runCliAsync as cli, runCliMeasured, stateDict, tempDir, useWasm, type CliResult } from '../helpers/ghostlab.js';
import { billionLaughsPickle, breakDeflatedEntry, jpegHeaderOnly, npyHeader, pngHeaderOnly, torchZipAround } from '../helpers/hostile-files.js';

let dir: string;
let model: GhostNetModel;
let modelDir: string;
const BIN = join(ROOT, 'bin/ghostlab.js');

function specsOf(m: GhostNetModel): TensorSpecs {
  return Object.fromEntries(Object.entries(stateDict(m)).map(([k, v]) => [k, { shape: v.shape, data: v.data }]));
}

/** One line on stderr, no raw control characters, a bounded length, the expected exit status. */
function expectOneLine(r: CliResult, code: number, pattern: RegExp): void {
  expect(r.code, r.stderr).toBe(code);
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
  expect(lines[0]!.length).toBeLessThan(600);
  expect(r.stderr).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f]/);
}

function file(name: string, bytes: Uint8Array | string): string {
  const f = join(dir, name);
  writeFileSync(f, bytes);
  return f;
}

beforeAll(async () => {
  await useWasm();
  dir = tempDir('ghostlab-hostile-');
  model = createModel('ghostnet-fmnist', { seed: 3 });
  file('good.pth', writeTorchCheckpoint(specsOf(model)));
  file('one.npy', writeNpy([1, 1, 28, 28], new Float32Array(784).fill(0.5)));
  modelDir = join(dir, 'model');
  expect((await cli(['convert', join(dir, 'good.pth'), '--arch', 'ghostnet-fmnist', '--out', modelDir])).code).toBe(0);
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  model?.dispose();
});

describe('output through pipes', () => {
  it('predict --json on all 300 samples reaches a slow reader whole, with the real exit status', async () => {
    const reader = 'import json,sys,time; time.sleep(1.5); d=json.load(sys.stdin); print(len(d["files"]), len(d["logits"]))';
    const cmd = `"${process.execPath}" "${BIN}" predict --model public/weights/ghostnet-fmnist --input public/samples --json | /usr/bin/python3 -c '${reader}'; echo "status \${PIPESTATUS[0]} \${PIPESTATUS[1]}"`;
    const r = await runAsync('bash', ['-c', cmd]);
    const samples = readdirSync(join(ROOT, 'public/samples')).filter((f) => f.endsWith('.png')).length;
    expect(samples).toBe(300);
    expect(r.stdout.trim().split('\n'), r.stderr).toEqual([`${samples} ${samples}`, 'status 0 0']);
  });

  it('a failing verb in a pipe exits 1, and --help text arrives whole', async () => {
    const bad = file('bad.png', 'not an image');
    const r = await runAsync('bash', ['-c', `"${process.execPath}" "${BIN}" predict --model "${modelDir}" --input "${bad}" --json | cat; echo "status \${PIPESTATUS[0]}"`]);
    expect(r.stdout.trim()).toBe('status 1');
    expect(r.stderr).toMatch(/bad\.png is not a PNG or JPEG image/);
    const h = await runAsync('bash', ['-c', `"${process.execPath}" "${BIN}" convert --help | (sleep 1; cat)`]);
    expect(h.stdout).toMatch(/^Usage: ghostlab convert[\s\S]*Exit status: 0 done, 1 bad checkpoint, 2 bad command line\.\n$/);
  });
});

describe('hostile checkpoints: refused with bounded memory and one line', () => {
  it('a tiny .pth with a 20000×20000 expanded view', async () => {
    const specs = specsOf(model);
    specs['conv_stem.weight'] = { shape: [20000, 20000], stride: [0, 0], data: [0] };
    const f = file('expand.pth', writeTorchCheckpoint(specs));
    const out = join(dir, 'out-expand');
    const r = await runCliMeasured(['convert', f, '--arch', 'ghostnet-fmnist', '--out', out]);
    expectOneLine(r, 1, /conv_stem\.weight in expand\.pth claims 400000000 elements .* storage holds only 1/);
    expect(r.peakMB).toBeLessThan(500);
  });

  it('names and shapes are checked against --arch before any weight is decoded', async () => {
    // The first storage (conv_stem.weight) is broken: only decoding it would notice.
    const wrong = specsOf(model);
    wrong['classifier.bias'] = { shape: [11], data: new Float32Array(11) };
    const misfit = writeTorchCheckpoint(wrong, { compress: true });
    breakDeflatedEntry(misfit, 'archive/data/0');
    expectOneLine(await cli(['convert', file('misfit.pth', misfit), '--arch', 'ghostnet-fmnist', '--out', join(dir, 'out-misfit')]), 1, /classifier\.bias: expected \[10\], got \[11\]/);
    const fits = writeTorchCheckpoint(specsOf(model), { compress: true });
    breakDeflatedEntry(fits, 'archive/data/0');
    expectOneLine(await cli(['convert', file('fits.pth', fits), '--arch', 'ghostnet-fmnist', '--out', join(dir, 'out-fits')]), 1, /fits\.pth is a damaged zip archive: archive\/data\/0 does not decompress/);
  });

  it('a 40-level billion laughs is refused in seconds with a short message', async () => {
    const f = file('laughs.pth', torchZipAround(billionLaughsPickle(40)));
    const r = await runCliMeasured(['convert', f, '--arch', 'ghostnet-fmnist', '--out', join(dir, 'out-laughs')]);
    expectOneLine(r, 1, /laughs\.pth holds no state_dict/);
    expect(r.stderr.length).toBeLessThan(400);
    expect(r.peakMB).toBeLessThan(500);
    expect(r.seconds).toBeLessThan(30);
  });

  it('terminal escape codes in a key name never reach stderr raw', async () => {
    const specs = specsOf(model);
    specs['\x1b[2J\x1b[H\x1b[32mconversion OK\x1b[0m'] = { shape: [1], data: [0] };
    const r = await cli(['convert', file('escape.pth', writeTorchCheckpoint(specs)), '--arch', 'ghostnet-fmnist', '--out', join(dir, 'out-esc')]);
    expectOneLine(r, 1, /1 unexpected \(\\u001b\[2J\\u001b\[H\\u001b\[32mconversion OK\\u001b\[0m\)/);
    expect(r.stdout).toBe('');
    // A file name is file-derived too: predict's text output escapes it.
    const evil = join(dir, 'evil\x1b[2J.npy');
    writeFileSync(evil, readFileSync(join(dir, 'one.npy')));
    const p = await cli(['predict', '--model', modelDir, '--input', evil]);
    expect(p.code, p.stderr).toBe(0);
    expect(p.stdout).toContain('evil\\u001b[2J.npy: ');
    expect(p.stdout).not.toMatch(/\x1b/);
  });

  it('NaN, infinite and int64 weights are refused by convert', async () => {
    const nan = specsOf(model);
    const w = nan['blocks.1.0.conv_dw.weight']!;
    const data = Float32Array.from(w.data);
    data[5] = NaN;
    nan['blocks.1.0.conv_dw.weight'] = { ...w, data };
    expectOneLine(await cli(['convert', file('nan.pth', writeTorchCheckpoint(nan)), '--arch', 'ghostnet-fmnist', '--out', join(dir, 'out-nan')]), 1, /blocks\.1\.0\.conv_dw\.weight holds a non-finite value \(NaN at index 5\)/);
    const inf = specsOf(model);
    inf['classifier.bias'] = { shape: [10], data: new Float32Array(10).fill(Infinity) };
    expectOneLine(await cli(['convert', file('inf.pth', writeTorchCheckpoint(inf)), '--arch', 'ghostnet-fmnist', '--out', join(dir, 'out-inf')]), 1, /classifier\.bias holds a non-finite value \(Infinity at index 0\)/);
    const ints = specsOf(model);
    ints['classifier.bias'] = { shape: [10], data: new Array(10).fill(1), dtype: 'int64' };
    expectOneLine(await cli(['convert', file('int.pth', writeTorchCheckpoint(ints)), '--arch', 'ghostnet-fmnist', '--out', join(dir, 'out-int')]), 1, /weight classifier\.bias is stored as int64; weights must be floating point/);
    expect(readdirSync(dir).filter((f) => f.startsWith('out-') || f.includes('.tmp-'))).toEqual([]);
  });

  it('a model whose output is not finite is an error in predict, not a result', async () => {
    const broken = join(dir, 'nan-model');
    mkdirSync(broken);
    for (const f of readdirSync(modelDir)) writeFileSync(join(broken, f), readFileSync(join(modelDir, f)));
    const shard = readdirSync(broken).find((f) => f.endsWith('.bin'))!;
    const bytes = readFileSync(join(broken, shard));
    // NaN bit patterns in classifier.bias (ReLU would turn NaNs in earlier weights into zeros).
    const weights = JSON.parse(readFileSync(join(broken, 'model.json'), 'utf8')).weightsManifest[0].weights as { name: string; shape: number[] }[];
    let offset = 0;
    for (const w of weights) {
      const n = w.shape.reduce((a, b) => a * b, 1);
      if (w.name === 'classifier.bias') bytes.fill(0xff, offset, offset + 4 * n);
      offset += 4 * n;
    }
    expect(offset).toBe(bytes.length);
    writeFileSync(join(broken, shard), bytes);
    expectOneLine(await cli(['predict', '--model', broken, '--input', join(dir, 'one.npy'), '--json']), 1, /the model's output for .*one\.npy is not finite/);
    // eval too: an argmax over NaNs would otherwise report an accuracy.
    const data = join(dir, 'idx');
    mkdirSync(data);
    const n = 4;
    const imgs = new Uint8Array(16 + n * 784).fill(120);
    [0x803, n, 28, 28].forEach((v, i) => new DataView(imgs.buffer).setUint32(4 * i, v));
    const labels = new Uint8Array(8 + n);
    [0x801, n].forEach((v, i) => new DataView(labels.buffer).setUint32(4 * i, v));
    writeFileSync(join(data, 't10k-images-idx3-ubyte'), imgs);
    writeFileSync(join(data, 't10k-labels-idx1-ubyte'), labels);
    expect((await cli(['eval', '--model', modelDir, '--data', data])).code).toBe(0);
    expectOneLine(await cli(['eval', '--model', broken, '--data', data]), 1, /the model's output for test image 0 is not finite/);
  });
});

describe('hostile inputs to predict', () => {
  for (const [name, bytes, kind] of [
    ['bomb.png', pngHeaderOnly(20000, 20000), 'PNG'],
    ['bomb.jpg', jpegHeaderOnly(20000, 20000), 'JPEG'],
  ] as const) {
    it(`a ${kind} claiming 20000×20000 is refused by its header`, async () => {
      const r = await runCliMeasured(['predict', '--model', modelDir, '--input', file(name, bytes)]);
      expectOneLine(r, 1, new RegExp(`${name.replace('.', '\\.')} is 20000×20000 pixels; images up to ${MAX_SOURCE_SIDE}×${MAX_SOURCE_SIDE} are accepted`));
      expect(r.peakMB).toBeLessThan(500);
    });
  }

  it('a PNG of allowed size with broken data gets our wording, not the decoder\'s', async () => {
    const r = await cli(['predict', '--model', modelDir, '--input', file('broken.png', pngHeaderOnly(30, 30, Uint8Array.from([1, 2, 3, 4, 5])))]);
    expectOneLine(r, 1, /broken\.png is a damaged PNG image and cannot be decoded$/);
  });

  it('.npy inputs: a header claiming too many values, an item too large, a bad shape, NaN values', async () => {
    const huge = await runCliMeasured(['predict', '--model', modelDir, '--input', file('huge.npy', npyHeader('1, 1, 8192, 8192'))]);
    expectOneLine(huge, 1, /huge\.npy holds 67,108,864 values \(shape \(1, 1, 8192, 8192\)\); at most 16,777,216 are accepted/);
    expect(huge.peakMB).toBeLessThan(500);
    const side = 1536;
    const big = await runCliMeasured(['predict', '--model', modelDir, '--input', file('big.npy', writeNpy([1, 1, side, side], new Float32Array(side * side)))]);
    expectOneLine(big, 1, /big\.npy holds 1536×1536 items; ghostnet-fmnist takes 28×28, and at most 112×112 are accepted/);
    expect(big.peakMB).toBeLessThan(500);
    // The largest accepted items, a batch of them: run a few at a time, memory stays bounded.
    const most = await runCliMeasured(['predict', '--model', modelDir, '--input', file('most.npy', writeNpy([32, 1, 112, 112], new Float32Array(32 * 112 * 112).fill(0.3))), '--json']);
    expect(most.code, most.stderr).toBe(0);
    expect(JSON.parse(most.stdout).files).toHaveLength(32);
    expect(most.peakMB).toBeLessThan(500);
    expectOneLine(await cli(['predict', '--model', modelDir, '--input', file('neg.npy', npyHeader('-784,'))]), 1, /neg\.npy has an invalid shape \(-784,\)/);
    const nan = new Float32Array(784).fill(0.1);
    nan[10] = NaN;
    expectOneLine(await cli(['predict', '--model', modelDir, '--input', file('nan.npy', writeNpy([1, 1, 28, 28], nan))]), 1, /nan\.npy holds a non-finite value \(NaN at index 10\)/);
  });

  it('a .npy batch larger than one chunk is predicted row by row, in order', async () => {
    const n = 70;
    const x = new Float32Array(n * 784);
    for (let i = 0; i < x.length; i++) x[i] = Math.sin(i * 0.37);
    const r = await cli(['predict', '--model', modelDir, '--input', file('batch.npy', writeNpy([n, 1, 28, 28], x)), '--json']);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.files).toHaveLength(n);
    expect(j.files[69]).toMatch(/batch\.npy\[69\]$/);
    const single = await cli(['predict', '--model', modelDir, '--input', file('row69.npy', writeNpy([1, 1, 28, 28], x.subarray(69 * 784))), '--json']);
    const last = JSON.parse(single.stdout).logits[0] as number[];
    last.forEach((v, i) => expect(j.logits[69][i]).toBeCloseTo(v, 4));
  });
});

describe('convert --force replaces only a converted model', () => {
  const good = () => join(dir, 'good.pth');

  it('replaces a converted model directory (model.json, shards, metrics.json)', async () => {
    const out = join(dir, 'force-ok');
    expect((await cli(['convert', good(), '--arch', 'ghostnet-fmnist', '--out', out])).code).toBe(0);
    writeFileSync(join(out, 'metrics.json'), '{}');
    const r = await cli(['convert', good(), '--arch', 'ghostnet-fmnist', '--out', out, '--force']);
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['group1-shard1of1.bin', 'model.json']);
  });

  it('never a directory holding anything else, the checkpoint itself, or the current directory', async () => {
    const mixed = join(dir, 'force-mixed');
    expect((await cli(['convert', good(), '--arch', 'ghostnet-fmnist', '--out', mixed])).code).toBe(0);
    writeFileSync(join(mixed, 'notes.txt'), 'mine');
    expectOneLine(await cli(['convert', good(), '--arch', 'ghostnet-fmnist', '--out', mixed, '--force']), 2, /--force replaces only a directory holding a converted model .* it also holds notes\.txt/);
    expect(readFileSync(join(mixed, 'notes.txt'), 'utf8')).toBe('mine');

    const home = join(dir, 'force-home');
    mkdirSync(home);
    const ckpt = join(home, 'ckpt.pth');
    writeFileSync(ckpt, readFileSync(good()));
    expectOneLine(await cli(['convert', ckpt, '--arch', 'ghostnet-fmnist', '--out', home, '--force']), 2, /--out .*force-home contains .*ckpt\.pth, the file being converted/);
    expect(readdirSync(home)).toEqual(['ckpt.pth']);

    expectOneLine(await cli(['convert', ckpt, '--arch', 'ghostnet-fmnist', '--out', '.', '--force'], { cwd: home }), 2, /--out \. is the current directory/);
    expectOneLine(await cli(['convert', ckpt, '--arch', 'ghostnet-fmnist', '--out', dir, '--force'], { cwd: home }), 2, /is the current directory or one of its parents/);
    expect(readdirSync(home)).toEqual(['ckpt.pth']);
    expect(readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  it('a failed write names --out, never the temp directory', async () => {
    const blocked = join(dir, 'blocked-parent');
    writeFileSync(blocked, 'a file where a directory should be');
    const r = await cli(['convert', good(), '--arch', 'ghostnet-fmnist', '--out', join(blocked, 'model')]);
    expectOneLine(r, 1, /could not write the model: .*blocked-parent\/model /);
    expect(r.stderr).not.toMatch(/\.tmp-/);
  });
});

describe('exit codes and plain messages', () => {
  it('2 for usage errors across verbs', async () => {
    const cases: [string[], RegExp][] = [
      [['frobnicate'], /unknown verb 'frobnicate'/],
      [['predict', '--input', 'x.png'], /--model is required/],
      [['predict', '--model', modelDir, '--input', join(dir, 'missing.png')], /input .*missing\.png does not exist/],
      [['predict', '--model', join(dir, 'no-such-model'), '--input', join(dir, 'one.npy')], /--model .*no-such-model does not exist/],
      [['predict', '--model', dir, '--input', join(dir, 'one.npy')], /holds no model\.json/],
      [['convert', dir, '--arch', 'ghostnet-fmnist', '--out', join(dir, 'o')], /checkpoint .* is a directory, not a file/],
      [['convert', join(dir, 'nope.pth'), '--arch', 'ghostnet-fmnist', '--out', join(dir, 'o')], /checkpoint .*nope\.pth does not exist/],
      [['cost', '--arch', 'ghostnet_100', '--bogus'], /unknown option --bogus/],
      [['eval', '--model', modelDir, '--data', join(dir, 'nowhere')], /does not exist/],
      [['bench', '--runs', 'x'], /--runs must be an integer/],
    ];
    for (const [args, pattern] of cases) expectOneLine(await cli(args), 2, pattern);
  });

  it('1 for bad content, in our words: no EISDIR, no typed-array or decoder wording', async () => {
    const weird = join(dir, 'weird-model');
    mkdirSync(join(weird, 'model.json'), { recursive: true });
    expectOneLine(await cli(['predict', '--model', weird, '--input', join(dir, 'one.npy')]), 2, /--model .*weird-model holds no model\.json/);
    const badJson = join(dir, 'bad-json');
    mkdirSync(badJson);
    writeFileSync(join(badJson, 'model.json'), '{"weightsManifest": [');
    expectOneLine(await cli(['predict', '--model', badJson, '--input', join(dir, 'one.npy')]), 1, /bad-json\/model\.json is not valid JSON$/);
    const negative = join(dir, 'neg-model');
    mkdirSync(negative);
    const mj = JSON.parse(readFileSync(join(modelDir, 'model.json'), 'utf8'));
    mj.weightsManifest[0].weights[0].shape = [-784];
    writeFileSync(join(negative, 'model.json'), JSON.stringify(mj));
    const r = await cli(['predict', '--model', negative, '--input', join(dir, 'one.npy')]);
    expectOneLine(r, 1, /neg-model\/model\.json describes a weight with an invalid name or shape/);
    const shardDir = join(dir, 'shard-dir');
    mkdirSync(join(shardDir, 'group1-shard1of1.bin'), { recursive: true });
    writeFileSync(join(shardDir, 'model.json'), readFileSync(join(modelDir, 'model.json')));
    expectOneLine(await cli(['predict', '--model', shardDir, '--input', join(dir, 'one.npy')]), 1, /weights shard group1-shard1of1\.bin listed in .* is not a file/);
    for (const res of [r]) expect(res.stderr).not.toMatch(/Invalid typed array|EISDIR|ENOENT/);
  });
});
