/**
 * The s and d sliders and the grid chart: they switch the live model to the trained grid cell
 * ghostnet-fmnist-s{S}-d{D} (keeping the image, the open layer and the map where the new model has
 * them), and say what that cell scored — with the seed-to-seed noise band — and what it costs
 * against the plain twin.
 */
import { drawGridHeatmap, type GridHeatmapHandle } from '../../viz/grid-heatmap';
import { formatCount } from '../../viz/network-strip';
import type { GridCellInfo } from '../../lib/shipped-models';
import { nearestAllowed, pageParams } from '../../lib/page-params';
import { role, type Panel } from './context';
import { switchModel } from './models';

export const S_VALUES = [2, 3, 4, 5] as const;
export const D_VALUES = [1, 3, 5, 7] as const;
export const gridId = (s: number, d: number) => `ghostnet-fmnist-s${s}-d${d}`;

export const gridPanel: Panel = (el, ctx) => {
  const { cfg, state, t } = ctx;
  const grid = cfg.grid;
  const host = role(el, 'grid-panel');
  if (!grid || !host) return {};
  const sInput = role<HTMLInputElement>(host, 'grid-s')!;
  const dInput = role<HTMLInputElement>(host, 'grid-d')!;
  const sOut = role(host, 'grid-s-value')!;
  const dOut = role(host, 'grid-d-value')!;
  const cellLine = role(host, 'grid-cell')!;
  const cellOf = (s: number, d: number): GridCellInfo | undefined => grid.cells.find((c) => c.s === s && c.d === d);
  const plain = cfg.models.find((m) => m.plain);
  const pct = (v: number) => `${(v * 100).toFixed(2)} %`;
  const half = grid.band !== null ? grid.band / 2 : null;

  const chart: GridHeatmapHandle = drawGridHeatmap(
    role(host, 'grid-chart')!,
    {
      rows: [...new Set(grid.cells.map((c) => c.s))],
      cols: [...D_VALUES],
      cells: grid.cells.map((c) => ({ row: c.s, col: c.d, value: c.accuracy })),
      selected: null,
      references: cfg.models.filter((m) => !m.grid && m.accuracy !== null).map((m) => ({ label: `${m.id} (${t.mainRecipe})`, value: m.accuracy! })),
    },
    {
      format: pct,
      rowLabel: (s) => `s = ${s}`,
      colLabel: (d) => `d = ${d}`,
      onSelect: (s, d) => void choose(s, d),
      strings: { ariaLabel: t.gridChart, pending: t.gridPending, cellName: (s, d, v) => `s = ${s}, d = ${d}: ${v}` },
    },
  );

  const show = () => {
    const { s, d, model } = state.get();
    sInput.value = String(s);
    dInput.value = String(D_VALUES.indexOf(d as (typeof D_VALUES)[number]));
    sOut.textContent = String(s);
    dOut.textContent = String(d);
    dInput.setAttribute('aria-valuetext', `d = ${d}`);
    const cell = cellOf(s, d);
    const onGrid = model === gridId(s, d);
    chart.select(onGrid ? { row: s, col: d } : null);
    host.dataset.onGrid = String(onGrid);
    if (!cell) return;
    const parts = [
      cell.accuracy !== null ? `${pct(cell.accuracy)}${half !== null ? ` ± ${(half * 100).toFixed(2)}` : ''} ${t.accuracy}` : t.gridPending,
      `${formatCount(cell.params)} ${t.params}${plain ? ` (${t.plainTwin}: ${formatCount(plain.params)})` : ''}`,
      `${formatCount(cell.macs)} ${t.macs}${plain?.macs ? ` (${t.plainTwin}: ${formatCount(plain.macs)})` : ''}`,
    ];
    cellLine.textContent = `s = ${s}, d = ${d}: ${parts.join(' · ')}`;
  };

  // The cell the page's s and d asked for (chapters), until it is in. Its arrival is not told back
  // to the page, and an older cell still waiting in the queue is skipped: on a slow machine a
  // calculator moved quickly must not be pulled back to the cells the lab passes on the way.
  let following: string | null = null;
  const choose = async (s: number, d: number, fromPage = false) => {
    const cell = cellOf(s, d);
    if (!cell || cell.accuracy === null) {
      show();
      return;
    }
    following = fromPage ? cell.id : null;
    const ok = await switchModel(ctx, cell.id, fromPage ? () => following === cell.id : undefined);
    // In, already there, or failed: nothing more to wait for.
    if (following === cell.id) following = null;
    if (!ok) show();
  };

  sInput.addEventListener('input', () => (sOut.textContent = sInput.value));
  dInput.addEventListener('input', () => {
    dOut.textContent = String(D_VALUES[Number(dInput.value)]);
    dInput.setAttribute('aria-valuetext', `d = ${dOut.textContent}`);
  });
  sInput.addEventListener('change', () => void choose(Number(sInput.value), state.get().d));
  dInput.addEventListener('change', () => void choose(state.get().s, D_VALUES[Number(dInput.value)]!));

  // A grid model in view sets s and d; the sliders and the chart follow the state.
  const offModel = state.subscribe(['model'], (st) => {
    const m = cfg.models.find((x) => x.id === st.model);
    if (m?.grid) state.update({ s: m.ratio, d: m.dwSize });
  });
  const offShow = state.subscribe(['s', 'd', 'model'], show);
  show();

  // In a chapter, s and d are one value per page: the calculator and the explorer move these
  // sliders (and the live model), and these sliders move them. The lab page keeps its own URL.
  const offPage: (() => void)[] = [];
  if (!ctx.full) {
    const page = pageParams();
    const me = {};
    const follow = ({ s, d }: { s: number; d: number }) => {
      const cs = nearestAllowed(s, S_VALUES);
      const cd = nearestAllowed(d, D_VALUES);
      if (cs !== state.get().s || cd !== state.get().d || state.get().model !== gridId(cs, cd)) void choose(cs, cd, true);
    };
    offPage.push(page.subscribe(follow, me));
    // A grid cell chosen here (sliders, chart, model picker) moves the page's s and d.
    offPage.push(
      state.subscribe(['s', 'd'], (st) => {
        if (st.model !== gridId(st.s, st.d)) return;
        if (following === null) page.set({ s: st.s, d: st.d }, me);
        else if (following === st.model) following = null;
      }),
    );
    // Start on the page's cell once the first model is in.
    const offFirst = state.subscribe(['model'], () => {
      offFirst();
      follow(page.get());
    });
  }
  return {
    destroy: () => {
      offModel();
      offShow();
      offPage.forEach((off) => off());
      chart.destroy();
    },
  };
};
