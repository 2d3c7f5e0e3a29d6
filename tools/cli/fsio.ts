/** Model directories on disk: load one, or write one atomically (temp dir, then rename). */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fromArtifacts, type GhostNetModel, type ModelJson } from '../../src/model/index.js';
import { CliError } from './args.js';

export function readModelDir(dir: string): GhostNetModel {
  const jsonPath = existsSync(dir) && statSync(dir).isFile() ? dir : join(dir, 'model.json');
  if (!existsSync(jsonPath)) throw new CliError(`no model.json in ${dir}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(jsonPath, 'utf8'));
  } catch (e) {
    throw new CliError(`${jsonPath} is not valid JSON (${(e as Error).message})`);
  }
  const groups = (parsed as Partial<ModelJson>)?.weightsManifest;
  if (!Array.isArray(groups)) throw new CliError(`${jsonPath} has no weightsManifest`);
  const shards = groups.map((g) =>
    (g.paths ?? []).map((p) => {
      // Shards live beside model.json; never follow a path out of the directory.
      if (basename(p) !== p || p === '..' || p === '.') throw new CliError(`${jsonPath} names a shard outside its directory: ${p}`);
      const f = join(dirname(jsonPath), p);
      if (!existsSync(f)) throw new CliError(`weights shard ${p} listed in ${jsonPath} is missing`);
      return new Uint8Array(readFileSync(f));
    }),
  );
  return fromArtifacts(parsed, shards);
}

/**
 * Writes files into `out` so that either the complete directory appears or nothing does:
 * everything goes to a sibling temp dir first, which is renamed at the end.
 */
export function writeDirAtomic(out: string, files: { path: string; bytes: Uint8Array | string }[], force = false): void {
  const target = resolve(out);
  if (existsSync(target)) {
    if (!statSync(target).isDirectory()) throw new CliError(`${out} exists and is not a directory`);
    if (readdirSync(target).length > 0 && !force) throw new CliError(`${out} already exists and is not empty (pass --force to replace it)`);
  }
  const parent = dirname(target);
  if (!existsSync(parent)) mkdirSync(parent, { recursive: true });
  const tmp = join(parent, `.${basename(target)}.tmp-${process.pid}-${Date.now()}`);
  mkdirSync(tmp);
  try {
    for (const f of files) writeFileSync(join(tmp, f.path), f.bytes);
    if (existsSync(target)) {
      const old = `${tmp}.old`;
      renameSync(target, old);
      renameSync(tmp, target);
      rmSync(old, { recursive: true, force: true });
    } else {
      renameSync(tmp, target);
    }
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
}
