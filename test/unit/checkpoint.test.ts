import { describe, expect, it } from 'vitest';
import {
  CheckpointError,
  detectCheckpointFormat,
  readCheckpoint,
  type CheckpointErrorCode,
} from '../../src/model/checkpoint/index';
import { halfBitsToFloat } from '../../src/model/checkpoint/dtypes';
import { PyObject, unpickle, type PyValue } from '../../src/model/checkpoint/unpickle';
import {
  FloatValue,
  OrderedDictValue,
  PickleWriter,
  RawValue,
  TupleValue,
  floatToBfloat16Bits,
  floatToHalfBits,
  tensor,
  writeMaliciousCheckpoint,
  writePickle,
  writeSafetensors,
  writeTorchCheckpoint,
  writeTorchObject,
  writeZip,
  type TensorSpecs,
} from '../helpers/checkpoint-writers';

// ---- helpers ---------------------------------------------------------------------------------

const enc = new TextEncoder();
const hex = (s: string) => Uint8Array.from(s.match(/../g) ?? [], (h) => parseInt(h, 16));

/** Deterministic pseudo-random floats (no Math.random: failures must reproduce). */
function seq(n: number, seed = 1): Float32Array {
  const out = new Float32Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    out[i] = (x / 2147483648) * 4 - 2;
  }
  return out;
}

const roundHalf = (v: number) => halfBitsToFloat(floatToHalfBits(v));
const roundBf16 = (v: number) => new Float32Array(new Uint32Array([floatToBfloat16Bits(v) << 16]).buffer)[0];

/** Run `fn`, expect a CheckpointError with `code`, return it for message checks. */
function failure(fn: () => unknown, code: CheckpointErrorCode): CheckpointError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(CheckpointError);
    const err = e as CheckpointError;
    expect(err.code, err.message).toBe(code);
    expect(err.message.length).toBeGreaterThan(20);
    return err;
  }
  throw new Error(`expected a CheckpointError '${code}', got no error`);
}

const SMALL: TensorSpecs = {
  'conv_stem.weight': { shape: [4, 3, 3, 3], data: seq(108) },
  'bn1.weight': { shape: [4], data: seq(4, 2) },
  'bn1.bias': { shape: [4], data: seq(4, 3) },
  'bn1.running_mean': { shape: [4], data: seq(4, 4) },
  'bn1.running_var': { shape: [4], data: [1, 2, 3, 4] },
  'bn1.num_batches_tracked': { shape: [], data: [1234], dtype: 'int64' },
  'classifier.weight': { shape: [2, 4], data: seq(8, 5) },
  'classifier.bias': { shape: [2], data: [0.5, -0.25] },
};
const SMALL_WEIGHTS = Object.keys(SMALL).filter((k) => !k.endsWith('num_batches_tracked'));

function expectSmall(tensors: Map<string, { shape: number[]; data: Float32Array; dtype: string }>): void {
  expect([...tensors.keys()]).toEqual(SMALL_WEIGHTS);
  for (const key of SMALL_WEIGHTS) {
    const t = tensors.get(key)!;
    expect(t.shape).toEqual(SMALL[key].shape);
    expect(t.dtype).toBe('float32');
    expect(t.data).toEqual(Float32Array.from(SMALL[key].data));
  }
}

// ---- PyTorch zip -----------------------------------------------------------------------------

describe('PyTorch zip checkpoints', () => {
  it('round-trips a float32 state_dict and reports num_batches_tracked', () => {
    const ck = readCheckpoint(writeTorchCheckpoint(SMALL), 'ghostnet.pth');
    expect(ck.format).toBe('pytorch-zip');
    expectSmall(ck.tensors);
    expect(ck.ignored).toEqual(['bn1.num_batches_tracked']);
    const conv = ck.tensors.get('conv_stem.weight')!;
    expect(conv.name).toBe('conv_stem.weight');
    expect(conv.data).toBeInstanceOf(Float32Array);
  });

  it('detects the format by magic bytes, whatever the name or stem folder', () => {
    for (const stem of ['archive', 'ghostnet_1x', 'my.model-v2']) {
      const bytes = writeTorchCheckpoint(SMALL, { stem });
      expect(detectCheckpointFormat(bytes)).toBe('pytorch-zip');
      expectSmall(readCheckpoint(bytes, 'weights.safetensors').tensors);
      expectSmall(readCheckpoint(bytes).tensors);
    }
  });

  it('accepts views at odd byte offsets and bare ArrayBuffers', () => {
    for (const bytes of [writeTorchCheckpoint(SMALL, { align: 0 }), writeSafetensors({ 'conv_stem.weight': { shape: [108], data: seq(108) } })]) {
      const shifted = new Uint8Array(bytes.length + 3);
      shifted.set(bytes, 3);
      const a = readCheckpoint(shifted.subarray(3));
      const b = readCheckpoint(bytes.slice().buffer);
      expect(a.tensors.get('conv_stem.weight')!.data).toEqual(seq(108));
      expect(b.tensors.get('conv_stem.weight')!.data).toEqual(seq(108));
    }
  });

  it('reads protocol 4 pickles (FRAME, MEMOIZE, STACK_GLOBAL) with a byteorder file', () => {
    expectSmall(readCheckpoint(writeTorchCheckpoint(SMALL, { protocol: 4, byteorder: 'little' })).tensors);
  });

  it('reads big-endian storages, deflated entries, unaligned data and plain dicts', () => {
    expectSmall(readCheckpoint(writeTorchCheckpoint(SMALL, { byteorder: 'big', compress: true })).tensors);
    expectSmall(readCheckpoint(writeTorchCheckpoint(SMALL, { align: 0, plainDict: true })).tensors);
  });

  it("accepts model.state_dict()'s _metadata and nn.Parameter wrappers", () => {
    const specs: TensorSpecs = { w: { shape: [2, 2], data: [1, 2, 3, 4], parameter: true } };
    const ck = readCheckpoint(writeTorchCheckpoint(specs, { metadata: true }));
    expect(ck.tensors.get('w')!.data).toEqual(Float32Array.from([1, 2, 3, 4]));
    expect(ck.ignored).toEqual([]);
  });

  it('converts float16 (subnormals, infinities, NaN included) to float32', () => {
    const values = [0, -0, 1, -2.5, 1 / 3, 65504, 2 ** -24, 2 ** -14, 1e-3, Infinity, -Infinity, 70000, NaN];
    const ck = readCheckpoint(writeTorchCheckpoint({ h: { shape: [values.length], data: values, dtype: 'float16' } }));
    const t = ck.tensors.get('h')!;
    expect(t.dtype).toBe('float16');
    expect(Array.from(t.data)).toEqual(values.map(roundHalf));
    expect(t.data[4]).toBeCloseTo(1 / 3, 3);
    expect(t.data[11]).toBe(Infinity); // 70000 overflows half
    expect(Object.is(t.data[1], -0)).toBe(true);
  });

  it('converts bfloat16, float64 and int64 tensors', () => {
    const bf = [1, -1.5, 3.14159, 1e30, -1e-30, 0];
    const ck = readCheckpoint(
      writeTorchCheckpoint({
        b: { shape: [2, 3], data: bf, dtype: 'bfloat16' },
        d: { shape: [2], data: [0.1, -1e-40], dtype: 'float64' },
        i: { shape: [3], data: [0, -5, 2 ** 40], dtype: 'int64' },
      }),
    );
    expect(Array.from(ck.tensors.get('b')!.data)).toEqual(bf.map(roundBf16));
    expect(ck.tensors.get('b')!.dtype).toBe('bfloat16');
    expect(Array.from(ck.tensors.get('d')!.data)).toEqual([Math.fround(0.1), Math.fround(-1e-40)]);
    expect(Array.from(ck.tensors.get('i')!.data)).toEqual([0, -5, 2 ** 40]);
    expect(ck.tensors.get('i')!.dtype).toBe('int64');
  });

  it('materialises non-contiguous views: transposes, offsets, shared and expanded storages', () => {
    const storage = Array.from({ length: 12 }, (_, i) => i); // a 3x4 matrix 0..11
    const ck = readCheckpoint(
      writeTorchCheckpoint({
        // m.t(): shape [4,3], stride [1,4]
        t: { shape: [4, 3], data: storage, stride: [1, 4], storageKey: 'm' },
        // m[1:, 2:]: offset 6, shape [2,2], stride [4,1]
        slice: { shape: [2, 2], data: storage, stride: [4, 1], storageOffset: 6, storageKey: 'm' },
        // m[2]: a contiguous row at offset 8
        row: { shape: [4], data: storage, storageOffset: 8, storageKey: 'm' },
        // tensor([7, 8]).expand(3, 2): stride 0
        expand: { shape: [3, 2], data: [7, 8], stride: [0, 1] },
        // arange(24).reshape(2,3,4).permute(2,0,1), stored as float16
        perm: { shape: [4, 2, 3], data: Array.from({ length: 24 }, (_, i) => i), stride: [1, 12, 4], dtype: 'float16' },
        // size-1 dimensions may carry any stride and still be contiguous
        unit: { shape: [1, 3], data: [1, 2, 3], stride: [99, 1] },
      }),
    );
    const get = (k: string) => Array.from(ck.tensors.get(k)!.data);
    expect(get('t')).toEqual([0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11]);
    expect(get('slice')).toEqual([6, 7, 10, 11]);
    expect(get('row')).toEqual([8, 9, 10, 11]);
    expect(get('expand')).toEqual([7, 8, 7, 8, 7, 8]);
    const perm: number[] = [];
    for (let k = 0; k < 4; k++) for (let i = 0; i < 2; i++) for (let j = 0; j < 3; j++) perm.push(i * 12 + j * 4 + k);
    expect(get('perm')).toEqual(perm);
    expect(get('unit')).toEqual([1, 2, 3]);
    expect(ck.tensors.get('perm')!.shape).toEqual([4, 2, 3]);
  });

  it('handles empty and scalar tensors', () => {
    const ck = readCheckpoint(writeTorchCheckpoint({ e: { shape: [0, 3], data: [] }, s: { shape: [], data: [2.5] } }));
    expect(ck.tensors.get('e')!.data.length).toBe(0);
    expect(ck.tensors.get('s')!.shape).toEqual([]);
    expect(Array.from(ck.tensors.get('s')!.data)).toEqual([2.5]);
  });
});

// ---- normalisation ---------------------------------------------------------------------------

describe('state_dict normalisation', () => {
  const ema: TensorSpecs = { 'classifier.bias': { shape: [2], data: [9, 9] } };

  it("unwraps {'state_dict': ...} and reports the other entries without decoding them", () => {
    // The optimizer's tensor points past its storage: decoding it would throw, so this also
    // proves that entries outside the state_dict are never materialised.
    const badMomentum = tensor({ shape: [4], data: [1], storageOffset: 3 });
    const ck = readCheckpoint(
      writeTorchCheckpoint(SMALL, {
        nest: 'state_dict',
        extra: { epoch: 42, arch: 'ghostnet_100', optimizer: { state: { 0: { momentum_buffer: badMomentum } }, param_groups: [{ lr: 0.1 }] } },
      }),
    );
    expectSmall(ck.tensors);
    expect(ck.ignored).toEqual(['epoch', 'arch', 'optimizer', 'bn1.num_batches_tracked']);
  });

  it("unwraps 'model', deeper nesting, and an unknown single wrapper", () => {
    expectSmall(readCheckpoint(writeTorchCheckpoint(SMALL, { nest: 'model' })).tensors);
    const deep = readCheckpoint(writeTorchCheckpoint(SMALL, { nest: ['model', 'state_dict'], extra: { epoch: 1 } }));
    expectSmall(deep.tensors);
    expect(deep.ignored).toContain('epoch');
    expectSmall(readCheckpoint(writeTorchCheckpoint(SMALL, { nest: 'weights', extra: { step: 3 } })).tensors);
  });

  it('prefers plain weights over state_dict_ema, unless asked, and falls back to the EMA copy', () => {
    const emaSd = new OrderedDictValue([['classifier.bias', tensor(ema['classifier.bias'])]]);
    const both = writeTorchCheckpoint(SMALL, { nest: 'state_dict', extra: { state_dict_ema: emaSd } });
    const plain = readCheckpoint(both);
    expectSmall(plain.tensors);
    expect(plain.ignored).toContain('state_dict_ema');
    const preferred = readCheckpoint(both, 'ck.pth', { preferEma: true });
    expect([...preferred.tensors.keys()]).toEqual(['classifier.bias']);
    expect(preferred.ignored).toContain('state_dict');
    const onlyEma = readCheckpoint(writeTorchObject({ epoch: 3, state_dict_ema: emaSd }));
    expect(Array.from(onlyEma.tensors.get('classifier.bias')!.data)).toEqual([9, 9]);
    expect(onlyEma.ignored).toEqual(['epoch']);
  });

  it("takes the wrapped weights over a stray top-level tensor such as 'best_acc1'", () => {
    const ck = readCheckpoint(
      writeTorchCheckpoint(SMALL, { nest: 'state_dict', extra: { best_acc1: tensor({ shape: [], data: [76.1] }) } }),
    );
    expectSmall(ck.tensors);
    expect(ck.ignored).toContain('best_acc1');
  });

  it("strips 'module.' (DataParallel) and '_orig_mod.' (torch.compile) prefixes", () => {
    expectSmall(readCheckpoint(writeTorchCheckpoint(SMALL, { prefix: 'module.', nest: 'state_dict' })).tensors);
    const ck = readCheckpoint(writeTorchCheckpoint(SMALL, { prefix: '_orig_mod.module.' }));
    expectSmall(ck.tensors);
    expect(ck.ignored).toEqual(['bn1.num_batches_tracked']);
  });

  it('drops and reports thop counters and non-tensor entries inside the state_dict', () => {
    const ck = readCheckpoint(
      writeTorchCheckpoint(SMALL, {
        extra: {
          total_ops: tensor({ shape: [1], data: [1e9], dtype: 'float64' }),
          total_params: tensor({ shape: [1], data: [5e6], dtype: 'float64' }),
          'blocks.0.0.ghost1.gate_fn.total_ops': tensor({ shape: [1], data: [0], dtype: 'float64' }),
          'bn1.total_params': tensor({ shape: [1], data: [0], dtype: 'float64' }),
          note: 'not a tensor',
        },
      }),
    );
    expectSmall(ck.tensors);
    expect(ck.ignored).toEqual([
      'bn1.num_batches_tracked',
      'total_ops',
      'total_params',
      'blocks.0.0.ghost1.gate_fn.total_ops',
      'bn1.total_params',
      'note',
    ]);
  });

  it('reads timm train.py checkpoints, whose args are an argparse.Namespace', () => {
    const namespace = new RawValue((w) => {
      w.global('argparse', 'Namespace');
      w.op(0x29, 0x81); // EMPTY_TUPLE, NEWOBJ
      w.put();
      w.value({ model: 'ghostnet_100', lr: 0.4, amp: true, img_size: null, mean: new TupleValue([new FloatValue(0), 0.5]) });
      w.op(0x62); // BUILD
    });
    const ck = readCheckpoint(writeTorchCheckpoint(SMALL, { nest: 'state_dict', extra: { args: namespace, version: 2 } }));
    expectSmall(ck.tensors);
    expect(ck.ignored).toEqual(['args', 'version', 'bn1.num_batches_tracked']);
  });
});

// ---- safetensors -----------------------------------------------------------------------------

describe('safetensors', () => {
  const specs = {
    'module.conv.weight': { shape: [2, 1, 2, 2], data: seq(8) },
    'half.weight': { shape: [3], data: [0.5, 1 / 3, -65504], dtype: 'F16' as const },
    'bf.weight': { shape: [2], data: [3.14159, -1e-3], dtype: 'BF16' as const },
    'd.weight': { shape: [1], data: [0.1], dtype: 'F64' as const },
    'bn.num_batches_tracked': { shape: [], data: [10], dtype: 'I64' as const },
    'i.idx': { shape: [2], data: [-3, 7], dtype: 'I64' as const },
  };

  it('round-trips every supported dtype, skipping __metadata__ and stripping prefixes', () => {
    const bytes = writeSafetensors(specs, { metadata: { format: 'pt' } });
    expect(detectCheckpointFormat(bytes)).toBe('safetensors');
    const ck = readCheckpoint(bytes, 'model.bin');
    expect(ck.format).toBe('safetensors');
    expect([...ck.tensors.keys()]).toEqual(['conv.weight', 'half.weight', 'bf.weight', 'd.weight', 'i.idx']);
    expect(ck.ignored).toEqual(['bn.num_batches_tracked']);
    expect(ck.tensors.get('conv.weight')!.data).toEqual(seq(8));
    expect(ck.tensors.get('conv.weight')!.shape).toEqual([2, 1, 2, 2]);
    expect(Array.from(ck.tensors.get('half.weight')!.data)).toEqual(specs['half.weight'].data.map(roundHalf));
    expect(ck.tensors.get('half.weight')!.dtype).toBe('float16');
    expect(Array.from(ck.tensors.get('bf.weight')!.data)).toEqual(specs['bf.weight'].data.map(roundBf16));
    expect(Array.from(ck.tensors.get('d.weight')!.data)).toEqual([Math.fround(0.1)]);
    expect(Array.from(ck.tensors.get('i.idx')!.data)).toEqual([-3, 7]);
  });

  it('rejects malformed headers, each with its own message', () => {
    const withHeader = (edit: (h: Record<string, unknown>) => void) =>
      writeSafetensors({ a: { shape: [2], data: [1, 2] }, b: { shape: [1], data: [3] } }, { editHeader: edit });
    const messages = new Set<string>();
    const cases: [(h: Record<string, any>) => void, CheckpointErrorCode, RegExp][] = [
      [(h) => (h.a.shape = [3]), 'bad-safetensors', /spans 8 bytes but shape \[3\] of F32 needs 12/],
      [(h) => (h.b.data_offsets = [4, 8]), 'bad-safetensors', /overlap/],
      [(h) => (h.a.data_offsets = [8, 0]), 'bad-safetensors', /invalid data_offsets/],
      [(h) => (h.a.shape = [-2]), 'bad-safetensors', /invalid shape/],
      [(h) => (h.a.dtype = 'C64'), 'unsupported-dtype', /tensor a in x\.safetensors has dtype C64/],
      [(h) => (h.c = { dtype: 'F32', shape: [1], data_offsets: [12, 16] }), 'truncated', /^the file ends early: tensor c in x\.safetensors needs 16 data bytes but only 12/],
    ];
    for (const [edit, code, pattern] of cases) {
      const err = failure(() => readCheckpoint(withHeader(edit), 'x.safetensors'), code);
      expect(err.message).toMatch(pattern);
      messages.add(err.message);
    }
    expect(messages.size).toBe(cases.length);
  });

  it('reports truncated files and broken JSON', () => {
    const bytes = writeSafetensors(specs);
    failure(() => readCheckpoint(bytes.subarray(0, bytes.length - 3), 'a.safetensors'), 'truncated');
    const headerCut = failure(() => readCheckpoint(bytes.subarray(0, 40), 'a.safetensors'), 'truncated');
    expect(headerCut.message).toMatch(/^the file ends early: a\.safetensors announces/);
    const broken = bytes.slice();
    broken[9] = 0x7d; // '{}module.conv...': the object closes before its first key
    expect(failure(() => readCheckpoint(broken, 'a.safetensors'), 'bad-safetensors').message).toMatch(/not valid JSON/);
  });
});

// ---- the unpickler on its own ----------------------------------------------------------------

describe('unpickler', () => {
  // pickle.dumps({'a': [1, 2.5, 'xé\n', None, True, False], 'b': (1,), 'c': -7, 'big': 2**70,
  //               'neg': -2**40, 'bytes': b'\x00\xff'}, protocol=p) from CPython 3.11
  const PY = {
    0: '286470300a56610a70310a286c70320a49310a6146322e350a615678e95c75303030610a70330a614e614930310a614930300a617356620a70340a2849310a7470350a7356630a70360a492d370a73566269670a70370a4c313138303539313632303731373431313330333432344c0a73566e65670a70380a4c2d313039393531313632373737364c0a735662797465730a70390a635f636f646563730a656e636f64650a7031300a28565c7530303030ff0a7031310a566c6174696e310a7031320a747031330a527031340a732e',
    1: '7d71002858010000006171015d7102284b01474004000000000000580400000078c3a90a71034e4930310a4930300a655801000000627104284b0174710558010000006371064af9ffffff580300000062696771074c313138303539313632303731373431313330333432344c0a58030000006e656771084c2d313039393531313632373737364c0a580500000062797465737109635f636f646563730a656e636f64650a710a28580300000000c3bf710b58060000006c6174696e31710c74710d52710e752e',
    2: '80027d71002858010000006171015d7102284b01474004000000000000580400000078c3a90a71034e88896558010000006271044b0185710558010000006371064af9ffffff580300000062696771078a0900000000000000004058030000006e656771088a060000000000ff580500000062797465737109635f636f646563730a656e636f64650a710a580300000000c3bf710b58060000006c6174696e31710c86710d52710e752e',
    5: '8005955f000000000000007d94288c0161945d94284b014740040000000000008c0478c3a90a944e8889658c0162944b0185948c0163944af9ffffff8c03626967948a090000000000000000408c036e6567948a060000000000ff8c05627974657394430200ff94752e',
  };

  it.each(Object.entries(PY))('reads CPython protocol %s', (_, h) => {
    const v = unpickle(hex(h)) as Map<string, PyValue>;
    expect(v).toBeInstanceOf(Map);
    expect(v.get('a')).toEqual([1, 2.5, 'xé\n', null, true, false]);
    expect(v.get('b')).toEqual([1]);
    expect(Object.isFrozen(v.get('b'))).toBe(true);
    expect(v.get('c')).toBe(-7);
    expect(v.get('big')).toBe(2n ** 70n);
    expect(v.get('neg')).toBe(-(2 ** 40));
    expect(v.get('bytes')).toEqual(Uint8Array.from([0, 255]));
  });

  it('reads sets, frozensets and a protocol-0 OrderedDict', () => {
    // pickle.dumps({'s': {1, 2}, 'f': frozenset([3])}, protocol=4)
    const sets = unpickle(hex('8004951a000000000000007d94288c0173948f94284b014b02908c016694284b039194752e')) as Map<string, PyValue>;
    expect(sets.get('s')).toEqual(new Set([1, 2]));
    expect(sets.get('f')).toEqual(new Set([3]));
    // pickle.dumps(OrderedDict([('k', {1, 2})]), protocol=0)
    const od = unpickle(
      hex('63636f6c6c656374696f6e730a4f726465726564446963740a70300a28745270310a566b0a70320a635f5f6275696c74696e5f5f0a7365740a70330a28286c70340a49310a6149320a617470350a5270360a732e'),
    ) as Map<string, PyValue>;
    expect(od.get('k')).toEqual(new Set([1, 2]));
  });

  it('round-trips what our writer emits, in both protocols', () => {
    const value = { list: [1, 300, 70000, -1, 2 ** 40, 0.25, 'ünï'], t: new TupleValue([1, 2, 3, 4]), n: null };
    for (const protocol of [2, 4] as const) {
      const v = unpickle(writePickle(value, protocol)) as Map<string, PyValue>;
      expect(v.get('list')).toEqual([1, 300, 70000, -1, 2 ** 40, 0.25, 'ünï']);
      expect(v.get('t')).toEqual([1, 2, 3, 4]);
      expect(v.get('n')).toBeNull();
    }
  });

  it('keeps an argparse.Namespace as inert data', () => {
    const w = new PickleWriter(2);
    w.global('argparse', 'Namespace');
    w.op(0x29, 0x81);
    w.value({ lr: 0.1 });
    w.op(0x62);
    const ns = unpickle(w.finish());
    expect(ns).toBeInstanceOf(PyObject);
    expect(((ns as PyObject).state as Map<string, PyValue>).get('lr')).toBe(0.1);
  });

  it('keeps numpy scalars and arrays as inert data', () => {
    // pickle.dumps({'acc': np.float64(0.5), 'arr': np.arange(3)}, protocol=2), numpy 2.x module names
    const v = unpickle(
      hex('80027d71002858030000006163637101636e756d70792e5f636f72652e6d756c746961727261790a7363616c61720a7102636e756d70790a64747970650a71035802000000663871048988877105527106284b0358010000003c71074e4e4e4affffffff4affffffff4b0074710862635f636f646563730a656e636f64650a71095809000000000000000000c3a03f710a58060000006c6174696e31710b86710c52710d86710e52710f58030000006172727110636e756d70792e5f636f72652e6d756c746961727261790a5f7265636f6e7374727563740a7111636e756d70790a6e6461727261790a71124b0085711368095801000000627114680b867115527116877117527118284b014b03857119680358020000006938711a898887711b52711c284b0368074e4e4e4affffffff4affffffff4b0074711d628968095818000000000000000000000001000000000000000200000000000000711e680b86711f52712074712162752e'),
    ) as Map<string, PyValue>;
    expect(v.get('acc')).toBeInstanceOf(PyObject);
    expect((v.get('acc') as PyObject).cls.qualifiedName).toBe('numpy._core.multiarray.scalar');
    expect(v.get('arr')).toBeInstanceOf(PyObject);
  });

  it('rejects damaged streams', () => {
    const good = writePickle({ a: [1, 2] });
    expect(failure(() => unpickle(good.subarray(0, good.length - 4), { label: 'p' }), 'bad-pickle').message).toMatch(/stops/);
    expect(failure(() => unpickle(Uint8Array.from([0x80, 0x02, 0xff]), { label: 'p' }), 'bad-pickle').message).toMatch(/unknown pickle opcode 0xff at byte 2/);
    expect(failure(() => unpickle(Uint8Array.from([0x80, 0x02, 0x68, 0x05, 0x2e])), 'bad-pickle').message).toMatch(/memo entry 5/);
    expect(failure(() => unpickle(Uint8Array.from([0x80, 0x02, 0x30, 0x2e])), 'bad-pickle').message).toMatch(/underflow/);
    expect(failure(() => unpickle(Uint8Array.from([0x80, 0x02, 0x29, 0x4b, 0x01, 0x61, 0x2e])), 'bad-pickle').message).toMatch(/APPEND on a tuple/);
  });
});

// ---- bad input: one code and one message per case --------------------------------------------

describe('bad input', () => {
  const messages = new Map<string, string>();
  const check = (name: string, bytes: Uint8Array, code: CheckpointErrorCode, pattern: RegExp, fileName = 'x.pth') => {
    const err = failure(() => readCheckpoint(bytes, fileName), code);
    expect(err.message).toMatch(pattern);
    messages.set(name, err.message);
    return err;
  };

  /** A torch archive with hand-picked entries. */
  const archive = (pkl: Uint8Array, extra: { name: string; data: Uint8Array }[] = []) =>
    writeZip([{ name: 'archive/data.pkl', data: pkl }, ...extra, { name: 'archive/version', data: enc.encode('3\n') }]);

  /** data.pkl = {'w': <tensor>} with the tensor's opcodes written by `emit`. */
  const pickleWith = (emit: (w: PickleWriter) => void) => writePickle({ w: new RawValue(emit) });

  it('empty, truncated and foreign files', () => {
    check('empty', new Uint8Array(0), 'empty', /^x\.pth is empty \(0 bytes\)$/);
    const full = writeTorchCheckpoint(SMALL);
    check('truncated zip', full.subarray(0, Math.floor(full.length / 2)), 'truncated', /^the file ends early: x\.pth starts like a PyTorch checkpoint \(zip\)/);
    check('tiny zip', Uint8Array.from([0x50, 0x4b]), 'truncated', /^the file ends early: x\.pth has only 2 bytes$/);
    check('random', enc.encode('hello, this is not a checkpoint at all'), 'not-a-checkpoint',
      /^x\.bin is neither a PyTorch checkpoint \(zip\) nor a safetensors file$/, 'dir/x.bin');
    check('lfs', enc.encode('version https://git-lfs.github.com/spec/v1\noid sha256:abc\nsize 20000000\n'), 'not-a-checkpoint', /git lfs pull/);
    check('html', enc.encode('<!DOCTYPE html><html><body>404</body></html>'), 'not-a-checkpoint', /HTML page/);
    check('bare pickle', writePickle({ a: 1 }), 'not-a-checkpoint', /bare Python pickle/);
  });

  it('legacy (pre-1.6) torch files', () => {
    // torch.save(..., _use_new_zipfile_serialization=False) starts with PROTO 2, LONG1 <magic number>.
    const legacy = Uint8Array.from([0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19, 0x2e, 0x80, 0x02]);
    const err = check('legacy', legacy, 'legacy-format', /legacy pre-1\.6 \(non-zip\) format/);
    expect(err.message).toContain('torch>=1.6');
    expect(err.message).toContain('_use_new_zipfile_serialization=True');
  });

  it('refuses forbidden globals before using them', () => {
    const err = check('os.system', writeMaliciousCheckpoint(), 'forbidden-global', /^refusing to load global os\.system: a state_dict never contains it/);
    expect(err.message).toContain('x.pth');
    check('os.system p4', writeMaliciousCheckpoint('id', { protocol: 4 }), 'forbidden-global', /global os\.system:/, 'y.pth');
    // Python 2 spelling __builtin__ is mapped to builtins before the check.
    check('eval', archive(pickleWith((w) => w.global('__builtin__', 'eval'))), 'forbidden-global', /global builtins\.eval:/);
    // A forbidden global deep inside non-weight entries is refused too: nothing is skipped unread.
    const nested = writeTorchCheckpoint(SMALL, { nest: 'state_dict', extra: { hook: new RawValue((w) => w.global('subprocess', 'Popen')) } });
    check('nested', nested, 'forbidden-global', /global subprocess\.Popen:/);
    const model = check('whole model', archive(pickleWith((w) => w.global('timm.models.ghostnet', 'GhostNet'))), 'forbidden-global',
      /global timm\.models\.ghostnet\.GhostNet: a state_dict never contains it/);
    expect(model.message).toContain('model.state_dict()');
    check('qtensor', archive(pickleWith((w) => w.global('torch._utils', '_rebuild_qtensor'))), 'unsupported-tensor', /quantized/);
  });

  it('bad storage references and tensor views', () => {
    const data0 = { name: 'archive/data/0', data: new Uint8Array(16) };
    // ('storage', torch.FloatStorage, '0', 'cpu', 4) -> _rebuild_tensor_v2(storage, offset, size, stride, False, OrderedDict())
    const tensorOps = (opts: { pidClass?: [string, string]; numel?: number; offset?: number; shape?: number[]; stride?: number[] }) =>
      pickleWith((w) => {
        w.global('torch._utils', '_rebuild_tensor_v2');
        w.op(0x28, 0x28);
        w.str('storage');
        w.global(...(opts.pidClass ?? ['torch', 'FloatStorage']));
        w.str('0');
        w.str('cpu');
        w.int(opts.numel ?? 4);
        w.op(0x74, 0x51);
        w.int(opts.offset ?? 0);
        w.tuple((opts.shape ?? [4]).map((d) => () => w.int(d)));
        w.tuple((opts.stride ?? [1]).map((d) => () => w.int(d)));
        w.op(0x89);
        w.emptyOrderedDict();
        w.op(0x74, 0x52);
      });
    // sanity: the well-formed version reads
    expect(readCheckpoint(archive(tensorOps({}), [data0])).tensors.get('w')!.data).toEqual(new Float32Array(4));

    check('missing storage', archive(tensorOps({})), 'bad-storage', /tensor storage data\/0 is missing from x\.pth/);
    check('short storage', archive(tensorOps({ numel: 8 }), [data0]), 'bad-storage', /holds 16 bytes but its 8 float32 elements need 32/);
    check('pid class', archive(tensorOps({ pidClass: ['collections', 'OrderedDict'] }), [data0]), 'bad-storage', /malformed tensor storage reference/);
    check('view past end', archive(tensorOps({ offset: 2, shape: [2, 2], stride: [2, 1] }), [data0]), 'bad-tensor',
      /tensor w in x\.pth reads element 5 of storage data\/0, which holds only 4/);
    check('shape/stride mismatch', archive(tensorOps({ shape: [2, 2], stride: [1] }), [data0]), 'bad-tensor', /invalid offset, size or stride/);
    check('not a storage', archive(pickleWith((w) => {
      w.global('torch._utils', '_rebuild_tensor_v2');
      w.tuple([() => w.str('storage'), () => w.int(0), () => w.tuple([]), () => w.tuple([])]);
      w.op(0x52);
    })), 'bad-storage', /rebuilt from a str instead of a storage reference/);
  });

  it('zips that are not checkpoints, TorchScript, damaged pickles, no tensors', () => {
    check('no data.pkl', writeZip([{ name: 'readme.txt', data: enc.encode('hi') }]), 'not-a-checkpoint', /is a zip archive but not a PyTorch checkpoint: it has no data\.pkl/);
    check('torchscript', writeZip([
      { name: 'model/data.pkl', data: writePickle(null) },
      { name: 'model/constants.pkl', data: writePickle(new TupleValue([])) },
      { name: 'model/code/__torch__/model.py', data: enc.encode('class Model: ...') },
    ]), 'torchscript', /TorchScript archive \(torch\.jit\.save\)/);
    const pkl = writePickle({ a: 1 });
    check('cut pickle', archive(pkl.subarray(0, pkl.length - 2)), 'bad-pickle', /archive\/data\.pkl in x\.pth is damaged: the pickle stream stops/);
    check('no tensors', writeTorchObject({ epoch: 3, acc: 0.9 }), 'no-tensors', /holds no state_dict: .*\(top-level keys: epoch, acc\)/);
    check('single tensor', writeTorchObject(tensor({ shape: [2], data: [1, 2] })), 'no-tensors', /holds a single tensor, not a state_dict/);
    check('only counters', writeTorchCheckpoint({ 'bn.num_batches_tracked': { shape: [], data: [1], dtype: 'int64' } }), 'no-tensors', /holds no weight tensors/);
    check('duplicate', writeTorchCheckpoint({ 'module.a': { shape: [1], data: [1] }, a: { shape: [1], data: [2] } }), 'duplicate-key',
      /has both module\.a and a, which name the same weight a/);
  });

  it('gives every case its own message', () => {
    const all = [...messages.values()];
    expect(all.length).toBeGreaterThan(20);
    expect(new Set(all).size).toBe(all.length);
  });
});
