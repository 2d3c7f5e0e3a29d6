/**
 * The one error type the checkpoint reader throws. Callers (the CLI, the lab's "load your own
 * weights" box) branch on `code` and show `message` as is, so every message is a single sentence a
 * reader can act on, naming the file when we know its name.
 */
export type CheckpointErrorCode =
  /** zero bytes */
  | 'empty'
  /** the file stops before its own structure says it should (cut-short download or copy) */
  | 'truncated'
  /** neither a torch.save zip nor a safetensors file */
  | 'not-a-checkpoint'
  /** a pre-1.6 torch.save file (raw pickle stream, not a zip) */
  | 'legacy-format'
  /** a torch.jit.save archive: code, not a state_dict */
  | 'torchscript'
  /** a zip we cannot read (encrypted, unknown compression, inconsistent directory) */
  | 'bad-zip'
  /** data.pkl is not a well-formed pickle stream */
  | 'bad-pickle'
  /** the pickle names a Python global outside our allow-list */
  | 'forbidden-global'
  /** a persistent storage reference that is malformed, missing or too short */
  | 'bad-storage'
  /** a tensor whose shape, stride or offset do not fit its storage */
  | 'bad-tensor'
  /** a tensor kind we do not rebuild (quantized, sparse, meta, ...) */
  | 'unsupported-tensor'
  /** a dtype we cannot turn into float32 (complex, float8, ...) */
  | 'unsupported-dtype'
  /** a safetensors header that is malformed or inconsistent */
  | 'bad-safetensors'
  /** the file parsed but holds no tensors we could use as weights */
  | 'no-tensors'
  /** two keys map to the same name after prefix stripping ('module.x' and 'x') */
  | 'duplicate-key';

export class CheckpointError extends Error {
  readonly code: CheckpointErrorCode;

  constructor(code: CheckpointErrorCode, message: string) {
    super(message);
    this.name = 'CheckpointError';
    this.code = code;
  }
}

/**
 * A string that came from a file (a key name, a storage key, a global's name, a file name) made
 * safe to print: control characters, DEL, C1 codes and bidi overrides become \uXXXX escapes, so a
 * crafted name can neither move the terminal's cursor nor reorder the text around it, and a long
 * one is cut at `max` characters (with its real length said).
 */
export function printable(text: string, max = 120): string {
  let out = '';
  let shown = 0;
  for (const ch of text) {
    if (shown >= max) return `${out}… (${text.length} characters)`;
    const c = ch.codePointAt(0)!;
    const unsafe = c < 0x20 || (c >= 0x7f && c < 0xa0) || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) || c === 0x2028 || c === 0x2029;
    out += unsafe ? `\\u${c.toString(16).padStart(4, '0')}` : ch;
    shown++;
  }
  return out;
}

/** The base name of a path (either separator), or a neutral phrase when no name was given. */
export function fileLabel(fileName?: string): string {
  if (!fileName) return 'the file';
  const parts = fileName.split(/[\\/]/);
  return printable(parts[parts.length - 1] || fileName);
}
