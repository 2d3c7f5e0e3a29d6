/** A small argv parser: `--flag value`, `--flag=value`, booleans, multi-value flags, positionals. */
import { printable } from '../../src/model/checkpoint/errors.js';

/** A bad command line: unknown verb or option, missing or invalid value, a path that is not there (exit 2). */
export class CliError extends Error {
  readonly code = 'E_USAGE';
}

/** A file the user named whose content we cannot use (exit 1, like every non-usage error). */
export class InputError extends Error {
  readonly code = 'E_INPUT';
}

const SYSTEM_ERRORS: Record<string, string> = {
  ENOENT: 'does not exist',
  EISDIR: 'is a directory',
  ENOTDIR: 'is not a directory (a part of its path is a file)',
  EEXIST: 'is in the way (a part of its path already exists as a file)',
  EACCES: 'cannot be accessed (permission denied)',
  EPERM: 'cannot be accessed (operation not permitted)',
  ENOSPC: 'cannot be written: the disk is full',
  EROFS: 'cannot be written: the file system is read-only',
  EMFILE: 'cannot be opened: too many open files',
  ENAMETOOLONG: 'has a name that is too long',
  ELOOP: 'is a loop of symbolic links',
};

/**
 * A Node file-system error as one plain sentence naming the path the user gave (or `shown`,
 * when the path in the error is an internal one), or null for anything else.
 */
export function systemErrorMessage(e: unknown, shown?: string): string | null {
  const se = e as NodeJS.ErrnoException;
  if (!(e instanceof Error) || typeof se.code !== 'string' || !/^E[A-Z]+$/.test(se.code) || se.syscall === undefined) return null;
  const what = SYSTEM_ERRORS[se.code] ?? `cannot be ${se.syscall === 'open' || se.syscall === 'read' ? 'read' : 'used'} (${se.code})`;
  const path = shown ?? se.path;
  return path ? `${printable(path)} ${what}` : `a file ${what}`;
}

export type FlagKind = 'string' | 'boolean' | 'multi';

export interface Parsed {
  positional: string[];
  flags: Map<string, string | boolean | string[]>;
}

export function parseArgs(argv: string[], kinds: Record<string, FlagKind>): Parsed {
  const out: Parsed = { positional: [], flags: new Map() };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--') || a === '--') {
      out.positional.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = a.slice(2, eq < 0 ? undefined : eq);
    const kind = kinds[name];
    if (!kind) throw new CliError(`unknown option --${name}`);
    if (kind === 'boolean') {
      if (eq >= 0) throw new CliError(`--${name} takes no value`);
      out.flags.set(name, true);
    } else if (kind === 'string') {
      const v = eq >= 0 ? a.slice(eq + 1) : argv[++i];
      if (v === undefined || (eq < 0 && v.startsWith('--'))) throw new CliError(`--${name} needs a value`);
      out.flags.set(name, v);
    } else {
      const vals = (out.flags.get(name) as string[] | undefined) ?? [];
      if (eq >= 0) vals.push(a.slice(eq + 1));
      while (i + 1 < argv.length && !argv[i + 1]!.startsWith('--')) vals.push(argv[++i]!);
      if (!vals.length) throw new CliError(`--${name} needs at least one value`);
      out.flags.set(name, vals);
    }
  }
  return out;
}

export const str = (p: Parsed, name: string): string | undefined => p.flags.get(name) as string | undefined;
export const bool = (p: Parsed, name: string): boolean => p.flags.get(name) === true;
export const multi = (p: Parsed, name: string): string[] => (p.flags.get(name) as string[] | undefined) ?? [];

export function required(p: Parsed, name: string): string {
  const v = str(p, name);
  if (v === undefined) throw new CliError(`--${name} is required`);
  return v;
}

export function int(p: Parsed, name: string, opts: { min?: number; max?: number } = {}): number | undefined {
  const v = str(p, name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!/^-?\d+$/.test(v.trim()) || !Number.isSafeInteger(n)) throw new CliError(`--${name} must be an integer (got '${v}')`);
  if (opts.min !== undefined && n < opts.min) throw new CliError(`--${name} must be >= ${opts.min} (got ${n})`);
  if (opts.max !== undefined && n > opts.max) throw new CliError(`--${name} must be <= ${opts.max} (got ${n})`);
  return n;
}

export function num(p: Parsed, name: string): number | undefined {
  const v = str(p, name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n)) throw new CliError(`--${name} must be a number (got '${v}')`);
  return n;
}
