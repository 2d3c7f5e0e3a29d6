/** Files on disk: read the user's inputs with plain errors, load a model directory, write one safely. */
import { lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, parse, relative, resolve } from 'node:path';
import { printable } from '../../src/model/checkpoint/errors.js';
import { fromArtifacts, type GhostNetModel, type ModelJson } from '../../src/model/index.js';
import { CliError, InputError, systemErrorMessage } from './args.js';

/** Whether `path` exists, without throwing on a path it cannot look at. */
function kindOf(path: string): 'file' | 'dir' | 'other' | null {
  try {
    const s = statSync(path);
    return s.isFile() ? 'file' : s.isDirectory() ? 'dir' : 'other';
  } catch {
    return null;
  }
}

/**
 * The bytes of a file the user named; `what` says what it should be ('checkpoint', 'input').
 * A missing path or a directory is a usage error (exit 2), an unreadable file a content one.
 */
export function readUserFile(path: string, what: string): Uint8Array {
  const kind = kindOf(path);
  if (kind === null) throw new CliError(`${what} ${printable(path)} does not exist`);
  if (kind === 'dir') throw new CliError(`${what} ${printable(path)} is a directory, not a file`);
  if (kind === 'other') throw new CliError(`${what} ${printable(path)} is not a regular file`);
  try {
    return new Uint8Array(readFileSync(path));
  } catch (e) {
    throw new InputError(`${what} ${systemErrorMessage(e, path) ?? `${printable(path)} cannot be read`}`);
  }
}

/** Non-negative integer dimensions: a hand-edited model.json must not reach a typed-array constructor. */
function checkWeightEntries(parsed: Partial<ModelJson>, jsonPath: string): void {
  for (const g of parsed.weightsManifest ?? []) {
    for (const w of (g as { weights?: unknown[] }).weights ?? []) {
      const e = w as { name?: unknown; shape?: unknown };
      const ok = typeof e?.name === 'string' && Array.isArray(e.shape) && e.shape.length <= 8 && e.shape.every((d) => Number.isSafeInteger(d) && d >= 0);
      if (!ok) throw new InputError(`${printable(jsonPath)} describes a weight with an invalid name or shape (${printable(JSON.stringify(w) ?? '?', 80)})`);
    }
  }
}

export function readModelDir(dir: string): GhostNetModel {
  const kind = kindOf(dir);
  if (kind === null) throw new CliError(`--model ${printable(dir)} does not exist`);
  const jsonPath = kind === 'file' ? dir : join(dir, 'model.json');
  if (kindOf(jsonPath) !== 'file') throw new CliError(`--model ${printable(dir)} holds no model.json (convert a checkpoint with ghostlab convert)`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(readUserFile(jsonPath, 'model')));
  } catch (e) {
    if (e instanceof CliError || e instanceof InputError) throw e;
    throw new InputError(`${printable(jsonPath)} is not valid JSON`);
  }
  const groups = (parsed as Partial<ModelJson>)?.weightsManifest;
  if (!Array.isArray(groups)) throw new InputError(`${printable(jsonPath)} has no weightsManifest`);
  checkWeightEntries(parsed as Partial<ModelJson>, jsonPath);
  const shards = groups.map((g) =>
    (Array.isArray(g?.paths) ? g.paths : []).map((p: unknown) => {
      // Shards live beside model.json; never follow a path out of the directory.
      if (typeof p !== 'string' || basename(p) !== p || p === '..' || p === '.' || p === '') {
        throw new InputError(`${printable(jsonPath)} names a shard outside its directory: ${printable(String(p), 80)}`);
      }
      const f = join(dirname(jsonPath), p);
      const k = kindOf(f);
      if (k === null) throw new InputError(`weights shard ${printable(p)} listed in ${printable(jsonPath)} is missing`);
      if (k !== 'file') throw new InputError(`weights shard ${printable(p)} listed in ${printable(jsonPath)} is not a file`);
      return readUserFile(f, 'weights shard');
    }),
  );
  return fromArtifacts(parsed, shards);
}

/** Files a converted model directory may hold: model.json, the shards it lists, metrics.json. */
function isConvertedModelDir(dir: string): { ok: true } | { ok: false; why: string } {
  const names = readdirSync(dir);
  let shards: string[] = [];
  try {
    const mj = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as Partial<ModelJson>;
    if (!mj.ghostlab || !Array.isArray(mj.weightsManifest)) return { ok: false, why: 'its model.json is not a ghostlab model' };
    shards = mj.weightsManifest.flatMap((g) => (Array.isArray(g.paths) ? g.paths : []));
  } catch {
    return { ok: false, why: 'it has no readable model.json' };
  }
  const allowed = new Set(['model.json', 'metrics.json', ...shards]);
  const other = names.filter((n) => !allowed.has(n) || !lstatSync(join(dir, n)).isFile());
  return other.length ? { ok: false, why: `it also holds ${other.slice(0, 3).map((n) => printable(n, 60)).join(', ')}${other.length > 3 ? ` and ${other.length - 3} more` : ''}` } : { ok: true };
}

/** True when `inner` is `outer` or lies inside it. */
function isWithin(inner: string, outer: string): boolean {
  const rel = relative(outer, inner);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

export interface WriteDirOptions {
  /** Replace an existing directory, which must hold a converted model and nothing else. */
  force?: boolean;
  /** Files that must survive (the checkpoint being converted): never inside the replaced directory. */
  keep?: string[];
}

/**
 * Checks that `out` may be written (see WriteDirOptions); throws a usage error naming `out`
 * otherwise. Cheap, so callers run it before any long work; writeDirAtomic runs it again.
 */
export function checkOutDir(out: string, opts: WriteDirOptions = {}): 'dir' | null {
  const target = resolve(out);
  const shown = printable(out);
  if (target === parse(target).root || isWithin(process.cwd(), target)) {
    throw new CliError(`--out ${shown} is the current directory or one of its parents; give a directory of its own for the model`);
  }
  for (const k of opts.keep ?? []) {
    if (isWithin(resolve(k), target)) throw new CliError(`--out ${shown} contains ${printable(k)}, the file being converted; write the model somewhere else`);
  }
  const kind = kindOf(target);
  if (kind !== null && kind !== 'dir') throw new CliError(`--out ${shown} exists and is not a directory`);
  if (kind === 'dir' && readdirSync(target).length > 0) {
    if (!opts.force) throw new CliError(`--out ${shown} already exists and is not empty (pass --force to replace it)`);
    const check = isConvertedModelDir(target);
    if (!check.ok) {
      throw new CliError(`--force replaces only a directory holding a converted model (model.json, its shards, metrics.json), but --out ${shown} is not one: ${check.why}`);
    }
  }
  return kind;
}

/**
 * Writes files into `out` so that either the complete directory appears or nothing does:
 * everything goes to a sibling temp dir first, which is renamed at the end. Messages name
 * `out`, never the temp dir.
 */
export function writeDirAtomic(out: string, files: { path: string; bytes: Uint8Array | string }[], opts: WriteDirOptions = {}): void {
  const kind = checkOutDir(out, opts);
  const target = resolve(out);
  const parent = dirname(target);
  const tmp = join(parent, `.${basename(target)}.tmp-${process.pid}-${Date.now()}`);
  try {
    mkdirSync(parent, { recursive: true });
    mkdirSync(tmp);
    for (const f of files) writeFileSync(join(tmp, f.path), f.bytes);
    if (kind === 'dir') {
      const old = `${tmp}.old`;
      renameSync(target, old);
      try {
        renameSync(tmp, target);
      } catch (e) {
        renameSync(old, target);
        throw e;
      }
      rmSync(old, { recursive: true, force: true });
    } else {
      renameSync(tmp, target);
    }
  } catch (e) {
    try {
      rmSync(tmp, { recursive: true, force: true });
    } catch {
      // Nothing was created where the temp dir could not be.
    }
    const why = systemErrorMessage(e, out);
    throw why ? new InputError(`could not write the model: ${why}`) : e;
  }
}
