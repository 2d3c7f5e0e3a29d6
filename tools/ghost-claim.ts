/**
 * npm run measure:ghosts — the ghost claim, measured on a trained model over the Fashion-MNIST
 * test split: for every Ghost module, how much a ghost map resembles its own source (cosine
 * similarity, averaged over images) and how often that source is the intrinsic map it is most
 * alike; then the test accuracy with that module's ghosts knocked out (zeros, or copies of their
 * sources) against the intact model. Prints a Markdown table; the V1 chapter quotes one.
 *
 *   npm run measure:ghosts -- [--model DIR] [--images N] [--maps-images K] [--json]
 */
import * as tf from '@tensorflow/tfjs-core';
import { ghostResemblance, preprocessGray, type GhostNetModel, type Knockout } from '../src/model/index.js';
import { bool, int, parseArgs, str } from './cli/args.js';
import { useBackend } from './cli/backend.js';
import { DEFAULT_DATA, readIdx } from './cli/eval.js';
import { readModelDir } from './cli/fsio.js';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const p = parseArgs(process.argv.slice(2), { model: 'string', images: 'string', 'maps-images': 'string', json: 'boolean' });
const dir = str(p, 'model') ?? 'public/weights/ghostnet-fmnist';
const nImages = int(p, 'images', { min: 100, max: 10000 }) ?? 2000;
const nMaps = int(p, 'maps-images', { min: 1, max: 2000 }) ?? 200;
const file = (stem: string) => [`${stem}.gz`, stem].map((f) => join(DEFAULT_DATA, f)).find(existsSync) ?? join(DEFAULT_DATA, stem);

await useBackend('wasm');
const model = readModelDir(dir);
const images = readIdx(file('t10k-images-idx3-ubyte'), 0x803, 'images');
const labels = readIdx(file('t10k-labels-idx1-ubyte'), 0x801, 'labels');
const [, rows, cols] = images.dims as [number, number, number];
const [H, W, C] = model.inputShape;
const size = H * W * C;

function batch(start: number, n: number): tf.Tensor4D {
  const x = new Float32Array(n * size);
  for (let i = 0; i < n; i++) x.set(preprocessGray(images.data.subarray((start + i) * rows * cols, (start + i + 1) * rows * cols), cols, rows, model.config.preprocess, model.inputShape), i * size);
  return tf.tensor4d(x, [n, H, W, C]);
}

function accuracy(m: GhostNetModel, knockout?: Knockout): number {
  let right = 0;
  for (let start = 0; start < nImages; start += 500) {
    const n = Math.min(500, nImages - start);
    const x = batch(start, n);
    const pred = tf.tidy(() => tf.argMax(m.logits(x, { knockout }), 1));
    const idx = pred.dataSync();
    tf.dispose([x, pred]);
    for (let i = 0; i < n; i++) if (idx[i] === labels.data[start + i]) right++;
  }
  return right / nImages;
}

/** One image's maps of one tap, channel by channel. */
function channelsOf(t: tf.Tensor, image: number): Float32Array[] {
  const [, h, w, c] = t.shape as number[];
  const data = t.dataSync() as Float32Array;
  const off = image * h! * w! * c!;
  return Array.from({ length: c! }, (_, k) => {
    const out = new Float32Array(h! * w!);
    for (let i = 0; i < out.length; i++) out[i] = data[off + i * c! + k]!;
    return out;
  });
}

const modules = model.layers.filter((l) => l.kind === 'ghost-module' && l.ghost && !l.ghost.plain);
const x = batch(0, nMaps);
const inspected = model.inspect(x, modules.flatMap((l) => [`${l.name}.intrinsic`, `${l.name}.ghost`]));
const baseline = accuracy(model);
const rowsOut = modules.map((l) => {
  let own = 0;
  let nearest = 0;
  for (let i = 0; i < nMaps; i++) {
    const r = ghostResemblance(channelsOf(inspected.taps.get(`${l.name}.intrinsic`)!, i), channelsOf(inspected.taps.get(`${l.name}.ghost`)!, i), l.ghost!.source);
    own += r.meanOwn / nMaps;
    nearest += r.sourceIsNearest / nMaps;
  }
  const zeros = accuracy(model, { path: l.name, mode: 'zeros' });
  const copies = accuracy(model, { path: l.name, mode: 'copies' });
  process.stderr.write(`${l.name} done\n`);
  return { module: l.name, relu: l.ghost!.relu, ghosts: l.ghost!.ghost, meanOwn: own, sourceIsNearest: nearest, zeros, copies };
});
inspected.dispose();
x.dispose();

if (bool(p, 'json')) {
  console.log(JSON.stringify({ model: model.arch, images: nImages, mapsImages: nMaps, baseline, modules: rowsOut }));
} else {
  const pp = (v: number) => `${(v * 100).toFixed(1)} %`;
  const dpp = (v: number) => `${v >= 0 ? '+' : '−'}${Math.abs(v * 100).toFixed(1)}`;
  console.log(`${model.arch}: intact accuracy ${pp(baseline)} on the first ${nImages} test images; resemblance over the first ${nMaps}.\n`);
  console.log('| module | ReLU | ghosts | cos(ghost, own source) | source is nearest | ghosts → zeros | ghosts → copies |');
  console.log('|---|---|---|---|---|---|---|');
  for (const r of rowsOut) {
    console.log(`| ${r.module} | ${r.relu ? 'yes' : 'no'} | ${r.ghosts} | ${r.meanOwn.toFixed(2).replace('-', '−')} | ${pp(r.sourceIsNearest)} | ${pp(r.zeros)} (${dpp(r.zeros - baseline)}) | ${pp(r.copies)} (${dpp(r.copies - baseline)}) |`);
  }
}
