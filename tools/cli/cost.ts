import { ARCH_IDS, ghostnetCost, type CostReport } from '../../src/model/index.js';
import { costReferenceNet, REFERENCE_NETS } from '../../src/model/reference-nets.js';
import { bool, CliError, int, num, parseArgs, required } from './args.js';
import { out } from './output.js';

export const help = `Usage: ghostlab cost --arch ARCH [options]

Per-layer and total parameters and MACs (multiply-accumulates of convs and linear layers:
the papers' "FLOPs"). Parameters include BatchNorm scale and shift.

Options:
  --arch ARCH          a GhostNet id (${ARCH_IDS.join(', ')})
                       or a reference net (${REFERENCE_NETS.join(', ')})
  --width W            width multiplier (GhostNet ids only)
  --input H            input height = width
  --num-classes N      classifier size (GhostNet ids only)
  --ghost              Ghost-ify a reference net's convolutions
  --s S --d D          Ghost ratio s and cheap kernel d (reference nets with --ghost;
                       for GhostNet ids they override the model's own)
  --json               print {"arch","input","layers","total"} as JSON
  --help               this text`;

const fmt = (n: number) => n.toLocaleString('en-US');

export function formatTable(r: CostReport): string {
  const rows = r.layers.map((l) => [l.name, l.kind, `${l.outShape.join('×')}`, fmt(l.params), fmt(l.macs)]);
  const head = ['layer', 'kind', 'output', 'params', 'MACs'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i >= 3 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ');
  return [
    `${r.arch}, input ${r.input.join('×')}`,
    line(head),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
    `total: ${fmt(r.total.params)} parameters (${(r.total.params / 1e6).toFixed(2)} M), ${fmt(r.total.macs)} MACs (${(r.total.macs / 1e6).toFixed(2)} M)`,
  ].join('\n');
}

export async function run(argv: string[]): Promise<void> {
  const p = parseArgs(argv, {
    arch: 'string', width: 'string', input: 'string', 'num-classes': 'string', ghost: 'boolean', s: 'string', d: 'string', json: 'boolean', help: 'boolean',
  });
  if (bool(p, 'help')) return void out(help);
  if (p.positional.length) throw new CliError(`unexpected argument '${p.positional[0]}'`);
  const arch = required(p, 'arch');
  const input = int(p, 'input', { min: 1, max: 4096 });
  const s = int(p, 's', { min: 1 });
  const d = int(p, 'd', { min: 1 });
  let report: CostReport;
  if ((REFERENCE_NETS as readonly string[]).includes(arch)) {
    if (p.flags.has('width')) throw new CliError('--width applies to GhostNet ids only');
    if (p.flags.has('num-classes')) throw new CliError('--num-classes applies to GhostNet ids only');
    if ((s !== undefined || d !== undefined) && !bool(p, 'ghost')) throw new CliError('--s and --d need --ghost for a reference net');
    report = costReferenceNet(arch, { ghost: bool(p, 'ghost'), ...(s !== undefined && { s }), ...(d !== undefined && { d }), ...(input !== undefined && { input }) });
  } else if (ARCH_IDS.includes(arch)) {
    const width = num(p, 'width');
    if (width !== undefined && !(width > 0)) throw new CliError(`--width must be > 0 (got ${width})`);
    const numClasses = int(p, 'num-classes', { min: 1 });
    report = ghostnetCost(arch, {
      ...(width !== undefined && { width }),
      ...(input !== undefined && { input }),
      ...(numClasses !== undefined && { numClasses }),
      ...(s !== undefined && { ratio: s }),
      ...(d !== undefined && { dwSize: d }),
    });
  } else {
    throw new CliError(`unknown --arch '${arch}' (known: ${[...ARCH_IDS, ...REFERENCE_NETS].join(', ')})`);
  }
  out(bool(p, 'json') ? JSON.stringify(report) : formatTable(report));
}
