/**
 * The trained models shipped in public/weights/, read at build time (Node) so the lab's model
 * picker always matches what is deployed. Each entry carries what the picker shows.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

export interface ShippedModel {
  id: string;
  version: 'v1' | 'v2';
  plain: boolean;
  ratio: number;
  dwSize: number;
  input: number[];
  params: number;
  macs: number | null;
  accuracy: number | null;
  bytes: number;
  /** Part of the s/d ablation grid (ghostnet-fmnist-s{S}-d{D}). */
  grid: boolean;
  /** Training epochs (from metrics.json), or null. */
  epochs: number | null;
}

const ROOT = join(process.cwd(), 'public', 'weights');
const MAIN_ORDER = ['ghostnet-fmnist', 'ghostnetv2-fmnist', 'plainnet-fmnist'];

export function shippedModels(): ShippedModel[] {
  if (!existsSync(ROOT)) return [];
  const models: ShippedModel[] = [];
  for (const id of readdirSync(ROOT)) {
    const dir = join(ROOT, id);
    const mj = join(dir, 'model.json');
    if (!statSync(dir).isDirectory() || !existsSync(mj)) continue;
    const json = JSON.parse(readFileSync(mj, 'utf8'));
    const cfg = json.ghostlab?.config;
    if (!cfg) continue;
    const metricsPath = join(dir, 'metrics.json');
    const metrics = existsSync(metricsPath) ? JSON.parse(readFileSync(metricsPath, 'utf8')) : null;
    const bytes = readdirSync(dir)
      .filter((f) => f.endsWith('.bin'))
      .reduce((a, f) => a + statSync(join(dir, f)).size, 0);
    models.push({
      id,
      version: cfg.version,
      plain: Boolean(cfg.plain),
      ratio: cfg.ratio,
      dwSize: cfg.dwSize,
      input: cfg.input,
      params: json.ghostlab.params,
      macs: metrics?.macs ?? null,
      accuracy: metrics && !metrics.smoke ? metrics.test_accuracy : null,
      bytes,
      grid: /-s\d+-d\d+$/.test(id),
      epochs: metrics && !metrics.smoke ? metrics.epochs : null,
    });
  }
  const rank = (m: ShippedModel) => (MAIN_ORDER.includes(m.id) ? MAIN_ORDER.indexOf(m.id) : 100);
  return models.sort((a, b) => rank(a) - rank(b) || a.ratio - b.ratio || a.dwSize - b.dwSize || a.id.localeCompare(b.id));
}

/** One cell of the s/d grid as the lab shows it (from public/weights/ablation.json). */
export interface GridCellInfo {
  id: string;
  s: number;
  d: number;
  accuracy: number | null;
  params: number;
  macs: number;
  seeds: { seed: number; testAccuracy: number }[];
}

export interface AblationGrid {
  cells: GridCellInfo[];
  /** Largest seed-to-seed spread measured (a fraction), or null when no cell has several seeds yet. */
  band: number | null;
  /** How many training runs the band was measured from. */
  noiseRuns: number;
  epochs: number | null;
}

/** The s/d ablation grid, read at build time; cells whose weights are not shipped have accuracy null. */
export function ablationGrid(): AblationGrid | null {
  const path = join(ROOT, 'ablation.json');
  if (!existsSync(path)) return null;
  const j = JSON.parse(readFileSync(path, 'utf8'));
  const cells: GridCellInfo[] = j.rows.map((r: Record<string, unknown>) => ({
    id: r.model,
    s: r.s,
    d: r.d,
    accuracy: existsSync(join(ROOT, String(r.model), 'model.json')) ? (r.testAccuracy as number | null) : null,
    params: r.params,
    macs: r.macs,
    seeds: (r.seeds as GridCellInfo['seeds'] | undefined) ?? [],
  }));
  return { cells, band: j.noise?.band ?? null, noiseRuns: j.noise?.runs ?? 0, epochs: j.recipe?.epochs ?? null };
}
