/**
 * The reader against the real thing: files written by torch.save itself (Debian's python3-torch),
 * compared value for value with what torch holds. Skipped, with a note, where torch is missing.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CheckpointError, readCheckpoint } from '../../src/model/checkpoint/index';

/** GHOSTLAB_PYTHON overrides the interpreter (e.g. a venv with a newer torch). */
const PYTHON = process.env.GHOSTLAB_PYTHON ?? '/usr/bin/python3';

function probeTorch(): string | null {
  const r = spawnSync(PYTHON, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8', timeout: 120_000 });
  return r.status === 0 ? r.stdout.trim() : null;
}

const torchVersion = probeTorch();
if (!torchVersion) {
  console.warn(`checkpoint-torch: skipped, ${PYTHON} cannot import torch (apt-get install python3-torch to run it)`);
}

/** Writes the checkpoints and, per file, {key: {shape, dtype, values}} as torch sees them. */
const SCRIPT = String.raw`
import collections, json, sys, torch, numpy as np
out = sys.argv[1]
torch.manual_seed(0)
m = torch.nn.Sequential(torch.nn.Conv2d(3, 4, 3, bias=False), torch.nn.BatchNorm2d(4), torch.nn.Flatten(), torch.nn.Linear(4, 2))
with torch.no_grad():
    m[1].running_mean.uniform_(-1, 1); m[1].running_var.uniform_(0.5, 2); m[1].weight.uniform_(0.5, 1.5)
m[1].num_batches_tracked += 5
sd = m.state_dict()
expected = {}
def save(name, obj, sd_view, **kw):
    torch.save(obj, f'{out}/{name}', **kw)
    expected[name] = {k: {'shape': list(v.shape), 'dtype': str(v.dtype).replace('torch.', ''),
                          'values': v.double().flatten().tolist()} for k, v in sd_view.items()}

save('plain.pth', sd, sd)
half = collections.OrderedDict((k, v.half() if v.is_floating_point() else v) for k, v in sd.items())
save('half.pth', half, half)
bf = collections.OrderedDict((k, v.bfloat16() if v.is_floating_point() else v) for k, v in sd.items())
save('bf16.pth', bf, bf)
save('p4.pth', sd, sd, pickle_protocol=4)

opt = torch.optim.SGD(m.parameters(), lr=0.1, momentum=0.9)
m(torch.randn(2, 3, 3, 3)).sum().backward(); opt.step()
wrapped = collections.OrderedDict(('module.' + k, v) for k, v in m.state_dict().items())
save('nested.pth', {'state_dict': wrapped, 'epoch': 7, 'optimizer': opt.state_dict(), 'best_acc1': torch.tensor(76.1),
                      'metrics': {'top1': np.float64(76.1), 'curve': np.arange(3.0)}},
     m.state_dict())

grid = torch.arange(24, dtype=torch.float32).reshape(2, 3, 4)
views = collections.OrderedDict([('t', grid[0].t()), ('slice', grid[1, 1:, 2:]), ('perm', grid.permute(2, 0, 1)),
                                 ('expand', torch.tensor([1.5, -2.0]).expand(3, 2)), ('half_t', grid[0].half().t())])
save('views.pth', views, views)

torch.save(sd, f'{out}/legacy.pth', _use_new_zipfile_serialization=False)
torch.save(m, f'{out}/model.pth')
json.dump(expected, open(f'{out}/expected.json', 'w'))
`;

type Expected = Record<string, Record<string, { shape: number[]; dtype: string; values: number[] }>>;

describe.skipIf(!torchVersion)(`checkpoints written by torch ${torchVersion ?? ''}`, () => {
  let dir = '';
  let expected: Expected = {};
  const read = (name: string) => readCheckpoint(new Uint8Array(readFileSync(join(dir, name))), name);

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'ghostlab-ckpt-'));
    const r = spawnSync(PYTHON, ['-c', SCRIPT, dir], { encoding: 'utf8', timeout: 300_000 });
    if (r.status !== 0) throw new Error(`torch script failed: ${r.stderr || r.error}`);
    expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as Expected;
  }, 320_000);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Every weight torch has (minus num_batches_tracked), same shape, same float32 values. */
  function expectSame(name: string, file: string): void {
    const ck = read(file);
    expect(ck.format).toBe('pytorch-zip');
    const want = Object.entries(expected[name]).filter(([k]) => !k.endsWith('num_batches_tracked'));
    expect([...ck.tensors.keys()]).toEqual(want.map(([k]) => k));
    for (const [key, t] of want) {
      const got = ck.tensors.get(key)!;
      expect(got.shape, key).toEqual(t.shape);
      expect(got.dtype, key).toBe(t.dtype);
      expect(Array.from(got.data), key).toEqual(t.values.map(Math.fround));
    }
  }

  it('reads a float32 state_dict and reports num_batches_tracked', () => {
    expectSame('plain.pth', 'plain.pth');
    expect(read('plain.pth').ignored).toEqual(['1.num_batches_tracked']);
  });

  it('reads float16 and bfloat16 state_dicts', () => {
    expectSame('half.pth', 'half.pth');
    expectSame('bf16.pth', 'bf16.pth');
  });

  it('reads pickle protocol 4', () => {
    expectSame('p4.pth', 'p4.pth');
  });

  it("unwraps {'state_dict': ...} with 'module.' keys next to an optimizer, a best_acc1 tensor and numpy metrics", () => {
    expectSame('nested.pth', 'nested.pth');
    expect(read('nested.pth').ignored).toEqual(['epoch', 'optimizer', 'best_acc1', 'metrics', '1.num_batches_tracked']);
  });

  it('materialises transposed, sliced, permuted and expanded views', () => {
    expectSame('views.pth', 'views.pth');
  });

  it('explains the legacy format and refuses a pickled whole model', () => {
    const legacy = (() => {
      try {
        read('legacy.pth');
      } catch (e) {
        return e as CheckpointError;
      }
      return null;
    })();
    expect(legacy?.code).toBe('legacy-format');
    expect(() => read('model.pth')).toThrow(/refusing to load global torch\.nn\.modules\.container\.Sequential.*model\.state_dict\(\)/);
  });
});
