/**
 * Element types a checkpoint may store, and their conversion to float32 (what tfjs consumes).
 * Names follow PyTorch's (`torch.float16` → 'float16') for both formats, so callers see one
 * vocabulary whether the file was a .pth or a .safetensors.
 */
export type Dtype =
  | 'float32'
  | 'float16'
  | 'bfloat16'
  | 'float64'
  | 'int64'
  | 'int32'
  | 'int16'
  | 'int8'
  | 'uint8'
  | 'bool';

export const ITEM_SIZE: Readonly<Record<Dtype, number>> = {
  float32: 4,
  float16: 2,
  bfloat16: 2,
  float64: 8,
  int64: 8,
  int32: 4,
  int16: 2,
  int8: 1,
  uint8: 1,
  bool: 1,
};

/**
 * torch.save names a tensor's element type through its legacy storage class
 * (`torch.FloatStorage`), even in torch 2.x where storages are untyped. UntypedStorage holds bytes.
 */
export const STORAGE_CLASS_DTYPE: Readonly<Record<string, Dtype>> = {
  FloatStorage: 'float32',
  HalfStorage: 'float16',
  BFloat16Storage: 'bfloat16',
  DoubleStorage: 'float64',
  LongStorage: 'int64',
  IntStorage: 'int32',
  ShortStorage: 'int16',
  CharStorage: 'int8',
  ByteStorage: 'uint8',
  BoolStorage: 'bool',
  UntypedStorage: 'uint8',
};

/** safetensors dtype codes we convert; the others (F8_*, U16..U64, complex) are refused. */
export const SAFETENSORS_DTYPE: Readonly<Record<string, Dtype>> = {
  F32: 'float32',
  F16: 'float16',
  BF16: 'bfloat16',
  F64: 'float64',
  I64: 'int64',
  I32: 'int32',
  I16: 'int16',
  I8: 'int8',
  U8: 'uint8',
  BOOL: 'bool',
};

const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

let halfTable: Float32Array | null = null;

/** All 65536 float16 values, built once on first use (256 KiB): one lookup per element after that. */
function getHalfTable(): Float32Array {
  if (halfTable) return halfTable;
  const table = new Float32Array(65536);
  for (let h = 0; h < 65536; h++) table[h] = halfBitsToFloat(h);
  halfTable = table;
  return table;
}

/** IEEE 754 binary16 bits → number (subnormals, ±Inf and NaN included). */
export function halfBitsToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 31) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

/**
 * Decode `count` elements of `dtype` from `bytes` (which starts at the first element) into a fresh
 * Float32Array. Integers wider than 24 bits lose precision, which is fine for weights; the only
 * int64 tensors in a state_dict are BatchNorm's `num_batches_tracked` counters.
 */
export function decodeToFloat32(
  bytes: Uint8Array,
  dtype: Dtype,
  count: number,
  littleEndian = true,
): Float32Array {
  const size = ITEM_SIZE[dtype];
  if (bytes.byteLength < count * size) {
    throw new RangeError(`need ${count * size} bytes, have ${bytes.byteLength}`);
  }
  const out = new Float32Array(count);
  const native = littleEndian === HOST_LITTLE_ENDIAN;

  if (dtype === 'float32' && native) {
    // Copy through bytes: the source may sit at any byte offset, a Float32Array view may not.
    new Uint8Array(out.buffer).set(bytes.subarray(0, count * 4));
    return out;
  }
  if (dtype === 'bfloat16' && HOST_LITTLE_ENDIAN) {
    // bfloat16 is the top half of a float32: shift its 16 bits up and reinterpret.
    const bits = new Uint32Array(out.buffer);
    const [lo, hi] = littleEndian ? [0, 1] : [1, 0];
    for (let i = 0, p = 0; i < count; i++, p += 2) bits[i] = ((bytes[p + hi] << 8) | bytes[p + lo]) << 16;
    return out;
  }
  if (dtype === 'float16') {
    const table = getHalfTable();
    const [lo, hi] = littleEndian ? [0, 1] : [1, 0];
    for (let i = 0, p = 0; i < count; i++, p += 2) out[i] = table[(bytes[p + hi] << 8) | bytes[p + lo]];
    return out;
  }

  const view = new DataView(bytes.buffer, bytes.byteOffset, count * size);
  const le = littleEndian;
  switch (dtype) {
    case 'float32':
      for (let i = 0; i < count; i++) out[i] = view.getFloat32(i * 4, le);
      break;
    case 'bfloat16': {
      const tmp = new DataView(new ArrayBuffer(4));
      for (let i = 0; i < count; i++) {
        tmp.setUint32(0, view.getUint16(i * 2, le) << 16);
        out[i] = tmp.getFloat32(0);
      }
      break;
    }
    case 'float64':
      for (let i = 0; i < count; i++) out[i] = view.getFloat64(i * 8, le);
      break;
    case 'int64':
      // hi * 2^32 + lo is exact up to 2^53, far beyond what float32 can hold anyway.
      for (let i = 0; i < count; i++) {
        const lo = view.getUint32(i * 8 + (le ? 0 : 4), le);
        const hi = view.getInt32(i * 8 + (le ? 4 : 0), le);
        out[i] = hi * 4294967296 + lo;
      }
      break;
    case 'int32':
      for (let i = 0; i < count; i++) out[i] = view.getInt32(i * 4, le);
      break;
    case 'int16':
      for (let i = 0; i < count; i++) out[i] = view.getInt16(i * 2, le);
      break;
    case 'int8':
      for (let i = 0; i < count; i++) out[i] = view.getInt8(i);
      break;
    case 'uint8':
      for (let i = 0; i < count; i++) out[i] = view.getUint8(i);
      break;
    case 'bool':
      for (let i = 0; i < count; i++) out[i] = view.getUint8(i) ? 1 : 0;
      break;
    default:
      throw new RangeError(`unhandled dtype ${dtype as string}`);
  }
  return out;
}

/** Number of elements of a shape (1 for a scalar's empty shape). */
export function numelOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}
