/**
 * A small, safe unpickler for what torch.save writes.
 *
 * Python's pickle is a little stack machine whose GLOBAL + REDUCE opcodes call arbitrary functions;
 * that is how a malicious .pth runs `os.system`. This interpreter never runs anything: it knows a
 * short allow-list of globals (those a state_dict or a training checkpoint needs) and emulates each
 * of them in TypeScript. Any other global stops the load with a 'forbidden-global' error as soon as
 * the GLOBAL opcode names it, before anything could use it.
 *
 * Tensors are not decoded here: `_rebuild_tensor_v2(storage, offset, size, stride, ...)` becomes a
 * lazy TensorRef, and storages come from the caller's `persistentLoad` (torch stores them as separate
 * zip entries), so an optimizer state next to the weights costs nothing until someone asks for it.
 *
 * Opcodes: protocols 0-5, minus the extension registry and out-of-band buffers (torch never uses
 * them in checkpoints).
 *
 * What it builds is bounded: every value created and every element copied into a container counts
 * against MAX_PICKLE_VALUES, and integers are limited in size, so a crafted stream (a "billion
 * laughs" of lists that hold the previous list twice, a million REDUCEs copying one big list) is
 * refused quickly instead of eating memory. Shared references stay shared; `pyRepr` prints any
 * value within a fixed budget.
 */
import { CheckpointError, printable, type CheckpointErrorCode } from './errors';
import { STORAGE_CLASS_DTYPE, type Dtype } from './dtypes';

export type PyValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | Uint8Array
  | PyValue[]
  | PyDict
  | PySet
  | PyGlobal
  | PyObject
  | StorageRef
  | TensorRef;

/** dict and OrderedDict (insertion order is what Python's OrderedDict guarantees too). */
export type PyDict = Map<PyValue, PyValue>;
export type PySet = Set<PyValue>;

/** A reference to an allow-listed Python global. Holding one is inert; only `call` gives it meaning. */
export class PyGlobal {
  constructor(
    readonly module: string,
    readonly name: string,
  ) {}

  get qualifiedName(): string {
    return `${this.module}.${this.name}`;
  }
}

/** An instance of an allowed plain-data class (argparse.Namespace, numpy scalars): data only, never run. */
export class PyObject {
  state: PyValue = null;

  constructor(
    readonly cls: PyGlobal,
    readonly args: PyValue[],
  ) {}
}

/** One torch storage: a flat run of `numel` elements of `dtype`, stored as zip entry data/<key>. */
export class StorageRef {
  constructor(
    readonly key: string,
    readonly dtype: Dtype,
    readonly numel: number,
    readonly location: string,
  ) {}
}

/** A tensor as torch pickles it: a strided view of a storage. Decoded later, on demand. */
export class TensorRef {
  constructor(
    readonly storage: StorageRef,
    readonly offset: number,
    readonly shape: number[],
    readonly stride: number[],
  ) {}

  get dtype(): Dtype {
    return this.storage.dtype;
  }
}

/** Tuples are frozen arrays: they behave as lists for reading, and APPEND on one is an error. */
function tuple(items: PyValue[]): PyValue[] {
  return Object.freeze(items) as PyValue[];
}

export interface UnpickleOptions {
  /** Resolves BINPERSID/PERSID ids; torch uses ('storage', StorageClass, key, location, numel). */
  persistentLoad?: (pid: PyValue) => PyValue;
  /** Names the stream in messages, e.g. "archive/data.pkl in ghostnet_1x.pth". */
  label?: string;
}

/**
 * Values an unpickled checkpoint may create. A state_dict with a full optimizer state and training
 * arguments stays far below (tens of thousands); the bound only stops crafted streams.
 */
export const MAX_PICKLE_VALUES = 2_000_000;
/** Python ints in a checkpoint are counters and sizes; 64 bytes (512 bits) is far beyond them. */
const MAX_LONG_BYTES = 64;

/**
 * A short, bounded description of a value for messages: strings escaped and cut, containers shown
 * two levels deep with their first items. Never walks more than a few dozen nodes, however deep or
 * shared the structure is.
 */
export function pyRepr(value: PyValue, depth = 2): string {
  if (typeof value === 'string') return `'${printable(value, 60)}'`;
  if (typeof value === 'number' || typeof value === 'bigint') return String(value).slice(0, 40);
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (value === null) return 'None';
  if (Array.isArray(value)) {
    const [open, close] = Object.isFrozen(value) ? ['(', ')'] : ['[', ']'];
    if (depth <= 0) return `${open}…${value.length} items${close}`;
    const items = value.slice(0, 3).map((v) => pyRepr(v, depth - 1));
    if (value.length > 3) items.push(`…${value.length - 3} more`);
    return `${open}${items.join(', ')}${close}`;
  }
  return describe(value);
}

// ---- the allow-list --------------------------------------------------------------------------

const REBUILD_TENSOR = new Set(['torch._utils._rebuild_tensor', 'torch._utils._rebuild_tensor_v2']);
const REBUILD_PARAMETER = new Set([
  'torch._utils._rebuild_parameter',
  'torch._utils._rebuild_parameter_with_state',
]);
/** torch 2.x wraps tensors that carry Python attributes: (rebuild_fn, type, args, state). */
const REBUILD_FROM_TYPE = new Set(['torch._tensor._rebuild_from_type', 'torch._tensor._rebuild_from_type_v2']);
const TENSOR_TYPES = new Set(['torch.Tensor', 'torch.nn.parameter.Parameter']);
const STORAGE_CLASSES = new Set(Object.keys(STORAGE_CLASS_DTYPE).map((name) => `torch.${name}`));
const CONTAINERS = new Set(['collections.OrderedDict', 'builtins.set', 'builtins.frozenset', 'builtins.dict']);
/** Not needed by a bare state_dict: protocol 2 spells bytes as `_codecs.encode`, shapes as `torch.Size`. */
const PLAIN_DATA = new Set(['_codecs.encode', 'torch.Size']);
/**
 * Classes that ordinary training checkpoints carry next to the weights: timm's train.py stores its
 * argparse.Namespace under 'args', and metrics are often numpy scalars or arrays. They become inert
 * PyObjects (constructor arguments and BUILD state recorded, nothing run) and end up in `ignored`.
 */
const INERT_CLASSES = new Set([
  'argparse.Namespace',
  'numpy.dtype',
  'numpy.ndarray',
  'numpy.core.multiarray.scalar',
  'numpy.core.multiarray._reconstruct',
  'numpy._core.multiarray.scalar',
  'numpy._core.multiarray._reconstruct',
]);

/** Module renames Python 3 applies to protocol-2 pickles (`fix_imports`). */
const MODULE_ALIASES: Record<string, string> = { __builtin__: 'builtins', copy_reg: 'copyreg' };

/** Modules whose globals are the classic payloads; no "pickled model" hint for these. */
const PAYLOAD_MODULES = new Set([
  'os', 'posix', 'nt', 'subprocess', 'sys', 'builtins', 'shutil', 'socket', 'pty', 'runpy',
  'importlib', 'pickle', 'codecs', 'webbrowser', 'ctypes',
]);

function isAllowed(qualified: string): boolean {
  return (
    REBUILD_TENSOR.has(qualified) ||
    REBUILD_PARAMETER.has(qualified) ||
    REBUILD_FROM_TYPE.has(qualified) ||
    TENSOR_TYPES.has(qualified) ||
    STORAGE_CLASSES.has(qualified) ||
    CONTAINERS.has(qualified) ||
    PLAIN_DATA.has(qualified) ||
    INERT_CLASSES.has(qualified)
  );
}

/** The error for a global outside the allow-list, with a hint when it looks like a model class. */
function forbiddenGlobal(module: string, name: string, label: string): CheckpointError {
  const qualified = printable(`${module}.${name}`, 80);
  if (/^torch\._(utils|tensor)\._rebuild_/.test(qualified)) {
    return new CheckpointError(
      'unsupported-tensor',
      `${label} holds a tensor kind this reader does not rebuild (${qualified}: quantized, sparse, ` +
        'meta or subclassed tensors); save plain dense tensors with torch.save(model.state_dict(), path)',
    );
  }
  const rootModule = module.split('.')[0];
  const looksLikeClass = /^[A-Z]/.test(name) && !PAYLOAD_MODULES.has(rootModule);
  const hint = looksLikeClass
    ? `; ${label} looks like a whole pickled model or object, so load it in Python and ` +
      'save model.state_dict() with torch.save instead'
    : ` (found in ${label})`;
  return new CheckpointError(
    'forbidden-global',
    `refusing to load global ${qualified}: a state_dict never contains it${hint}`,
  );
}

// ---- the machine -----------------------------------------------------------------------------

const utf8 = new TextDecoder('utf-8', { fatal: false });

function latin1(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 8192) {
    s += String.fromCharCode(...bytes.subarray(i, i + 8192));
  }
  return s;
}

function describe(value: PyValue): string {
  if (value === null) return 'None';
  if (Array.isArray(value)) return Object.isFrozen(value) ? 'tuple' : 'list';
  if (value instanceof Map) return 'dict';
  if (value instanceof Set) return 'set';
  if (value instanceof Uint8Array) return 'bytes';
  if (value instanceof PyGlobal) return value.qualifiedName;
  if (value instanceof PyObject) return `${value.cls.qualifiedName} object`;
  if (value instanceof StorageRef) return 'storage';
  if (value instanceof TensorRef) return 'tensor';
  // Python's names, since the reader of the message knows the file from Python.
  if (typeof value === 'string') return 'str';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  return 'int';
}

function isIndex(value: PyValue): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

class Unpickler {
  private pos = 0;
  private readonly stack: PyValue[] = [];
  /** Stack heights at each open MARK. */
  private readonly marks: number[] = [];
  private readonly memo = new Map<number, PyValue>();
  private readonly label: string;
  /** Values created plus elements copied so far (see MAX_PICKLE_VALUES). */
  private built = 0;

  constructor(
    private readonly data: Uint8Array,
    private readonly options: UnpickleOptions,
  ) {
    this.label = options.label ?? 'the pickle';
  }

  private fail(code: CheckpointErrorCode, what: string): CheckpointError {
    return new CheckpointError(code, `${this.label} is damaged: ${what}`);
  }

  private damaged(what: string): CheckpointError {
    return this.fail('bad-pickle', what);
  }

  // -- reading the byte stream

  private need(n: number): number {
    const at = this.pos;
    if (!(n >= 0) || at + n > this.data.length) {
      throw this.damaged(`the pickle stream stops at byte ${this.data.length} in the middle of an opcode`);
    }
    this.pos += n;
    return at;
  }

  private u8(): number {
    return this.data[this.need(1)];
  }

  private u16(): number {
    const at = this.need(2);
    return this.data[at] | (this.data[at + 1] << 8);
  }

  private u32(): number {
    const at = this.need(4);
    const d = this.data;
    return (d[at] | (d[at + 1] << 8) | (d[at + 2] << 16)) + d[at + 3] * 0x1000000;
  }

  private i32(): number {
    return this.u32() | 0;
  }

  private u64(): number {
    const lo = this.u32();
    const hi = this.u32();
    // A length this large cannot fit in the stream; let need() report it.
    return hi ? Infinity : lo;
  }

  private bytes(n: number): Uint8Array {
    const at = this.need(n);
    return this.data.subarray(at, at + n);
  }

  private line(): string {
    const start = this.pos;
    const end = this.data.indexOf(0x0a, start);
    if (end < 0) throw this.damaged('the pickle stream stops in the middle of a text opcode');
    this.pos = end + 1;
    return latin1(this.data.subarray(start, end));
  }

  /** Little-endian two's complement, as LONG1/LONG4 store Python ints. */
  private long(n: number): number | bigint {
    if (n > MAX_LONG_BYTES) throw this.damaged(`it holds a ${n}-byte integer at byte ${this.pos}, larger than any checkpoint needs`);
    const b = this.bytes(n);
    if (n === 0) return 0;
    let v = 0n;
    for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]);
    if (b[n - 1] & 0x80) v -= 1n << BigInt(8 * n);
    return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
  }

  // -- the stack

  /** Counts `n` values built or copied, and stops a stream that builds more than any checkpoint. */
  private charge(n: number): void {
    this.built += n;
    if (this.built > MAX_PICKLE_VALUES) {
      throw this.damaged(
        `it builds more than ${MAX_PICKLE_VALUES.toLocaleString('en-US')} values (by byte ${this.pos}), far more than any checkpoint; it looks crafted to exhaust memory`,
      );
    }
  }

  private push(value: PyValue): void {
    this.charge(1);
    this.stack.push(value);
  }

  private pop(): PyValue {
    const floor = this.marks.length ? this.marks[this.marks.length - 1] : 0;
    if (this.stack.length <= floor) throw this.damaged(`stack underflow at byte ${this.pos - 1}`);
    return this.stack.pop() as PyValue;
  }

  private top(): PyValue {
    const floor = this.marks.length ? this.marks[this.marks.length - 1] : 0;
    if (this.stack.length <= floor) throw this.damaged(`stack underflow at byte ${this.pos - 1}`);
    return this.stack[this.stack.length - 1];
  }

  private popMark(): PyValue[] {
    const mark = this.marks.pop();
    if (mark === undefined) throw this.damaged(`a MARK is missing before byte ${this.pos - 1}`);
    const items = this.stack.splice(mark);
    this.charge(items.length);
    return items;
  }

  private memoGet(index: number): PyValue {
    if (!this.memo.has(index)) throw this.damaged(`memo entry ${index} is read before it is written`);
    return this.memo.get(index) as PyValue;
  }

  // -- globals and calls

  private findClass(module: string, name: string): PyGlobal {
    const mod = MODULE_ALIASES[module] ?? module;
    if (!isAllowed(`${mod}.${name}`)) throw forbiddenGlobal(mod, name, this.label);
    return new PyGlobal(mod, name);
  }

  /** REDUCE: `fn(*args)` for the allow-listed functions, emulated. */
  private call(fn: PyValue, args: PyValue, depth = 0): PyValue {
    if (!(fn instanceof PyGlobal)) throw this.damaged(`REDUCE calls a ${describe(fn)}, which is not callable`);
    if (!Array.isArray(args)) throw this.damaged(`REDUCE arguments for ${fn.qualifiedName} are a ${describe(args)}`);
    const q = fn.qualifiedName;

    if (CONTAINERS.has(q) || INERT_CLASSES.has(q)) return this.construct(fn, args);
    if (q === 'torch.Size') {
      const dims = Array.isArray(args[0]) ? args[0] : [];
      this.charge(dims.length);
      return tuple([...dims]);
    }
    if (q === '_codecs.encode') {
      // Python 3 bytes under protocol 2: _codecs.encode('<latin-1 text>', 'latin1').
      const [text, encoding] = args;
      if (typeof text !== 'string' || (encoding !== 'latin1' && encoding !== 'latin-1')) {
        throw this.damaged('_codecs.encode is only expected with latin1 text');
      }
      this.charge(Math.ceil(text.length / 8));
      return Uint8Array.from(text, (c) => c.charCodeAt(0) & 0xff);
    }
    if (REBUILD_TENSOR.has(q)) return this.rebuildTensor(args);
    if (REBUILD_PARAMETER.has(q)) {
      // _rebuild_parameter(data, requires_grad, backward_hooks[, state]): the data is the tensor.
      if (!(args[0] instanceof TensorRef)) throw this.fail('bad-tensor', `${q} wraps a ${describe(args[0])}, not a tensor`);
      return args[0];
    }
    if (REBUILD_FROM_TYPE.has(q) && depth === 0) {
      // _rebuild_from_type_v2(func, new_type, args, state): new_type is Tensor or Parameter;
      // the Python attributes in `state` do not matter for weights.
      const [inner, type, innerArgs] = args;
      if (!(type instanceof PyGlobal) || !TENSOR_TYPES.has(type.qualifiedName)) {
        throw this.fail('bad-tensor', `${q} rebuilds a tensor as a ${describe(type)}`);
      }
      return this.call(inner, innerArgs, depth + 1);
    }
    throw this.damaged(`${q} is called in a way torch.save never does`);
  }

  /** NEWOBJ / INST / OBJ: `cls.__new__(cls, *args)` for the few classes that may appear. */
  private construct(cls: PyValue, args: PyValue[]): PyValue {
    if (!(cls instanceof PyGlobal)) throw this.damaged(`cannot create an instance of a ${describe(cls)}`);
    switch (cls.qualifiedName) {
      case 'collections.OrderedDict':
      case 'builtins.dict': {
        const map: PyDict = new Map();
        const items = args[0];
        if (Array.isArray(items)) {
          this.charge(items.length);
          for (const pair of items) {
            if (!Array.isArray(pair) || pair.length !== 2) throw this.damaged('a dict is built from something other than pairs');
            map.set(pair[0], pair[1]);
          }
        }
        return map;
      }
      case 'builtins.set':
      case 'builtins.frozenset': {
        const items = args[0];
        const list = Array.isArray(items) ? items : items instanceof Set ? [...items] : [];
        this.charge(list.length);
        return new Set(list);
      }
      default:
        if (INERT_CLASSES.has(cls.qualifiedName)) return new PyObject(cls, args);
        throw this.damaged(`cannot create an instance of ${cls.qualifiedName}`);
    }
  }

  /** BUILD: `obj.__setstate__(state)`. Only data objects take state; containers ignore theirs. */
  private build(obj: PyValue, state: PyValue): void {
    if (obj instanceof PyObject) {
      obj.state = state;
    } else if (obj instanceof Map || obj instanceof Set || obj instanceof TensorRef) {
      // A state_dict is an OrderedDict whose instance dict holds `_metadata` (module versions).
    } else {
      throw this.damaged(`BUILD applies state to a ${describe(obj)}`);
    }
  }

  private rebuildTensor(args: PyValue[]): TensorRef {
    // _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])
    const [storage, offset, size, stride] = args;
    if (!(storage instanceof StorageRef)) {
      throw this.fail('bad-storage', `a tensor is rebuilt from a ${describe(storage)} instead of a storage reference`);
    }
    const dims = (v: PyValue): number[] | null => {
      if (!Array.isArray(v) || v.length > 64 || !v.every(isIndex)) return null;
      this.charge(v.length);
      return [...(v as number[])];
    };
    const shape = dims(size);
    const strides = dims(stride);
    if (!isIndex(offset) || !shape || !strides || shape.length !== strides.length) {
      throw this.fail(
        'bad-tensor',
        `a tensor on storage ${printable(storage.key, 40)} has an invalid offset, size or stride`,
      );
    }
    return new TensorRef(storage, offset, shape, strides);
  }

  private persistentLoad(pid: PyValue): PyValue {
    if (!this.options.persistentLoad) throw this.fail('bad-storage', 'it refers to external data, which this stream cannot provide');
    return this.options.persistentLoad(pid);
  }

  // -- protocol 0 text helpers

  /** A Python 2 str repr ('abc' or "abc", with backslash escapes). */
  private static parseRepr(text: string): string {
    const quote = text[0];
    if ((quote !== "'" && quote !== '"') || text[text.length - 1] !== quote) return text;
    const body = text.slice(1, -1);
    const escapes: Record<string, string> = { n: '\n', r: '\r', t: '\t', '\\': '\\', "'": "'", '"': '"', '0': '\0' };
    return body.replace(/\\(x[0-9a-fA-F]{2}|.)/g, (_, e: string) =>
      e[0] === 'x' && e.length === 3 ? String.fromCharCode(parseInt(e.slice(1), 16)) : (escapes[e] ?? `\\${e}`),
    );
  }

  /** raw-unicode-escape: only \uXXXX and \UXXXXXXXX are escapes. */
  private static parseRawUnicode(text: string): string {
    return text.replace(/\\u([0-9a-fA-F]{4})|\\U([0-9a-fA-F]{8})/g, (_, u?: string, U?: string) =>
      String.fromCodePoint(parseInt((u ?? U) as string, 16)),
    );
  }

  // -- the loop

  load(): PyValue {
    const d = this.data;
    for (;;) {
      if (this.pos >= d.length) {
        throw this.damaged(`the pickle stream stops at byte ${d.length} before its STOP opcode`);
      }
      const at = this.pos;
      const op = d[this.pos++];
      switch (op) {
        case 0x80: { // PROTO
          const version = this.u8();
          if (version > 5) throw this.damaged(`it uses pickle protocol ${version}; protocols 0-5 are supported`);
          break;
        }
        case 0x95: // FRAME: a length hint for buffered readers; the bytes that follow are ordinary opcodes
          this.need(8);
          break;
        case 0x2e: // STOP
          return this.pop();

        // containers
        case 0x28: // MARK
          this.marks.push(this.stack.length);
          break;
        case 0x7d: // EMPTY_DICT
          this.push(new Map());
          break;
        case 0x5d: // EMPTY_LIST
          this.push([]);
          break;
        case 0x29: // EMPTY_TUPLE
          this.push(tuple([]));
          break;
        case 0x8f: // EMPTY_SET
          this.push(new Set());
          break;
        case 0x64: { // DICT
          const items = this.popMark();
          const map: PyDict = new Map();
          for (let i = 0; i + 1 < items.length; i += 2) map.set(items[i], items[i + 1]);
          this.push(map);
          break;
        }
        case 0x6c: // LIST
          this.push(this.popMark());
          break;
        case 0x74: // TUPLE
          this.push(tuple(this.popMark()));
          break;
        case 0x85: // TUPLE1
          this.push(tuple([this.pop()]));
          break;
        case 0x86: { // TUPLE2
          const b = this.pop();
          const a = this.pop();
          this.push(tuple([a, b]));
          break;
        }
        case 0x87: { // TUPLE3
          const c = this.pop();
          const b = this.pop();
          const a = this.pop();
          this.push(tuple([a, b, c]));
          break;
        }
        case 0x91: // FROZENSET
          this.push(new Set(this.popMark()));
          break;
        case 0x73: { // SETITEM
          const value = this.pop();
          const key = this.pop();
          const dict = this.top();
          if (!(dict instanceof Map)) throw this.damaged(`SETITEM on a ${describe(dict)} at byte ${at}`);
          dict.set(key, value);
          break;
        }
        case 0x75: { // SETITEMS
          const items = this.popMark();
          const dict = this.top();
          if (!(dict instanceof Map)) throw this.damaged(`SETITEMS on a ${describe(dict)} at byte ${at}`);
          for (let i = 0; i + 1 < items.length; i += 2) dict.set(items[i], items[i + 1]);
          break;
        }
        case 0x61: { // APPEND
          const value = this.pop();
          const list = this.top();
          if (!Array.isArray(list) || Object.isFrozen(list)) throw this.damaged(`APPEND on a ${describe(list)} at byte ${at}`);
          list.push(value);
          break;
        }
        case 0x65: { // APPENDS
          const items = this.popMark();
          const list = this.top();
          if (!Array.isArray(list) || Object.isFrozen(list)) throw this.damaged(`APPENDS on a ${describe(list)} at byte ${at}`);
          for (const item of items) list.push(item);
          break;
        }
        case 0x90: { // ADDITEMS
          const items = this.popMark();
          const set = this.top();
          if (!(set instanceof Set)) throw this.damaged(`ADDITEMS on a ${describe(set)} at byte ${at}`);
          for (const item of items) set.add(item);
          break;
        }

        // scalars
        case 0x4e: // NONE
          this.push(null);
          break;
        case 0x88: // NEWTRUE
          this.push(true);
          break;
        case 0x89: // NEWFALSE
          this.push(false);
          break;
        case 0x4b: // BININT1
          this.push(this.u8());
          break;
        case 0x4d: // BININT2
          this.push(this.u16());
          break;
        case 0x4a: // BININT
          this.push(this.i32());
          break;
        case 0x8a: // LONG1
          this.push(this.long(this.u8()));
          break;
        case 0x8b: // LONG4
          this.push(this.long(this.i32()));
          break;
        case 0x47: { // BINFLOAT: big-endian double
          const at8 = this.need(8);
          this.push(new DataView(d.buffer, d.byteOffset + at8, 8).getFloat64(0, false));
          break;
        }
        case 0x58: // BINUNICODE
          this.push(utf8.decode(this.bytes(this.u32())));
          break;
        case 0x8c: // SHORT_BINUNICODE
          this.push(utf8.decode(this.bytes(this.u8())));
          break;
        case 0x8d: // BINUNICODE8
          this.push(utf8.decode(this.bytes(this.u64())));
          break;
        case 0x54: // BINSTRING (Python 2 str; Python 3 reads it as latin-1 text)
          this.push(latin1(this.bytes(this.i32())));
          break;
        case 0x55: // SHORT_BINSTRING
          this.push(latin1(this.bytes(this.u8())));
          break;
        case 0x42: // BINBYTES
          this.push(this.bytes(this.u32()).slice());
          break;
        case 0x43: // SHORT_BINBYTES
          this.push(this.bytes(this.u8()).slice());
          break;
        case 0x8e: // BINBYTES8
        case 0x96: // BYTEARRAY8
          this.push(this.bytes(this.u64()).slice());
          break;

        // protocol 0 text forms
        case 0x49: { // INT ('00'/'01' are False/True in protocol 0)
          const text = this.line();
          if (text === '00' || text === '01') this.push(text === '01');
          else this.push(this.parseInt(text, at));
          break;
        }
        case 0x4c: // LONG
          this.push(this.parseInt(this.line().replace(/L$/, ''), at));
          break;
        case 0x46: { // FLOAT
          const value = Number(this.line());
          if (Number.isNaN(value)) throw this.damaged(`a FLOAT at byte ${at} is not a number`);
          this.push(value);
          break;
        }
        case 0x53: // STRING
          this.push(Unpickler.parseRepr(this.line()));
          break;
        case 0x56: // UNICODE
          this.push(Unpickler.parseRawUnicode(this.line()));
          break;

        // memo
        case 0x71: // BINPUT
          this.memo.set(this.u8(), this.top());
          break;
        case 0x72: // LONG_BINPUT
          this.memo.set(this.u32(), this.top());
          break;
        case 0x94: // MEMOIZE
          this.memo.set(this.memo.size, this.top());
          break;
        case 0x70: // PUT
          this.memo.set(this.parseIndex(this.line(), at), this.top());
          break;
        case 0x68: // BINGET
          this.push(this.memoGet(this.u8()));
          break;
        case 0x6a: // LONG_BINGET
          this.push(this.memoGet(this.u32()));
          break;
        case 0x67: // GET
          this.push(this.memoGet(this.parseIndex(this.line(), at)));
          break;

        // stack manipulation
        case 0x30: { // POP (of an empty frame pops the mark, as CPython does)
          const floor = this.marks.length ? this.marks[this.marks.length - 1] : 0;
          if (this.marks.length && this.stack.length === floor) this.marks.pop();
          else this.pop();
          break;
        }
        case 0x31: // POP_MARK
          this.popMark();
          break;
        case 0x32: // DUP
          this.push(this.top());
          break;

        // globals, calls, objects
        case 0x63: { // GLOBAL
          const module = this.line();
          const name = this.line();
          this.push(this.findClass(module, name));
          break;
        }
        case 0x93: { // STACK_GLOBAL
          const name = this.pop();
          const module = this.pop();
          if (typeof module !== 'string' || typeof name !== 'string') {
            throw this.damaged(`STACK_GLOBAL at byte ${at} names a global with non-strings`);
          }
          this.push(this.findClass(module, name));
          break;
        }
        case 0x52: { // REDUCE
          const args = this.pop();
          const fn = this.pop();
          this.push(this.call(fn, args));
          break;
        }
        case 0x81: { // NEWOBJ
          const args = this.pop();
          const cls = this.pop();
          this.push(this.construct(cls, Array.isArray(args) ? args : []));
          break;
        }
        case 0x92: { // NEWOBJ_EX
          const kwargs = this.pop();
          const args = this.pop();
          const cls = this.pop();
          if (kwargs instanceof Map && kwargs.size > 0) throw this.damaged(`NEWOBJ_EX with keyword arguments at byte ${at}`);
          this.push(this.construct(cls, Array.isArray(args) ? args : []));
          break;
        }
        case 0x69: { // INST: module and name inline, arguments since the mark
          const module = this.line();
          const name = this.line();
          const cls = this.findClass(module, name);
          this.push(this.construct(cls, this.popMark()));
          break;
        }
        case 0x6f: { // OBJ: class and arguments since the mark
          const [cls, ...args] = this.popMark();
          this.push(this.construct(cls ?? null, args));
          break;
        }
        case 0x62: { // BUILD
          const state = this.pop();
          this.build(this.top(), state);
          break;
        }
        case 0x51: // BINPERSID
          this.push(this.persistentLoad(this.pop()));
          break;
        case 0x50: // PERSID
          this.push(this.persistentLoad(this.line()));
          break;

        case 0x82: // EXT1
        case 0x83: // EXT2
        case 0x84: // EXT4
          throw this.damaged(`it uses the pickle extension registry (byte ${at}), which torch.save never does`);
        case 0x97: // NEXT_BUFFER
        case 0x98: // READONLY_BUFFER
          throw this.damaged(`it uses out-of-band buffers (byte ${at}), which torch.save never does`);
        default:
          throw this.damaged(`unknown pickle opcode 0x${op.toString(16).padStart(2, '0')} at byte ${at}`);
      }
    }
  }

  private parseInt(text: string, at: number): number | bigint {
    if (text.length > 2 * MAX_LONG_BYTES + 2 || !/^[-+]?\d+$/.test(text.trim())) throw this.damaged(`an integer at byte ${at} is malformed`);
    const v = BigInt(text.trim());
    return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
  }

  private parseIndex(text: string, at: number): number {
    const v = this.parseInt(text, at);
    if (typeof v !== 'number' || v < 0) throw this.damaged(`a memo index at byte ${at} is malformed`);
    return v;
  }
}

/** Run a pickle stream through the safe machine and return its top-level value. */
export function unpickle(data: Uint8Array, options: UnpickleOptions = {}): PyValue {
  return new Unpickler(data, options).load();
}
