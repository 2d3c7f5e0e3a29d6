/**
 * Writers of our own that produce what torch.save and safetensors write, byte for byte in
 * structure, so the reader can be tested without Python:
 *
 * - the zip layout of torch >= 1.6 (checked against torch 1.13's output): STORED entries with flag
 *   bit 3 and a trailing data descriptor, local headers padded with an 'FB' extra field so that data
 *   starts on a 64-byte boundary, zip64 end records, `<stem>/data.pkl`, `<stem>/data/<key>`,
 *   `<stem>/version` = '3\n' and optionally `<stem>/byteorder`;
 * - data.pkl in protocol 2 (GLOBAL, BINPUT/BINGET, TUPLE1-3) like torch.save's default, or in
 *   protocol 4 (FRAME, SHORT_BINUNICODE, MEMOIZE, STACK_GLOBAL) like `pickle_protocol=4`;
 * - tensors as `torch._utils._rebuild_tensor_v2` with persistent ids
 *   ('storage', torch.FloatStorage, '0', 'cpu', numel), state_dicts as OrderedDict;
 * - safetensors files, and a malicious pickle (GLOBAL os.system).
 */
import { deflateSync } from 'fflate';
import { toHalf as floatToHalfBits } from '../../src/model/manifest.js';

// ---- values ------------------------------------------------------------------------------------

export type TorchDtype = 'float32' | 'float16' | 'bfloat16' | 'float64' | 'int64';

export interface TensorSpec {
  shape: number[];
  /**
   * Row-major values. When `stride` or `storageOffset` is given, the whole storage instead (the
   * view then reads `shape`/`stride` from `storageOffset`), which is how non-contiguous tensors
   * are written.
   */
  data: Float32Array | ArrayLike<number>;
  dtype?: TorchDtype;
  stride?: number[];
  storageOffset?: number;
  /** Tensors with the same storageKey share one storage (the first one's data is written). */
  storageKey?: string;
  /** Wrap in torch._utils._rebuild_parameter, as nn.Parameter objects are pickled. */
  parameter?: boolean;
}

/** A tensor inside an arbitrary pickled object (see writeTorchObject). */
export class TensorValue {
  constructor(readonly spec: TensorSpec) {}
}

/** An OrderedDict (what model.state_dict() returns); `metadata` adds the `_metadata` BUILD state. */
export class OrderedDictValue {
  constructor(
    readonly entries: [PickleKey, PickleValue][],
    readonly metadata = false,
  ) {}
}

/** A Python tuple (arrays are lists). */
export class TupleValue {
  constructor(readonly items: PickleValue[]) {}
}

/** A float that happens to be integral (1.0), which `number` alone would write as an int. */
export class FloatValue {
  constructor(readonly value: number) {}
}

/** Opcodes written by hand (objects the other value kinds cannot express, hostile streams). */
export class RawValue {
  constructor(readonly emit: (w: PickleWriter) => void) {}
}

export type PickleKey = string | number;
export type PickleValue =
  | null
  | boolean
  | number
  | string
  | PickleValue[]
  | { [key: string]: PickleValue }
  | TensorValue
  | OrderedDictValue
  | TupleValue
  | FloatValue
  | RawValue;

export const tensor = (spec: TensorSpec): TensorValue => new TensorValue(spec);

// ---- element encoding ------------------------------------------------------------------------

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** float32 → IEEE binary16 bits, round to nearest even (what torch's .half() does). */
export { floatToHalfBits };

/** float32 → bfloat16 bits, round to nearest even. */
export function floatToBfloat16Bits(value: number): number {
  f32[0] = value;
  const u = u32[0];
  if (Number.isNaN(value)) return 0x7fc0;
  return ((u + 0x7fff + ((u >>> 16) & 1)) >>> 16) & 0xffff;
}

const ITEM: Record<TorchDtype, number> = { float32: 4, float16: 2, bfloat16: 2, float64: 8, int64: 8 };

export function encodeValues(values: ArrayLike<number>, dtype: TorchDtype, littleEndian = true): Uint8Array {
  const out = new Uint8Array(values.length * ITEM[dtype]);
  const view = new DataView(out.buffer);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    switch (dtype) {
      case 'float32':
        view.setFloat32(i * 4, v, littleEndian);
        break;
      case 'float16':
        view.setUint16(i * 2, floatToHalfBits(v), littleEndian);
        break;
      case 'bfloat16':
        view.setUint16(i * 2, floatToBfloat16Bits(v), littleEndian);
        break;
      case 'float64':
        view.setFloat64(i * 8, v, littleEndian);
        break;
      case 'int64':
        view.setBigInt64(i * 8, BigInt(Math.trunc(v)), littleEndian);
        break;
    }
  }
  return out;
}

const STORAGE_CLASS: Record<TorchDtype, string> = {
  float32: 'FloatStorage',
  float16: 'HalfStorage',
  bfloat16: 'BFloat16Storage',
  float64: 'DoubleStorage',
  int64: 'LongStorage',
};

function contiguousStride(shape: number[]): number[] {
  const stride = new Array<number>(shape.length);
  let s = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    stride[d] = s;
    s *= shape[d];
  }
  return stride;
}

// ---- pickle ----------------------------------------------------------------------------------

interface StorageOut {
  key: string;
  dtype: TorchDtype;
  values: ArrayLike<number>;
}

const text = new TextEncoder();

/** Emits opcodes the way CPython's pickler does for these types (memoizing as it goes). */
export class PickleWriter {
  private readonly out: number[] = [];
  private memoCount = 0;
  private readonly memoized = new Map<string, number>();
  readonly storages: StorageOut[] = [];
  private readonly storageKeys = new Map<string, StorageOut>();

  constructor(readonly protocol: 2 | 4 = 2) {}

  op(...bytes: number[]): this {
    for (const b of bytes) this.out.push(b);
    return this;
  }

  private raw(bytes: Uint8Array): void {
    for (const b of bytes) this.out.push(b);
  }

  private u32(n: number): void {
    this.op(n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff);
  }

  /** Remember the value on top of the stack (BINPUT in protocol 2, MEMOIZE in 4). */
  put(): number {
    const index = this.memoCount++;
    if (this.protocol >= 4) this.op(0x94);
    else if (index < 256) this.op(0x71, index);
    else {
      this.op(0x72);
      this.u32(index);
    }
    return index;
  }

  get(index: number): void {
    if (index < 256) this.op(0x68, index);
    else {
      this.op(0x6a);
      this.u32(index);
    }
  }

  /** Strings and globals are memoized once and fetched with BINGET after that, as CPython does for interned objects. */
  private cached(key: string, emit: () => void): void {
    const hit = this.memoized.get(key);
    if (hit !== undefined) return this.get(hit);
    emit();
    this.memoized.set(key, this.put());
  }

  str(s: string): void {
    this.cached(`s:${s}`, () => {
      const b = text.encode(s);
      if (this.protocol >= 4 && b.length < 256) this.op(0x8c, b.length);
      else {
        this.op(0x58);
        this.u32(b.length);
      }
      this.raw(b);
    });
  }

  global(module: string, name: string): void {
    this.cached(`g:${module}.${name}`, () => {
      if (this.protocol >= 4) {
        this.str(module);
        this.str(name);
        this.op(0x93);
      } else {
        this.op(0x63);
        this.raw(text.encode(`${module}\n${name}\n`));
      }
    });
  }

  int(n: number): void {
    if (n >= 0 && n < 256) this.op(0x4b, n);
    else if (n >= 0 && n < 65536) this.op(0x4d, n & 0xff, n >> 8);
    else if (n >= -0x80000000 && n <= 0x7fffffff) {
      this.op(0x4a);
      this.u32(n >>> 0);
    } else {
      // LONG1: little-endian two's complement, as short as possible.
      let v = BigInt(n);
      const bytes: number[] = [];
      for (;;) {
        bytes.push(Number(v & 0xffn));
        v >>= 8n;
        const sign = bytes[bytes.length - 1] & 0x80;
        if ((v === 0n && !sign) || (v === -1n && sign)) break;
      }
      this.op(0x8a, bytes.length, ...bytes);
    }
  }

  float(x: number): void {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setFloat64(0, x, false);
    this.op(0x47);
    this.raw(b);
  }

  tuple(items: (() => void)[]): void {
    if (items.length === 0) {
      this.op(0x29);
      return;
    }
    if (items.length <= 3) {
      items.forEach((f) => f());
      this.op(0x84 + items.length);
    } else {
      this.op(0x28);
      items.forEach((f) => f());
      this.op(0x74);
    }
    this.put();
  }

  emptyOrderedDict(): void {
    this.global('collections', 'OrderedDict');
    this.op(0x29, 0x52);
    this.put();
  }

  private storage(spec: TensorSpec, dtype: TorchDtype): StorageOut {
    const shared = spec.storageKey !== undefined ? this.storageKeys.get(spec.storageKey) : undefined;
    if (shared) return shared;
    const s: StorageOut = { key: String(this.storages.length), dtype, values: spec.data };
    this.storages.push(s);
    if (spec.storageKey !== undefined) this.storageKeys.set(spec.storageKey, s);
    return s;
  }

  tensor(spec: TensorSpec): void {
    const dtype = spec.dtype ?? 'float32';
    const storage = this.storage(spec, dtype);
    const stride = spec.stride ?? contiguousStride(spec.shape);
    if (spec.parameter) this.global('torch._utils', '_rebuild_parameter');
    this.global('torch._utils', '_rebuild_tensor_v2');
    this.op(0x28); // MARK: the argument tuple
    this.op(0x28); // MARK: the persistent id tuple
    this.str('storage');
    this.global('torch', STORAGE_CLASS[dtype]);
    this.str(storage.key);
    this.str('cpu');
    this.int(storage.values.length);
    this.op(0x74);
    this.put();
    this.op(0x51); // BINPERSID
    this.int(spec.storageOffset ?? 0);
    this.tuple(spec.shape.map((d) => () => this.int(d)));
    this.tuple(stride.map((d) => () => this.int(d)));
    this.op(0x89); // requires_grad=False
    this.emptyOrderedDict(); // backward_hooks
    this.op(0x74);
    this.put();
    this.op(0x52); // REDUCE
    this.put();
    if (spec.parameter) {
      this.op(0x88); // requires_grad=True
      this.emptyOrderedDict();
      this.op(0x87, 0x52); // TUPLE3, REDUCE
      this.put();
    }
  }

  value(v: PickleValue): void {
    if (v === null) this.op(0x4e);
    else if (v === true) this.op(0x88);
    else if (v === false) this.op(0x89);
    else if (typeof v === 'number') {
      if (Number.isInteger(v)) this.int(v);
      else this.float(v);
    } else if (typeof v === 'string') this.str(v);
    else if (v instanceof FloatValue) this.float(v.value);
    else if (v instanceof RawValue) v.emit(this);
    else if (v instanceof TensorValue) this.tensor(v.spec);
    else if (v instanceof TupleValue) this.tuple(v.items.map((item) => () => this.value(item)));
    else if (Array.isArray(v)) {
      this.op(0x5d);
      this.put();
      if (v.length) {
        this.op(0x28);
        v.forEach((item) => this.value(item));
        this.op(0x65);
      }
    } else if (v instanceof OrderedDictValue) {
      this.emptyOrderedDict();
      this.items(v.entries);
      if (v.metadata) {
        // model.state_dict() carries `_metadata` (module versions) in the OrderedDict's __dict__.
        this.op(0x7d);
        this.put();
        this.str('_metadata');
        this.emptyOrderedDict();
        this.items([['', { version: 1 }]]);
        this.op(0x73, 0x62); // SETITEM, BUILD
      }
    } else {
      this.op(0x7d);
      this.put();
      this.items(Object.entries(v));
    }
  }

  private items(entries: [PickleKey, PickleValue][]): void {
    if (entries.length === 0) return;
    if (entries.length === 1) {
      this.value(entries[0][0]);
      this.value(entries[0][1]);
      this.op(0x73);
      return;
    }
    this.op(0x28);
    for (const [k, val] of entries) {
      this.value(k);
      this.value(val);
    }
    this.op(0x75);
  }

  /** The finished stream: PROTO, (FRAME,) body, STOP. */
  finish(): Uint8Array {
    const body = [...this.out, 0x2e];
    const head = [0x80, this.protocol];
    if (this.protocol >= 4) {
      // One frame holding everything after it, STOP included, as CPython writes small pickles.
      const frame = new Uint8Array(9);
      frame[0] = 0x95;
      new DataView(frame.buffer).setBigUint64(1, BigInt(body.length), true);
      head.push(...frame);
    }
    return Uint8Array.from([...head, ...body]);
  }
}

/** Pickle any value (no storages) — for unpickler tests. */
export function writePickle(value: PickleValue, protocol: 2 | 4 = 2): Uint8Array {
  const w = new PickleWriter(protocol);
  w.value(value);
  return w.finish();
}

// ---- zip -------------------------------------------------------------------------------------

let crcTable: Uint32Array | null = null;

export function crc32(data: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (let i = 0; i < data.length; i++) c = crcTable[(c ^ data[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

export interface ZipOptions {
  /** DEFLATE the entries (torch never does; a hand re-zipped file might). */
  compress?: boolean;
  /** Data alignment torch uses (64); 0 for none. */
  align?: number;
}

/** A zip laid out like PyTorch's writer (miniz with zip64 end records). */
export function writeZip(entries: { name: string; data: Uint8Array }[], opts: ZipOptions = {}): Uint8Array {
  const align = opts.align ?? 64;
  const chunks: Uint8Array[] = [];
  let offset = 0;
  const push = (b: Uint8Array) => {
    chunks.push(b);
    offset += b.length;
  };
  const central: Uint8Array[] = [];
  const method = opts.compress ? 8 : 0;

  for (const { name, data } of entries) {
    const nameBytes = text.encode(name);
    const stored = opts.compress ? deflateSync(data) : data;
    const crc = crc32(data);
    const localOffset = offset;
    let extraLength = 0;
    if (align > 0) {
      const dataStart = offset + 30 + nameBytes.length;
      extraLength = (align - ((dataStart + 4) % align)) % align + 4; // 'FB' + u16 length + 'Z' padding
    }
    const local = new Uint8Array(30 + nameBytes.length + extraLength);
    const lv = new DataView(local.buffer);
    lv.setUint32(0, 0x04034b50, true);
    lv.setUint16(4, 0, true); // version needed (torch writes 0)
    lv.setUint16(6, 0x0808, true); // data descriptor follows; UTF-8 names
    lv.setUint16(8, method, true);
    // time, date, crc, sizes: zero, as with flag bit 3
    lv.setUint16(26, nameBytes.length, true);
    lv.setUint16(28, extraLength, true);
    local.set(nameBytes, 30);
    if (extraLength) {
      const e = 30 + nameBytes.length;
      local[e] = 0x46; // 'F'
      local[e + 1] = 0x42; // 'B'
      lv.setUint16(e + 2, extraLength - 4, true);
      local.fill(0x5a, e + 4); // 'Z'
    }
    push(local);
    push(stored);
    const descriptor = new Uint8Array(16);
    const dv = new DataView(descriptor.buffer);
    dv.setUint32(0, 0x08074b50, true);
    dv.setUint32(4, crc, true);
    dv.setUint32(8, stored.length, true);
    dv.setUint32(12, data.length, true);
    push(descriptor);

    const cd = new Uint8Array(46 + nameBytes.length);
    const cv = new DataView(cd.buffer);
    cv.setUint32(0, 0x02014b50, true);
    cv.setUint16(8, 0x0808, true);
    cv.setUint16(10, method, true);
    cv.setUint32(16, crc, true);
    cv.setUint32(20, stored.length, true);
    cv.setUint32(24, data.length, true);
    cv.setUint16(28, nameBytes.length, true);
    cv.setUint32(42, localOffset, true);
    cd.set(nameBytes, 46);
    central.push(cd);
  }

  const cdOffset = offset;
  for (const cd of central) push(cd);
  const cdSize = offset - cdOffset;
  const n = entries.length;

  const end = new Uint8Array(56 + 20 + 22);
  const ev = new DataView(end.buffer);
  const eocd64 = offset;
  ev.setUint32(0, 0x06064b50, true);
  ev.setBigUint64(4, 44n, true);
  ev.setUint16(12, 0x031e, true);
  ev.setUint16(14, 0x2d, true);
  ev.setBigUint64(24, BigInt(n), true);
  ev.setBigUint64(32, BigInt(n), true);
  ev.setBigUint64(40, BigInt(cdSize), true);
  ev.setBigUint64(48, BigInt(cdOffset), true);
  ev.setUint32(56, 0x07064b50, true);
  ev.setBigUint64(64, BigInt(eocd64), true);
  ev.setUint32(72, 1, true);
  ev.setUint32(76, 0x06054b50, true);
  ev.setUint16(84, n, true);
  ev.setUint16(86, n, true);
  ev.setUint32(88, cdSize, true);
  ev.setUint32(92, cdOffset, true);
  push(end);

  const out = new Uint8Array(offset);
  let p = 0;
  for (const c of chunks) {
    out.set(c, p);
    p += c.length;
  }
  return out;
}

// ---- torch.save ------------------------------------------------------------------------------

export interface TorchWriteOptions {
  /** The archive's top folder (torch uses the file's stem). Default 'archive'. */
  stem?: string;
  protocol?: 2 | 4;
  /** Write `<stem>/byteorder`; 'big' also stores the storages big-endian. Default: no file (torch 1.13). */
  byteorder?: 'little' | 'big';
  compress?: boolean;
  align?: number;
}

/** torch.save(obj) for any object built from PickleValue. */
export function writeTorchObject(obj: PickleValue, opts: TorchWriteOptions = {}): Uint8Array {
  const stem = opts.stem ?? 'archive';
  const w = new PickleWriter(opts.protocol ?? 2);
  w.value(obj);
  const pkl = w.finish();
  const le = opts.byteorder !== 'big';
  const entries = [{ name: `${stem}/data.pkl`, data: pkl }];
  if (opts.byteorder) entries.push({ name: `${stem}/byteorder`, data: text.encode(opts.byteorder) });
  for (const s of w.storages) {
    entries.push({ name: `${stem}/data/${s.key}`, data: encodeValues(s.values, s.dtype, le) });
  }
  entries.push({ name: `${stem}/version`, data: text.encode('3\n') });
  return writeZip(entries, { compress: opts.compress, align: opts.align });
}

export interface CheckpointWriteOptions extends TorchWriteOptions {
  /** Nest the state_dict: 'state_dict' → {'state_dict': sd, ...extra}; an array nests deeper. */
  nest?: string | string[];
  /** Prepended to every key ('module.' as DataParallel does). */
  prefix?: string;
  /** Extra entries beside the state_dict (or inside it when not nested): epoch, optimizer, thop keys... */
  extra?: Record<string, PickleValue>;
  /** A plain dict instead of OrderedDict. */
  plainDict?: boolean;
  /** Add model.state_dict()'s `_metadata` BUILD state. */
  metadata?: boolean;
}

export type TensorSpecs = Record<string, TensorSpec>;

/** torch.save(state_dict) or torch.save({'state_dict': state_dict, ...}), as torch 1.13 writes it. */
export function writeTorchCheckpoint(tensors: TensorSpecs, opts: CheckpointWriteOptions = {}): Uint8Array {
  const prefix = opts.prefix ?? '';
  const entries: [PickleKey, PickleValue][] = Object.entries(tensors).map(([k, spec]) => [prefix + k, tensor(spec)]);
  const nests = opts.nest === undefined ? [] : Array.isArray(opts.nest) ? opts.nest : [opts.nest];
  if (nests.length === 0 && opts.extra) entries.push(...Object.entries(opts.extra));
  let obj: PickleValue = opts.plainDict ? Object.fromEntries(entries) : new OrderedDictValue(entries, opts.metadata);
  for (let i = nests.length - 1; i >= 0; i--) {
    obj = i === 0 && opts.extra ? { [nests[i]]: obj, ...opts.extra } : { [nests[i]]: obj };
  }
  return writeTorchObject(obj, opts);
}

/** A torch-looking archive whose data.pkl calls os.system: the classic malicious .pth. */
export function writeMaliciousCheckpoint(command = 'echo pwned', opts: { stem?: string; protocol?: 2 | 4 } = {}): Uint8Array {
  const w = new PickleWriter(opts.protocol ?? 2);
  w.global('os', 'system');
  w.str(command);
  w.op(0x85, 0x52); // TUPLE1, REDUCE
  return writeZip([
    { name: `${opts.stem ?? 'archive'}/data.pkl`, data: w.finish() },
    { name: `${opts.stem ?? 'archive'}/version`, data: text.encode('3\n') },
  ]);
}

// ---- safetensors -----------------------------------------------------------------------------

export type SafetensorsDtype = 'F32' | 'F16' | 'BF16' | 'F64' | 'I64';

const SAFE_TO_TORCH: Record<SafetensorsDtype, TorchDtype> = {
  F32: 'float32',
  F16: 'float16',
  BF16: 'bfloat16',
  F64: 'float64',
  I64: 'int64',
};

export interface SafetensorsSpec {
  shape: number[];
  data: Float32Array | ArrayLike<number>;
  dtype?: SafetensorsDtype;
}

export interface SafetensorsWriteOptions {
  metadata?: Record<string, string>;
  /** Edit the header before it is written (for malformed-file tests). */
  editHeader?: (header: Record<string, unknown>) => void;
}

export function writeSafetensors(tensors: Record<string, SafetensorsSpec>, opts: SafetensorsWriteOptions = {}): Uint8Array {
  const header: Record<string, unknown> = {};
  if (opts.metadata) header.__metadata__ = opts.metadata;
  const blobs: Uint8Array[] = [];
  let offset = 0;
  for (const [name, spec] of Object.entries(tensors)) {
    const dtype = spec.dtype ?? 'F32';
    const bytes = encodeValues(spec.data, SAFE_TO_TORCH[dtype]);
    header[name] = { dtype, shape: spec.shape, data_offsets: [offset, offset + bytes.length] };
    blobs.push(bytes);
    offset += bytes.length;
  }
  opts.editHeader?.(header);
  const raw = text.encode(JSON.stringify(header));
  const jsonBytes = new Uint8Array(raw.length + ((8 - (raw.length % 8)) % 8)).fill(0x20); // padded with spaces to 8 bytes, as the reference writer does
  jsonBytes.set(raw);
  const out = new Uint8Array(8 + jsonBytes.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(jsonBytes.length), true);
  out.set(jsonBytes, 8);
  let p = 8 + jsonBytes.length;
  for (const b of blobs) {
    out.set(b, p);
    p += b.length;
  }
  return out;
}
