/**
 * Browser side of NetworkExplorer.astro: the network, s and d → the model's Ghost-ify report →
 * the per-layer chart, the layer details, the totals beside the paper's rows. s and d are the
 * page's shared state (page-params.ts); the explorer shows the nearest values its sliders allow
 * and writes back only what its reader moves.
 */
import {
  atPaperPrecision,
  EXPLORER_NETS,
  GHOSTNET_EXPLORER_ARCHS,
  ghostifyReferenceNet,
  paperRows,
  printsAs,
  type ExplorerNet,
  type ExplorerPaperRow,
  type GhostifyLayer,
  type GhostifyReport,
} from '../../model/ghostify';
import { nearestAllowed, pageParams } from '../../lib/page-params';
import { createUrlState } from '../../lib/url-state';
import { renderLayerCostChart, type LayerCostBar } from '../../viz/layer-cost-chart';
import { formatCount, formatInt, formatRatio, formatSI, type FormatLang } from '../../viz/format';
import { fill, onWidthChange } from '../calc/controls';
import { loadLayer, pageCalculator } from '../calc/layer-event';
import { EXPLORER_STRINGS } from './strings';

const S_ALLOWED = [2, 3, 4, 5] as const;
const D_ALLOWED = [1, 3, 5, 7] as const;
type Metric = 'macs' | 'params';

/** "7.7M" → "7.7 M", as the chapter's tables print counts. */
const spaced = (printed: string) => printed.replace(/([MB])$/, ' $1');

/** The report for a net; the GhostNets' cost model needs the tfjs spec builder, loaded on demand. */
async function ghostify(net: ExplorerNet, s: number, d: number): Promise<GhostifyReport> {
  if ((GHOSTNET_EXPLORER_ARCHS as readonly string[]).includes(net)) {
    const { ghostifyGhostNet } = await import('../../model/ghostify-ghostnet');
    return ghostifyGhostNet(net, s, d);
  }
  return ghostifyReferenceNet(net, s, d);
}

export function initExplorer(root: HTMLElement): void {
  const lang: FormatLang = root.dataset.lang === 'zh' ? 'zh' : 'en';
  const t = EXPLORER_STRINGS[lang];
  const q = <E extends HTMLElement = HTMLElement>(tid: string) => root.querySelector<E>(`[data-testid="${tid}"]`)!;
  const netSelect = q<HTMLSelectElement>('explorer-net');
  const sSlider = q<HTMLInputElement>('explorer-s');
  const dSlider = q<HTMLInputElement>('explorer-d');
  const sOut = q('explorer-s-value');
  const dOut = q('explorer-d-value');
  const noteEl = q('explorer-note');
  const chartEl = q('ghostify-chart');
  const details = q('layer-details');
  const loaded = q('layer-loaded');
  const tbody = q('ghostify-totals').querySelector('tbody')!;
  const count = (v: number) => formatCount(v, lang);

  const netUrl = createUrlState({ net: { kind: 'string', default: EXPLORER_NETS[0], options: EXPLORER_NETS } });
  const shared = pageParams();
  const fromShared = () => {
    const sd = shared.get();
    return { s: nearestAllowed(sd.s, S_ALLOWED), d: nearestAllowed(sd.d, D_ALLOWED) };
  };
  const state = {
    net: netUrl.get().net as ExplorerNet,
    ...fromShared(),
    metric: 'macs' as Metric,
    active: null as number | null,
    selected: null as number | null,
  };
  let netNote = netUrl.notes[0] ? fill(t.netUnknown, { given: netUrl.notes[0].given, used: t.nets[state.net].option }) : '';
  let report: GhostifyReport | null = null;
  let failure = '';
  let seq = 0;

  function showNotes(): void {
    const sd = shared.get();
    const lines = [netNote, failure];
    if (sd.s !== state.s) lines.push(fill(t.sOutside, { given: sd.s, used: state.s }));
    if (sd.d !== state.d) lines.push(fill(t.dOutside, { given: sd.d, used: state.d }));
    const shown = lines.filter(Boolean);
    noteEl.hidden = shown.length === 0;
    noteEl.replaceChildren(
      ...shown.map((text) => {
        const p = document.createElement('p');
        p.textContent = text;
        return p;
      }),
    );
  }

  function syncControls(): void {
    netSelect.value = state.net;
    sSlider.value = String(state.s);
    dSlider.value = String(state.d);
    sOut.textContent = String(state.s);
    dOut.textContent = String(state.d);
  }

  const kindName = (l: GhostifyLayer) => t.kinds[l.kind] ?? l.kind;

  /** A paragraph of plain text in which "r_s" is typeset as r with subscript s. */
  function para(text: string, cls?: string, tid?: string): HTMLParagraphElement {
    const p = document.createElement('p');
    text.split('r_s').forEach((part, i) => {
      if (i > 0) {
        const v = document.createElement('var');
        v.textContent = 'r';
        const sub = document.createElement('sub');
        sub.textContent = 's';
        p.append(v, sub);
      }
      p.append(part);
    });
    if (cls) p.className = cls;
    if (tid) p.dataset.testid = tid;
    return p;
  }

  function showDetails(i: number): void {
    const l = report?.layers[i];
    if (!report || !l) return;
    const title = document.createElement('p');
    const code = document.createElement('code');
    code.textContent = l.name;
    title.append(`${t.detailsTitle} `, code, ` — ${kindName(l)}`);
    const parts: HTMLElement[] = [title];
    for (const k of ['c', 'n', 'k', 'h', 'w', 'rs'] as const) delete details.dataset[k];
    details.dataset.layer = l.name;
    if (l.conv) {
      const g = l.conv;
      Object.assign(details.dataset, { c: String(g.c), n: String(g.n), k: String(g.k), h: String(g.h), w: String(g.w), rs: String(l.rs) });
      parts.push(para(fill(t.geometry, { c: formatInt(g.c, lang), n: formatInt(g.n, lang), k: g.k, stride: g.stride, h: g.h, w: g.w }), '', 'layer-geometry'));
      parts.push(para(fill(t.costLine, { pm: count(l.plain.macs), gm: count(l.ghost.macs), pp: count(l.plain.params), gp: count(l.ghost.params) })));
      parts.push(para(fill(t.ownRs, { rs: formatRatio(l.rs, lang), s: report.s, d: report.d }), '', 'layer-rs'));
      if (pageCalculator()) parts.push(para(t.hintLoad, 'hint'));
    } else {
      parts.push(para(fill(t.keptLayer, { macs: count(l.plain.macs), params: count(l.plain.params) })));
    }
    details.replaceChildren(...parts);
  }

  function select(i: number): void {
    const l = report?.layers[i];
    if (!report || !l) return;
    state.selected = i;
    state.active = i;
    drawChart();
    showDetails(i);
    const calc = pageCalculator();
    if (!l.conv || !calc) return;
    // The calculator takes the s and d shown here, so its r_s is this layer's.
    shared.set({ s: state.s, d: state.d }, root);
    loadLayer(calc, l.conv);
    showNotes();
    const g = l.conv;
    loaded.querySelector('[data-role="loaded-text"]')!.textContent = `${fill(t.loaded, { name: l.name, c: g.c, n: g.n, k: g.k, h: g.h, w: g.w, s: state.s, d: state.d })} `;
    loaded.hidden = false;
  }

  function drawChart(): void {
    if (!report) return;
    const m = state.metric;
    const fmt = (v: number) => formatSI(v);
    const bars: LayerCostBar[] = report.layers.map((l) => ({
      id: l.name,
      replaced: l.conv !== null,
      plain: l.plain[m],
      ghost: l.ghost[m],
      label: l.conv
        ? fill(t.optionReplaced, { name: l.name, plain: fmt(l.plain[m]), ghost: fmt(l.ghost[m]), rs: formatRatio(l.rs, lang) })
        : fill(t.optionKept, { name: l.name, plain: fmt(l.plain[m]) }),
    }));
    renderLayerCostChart(chartEl, bars, {
      ariaLabel: fill(t.chartAria, { net: t.nets[report.net].option, metric: m === 'macs' ? t.macs : t.params, s: report.s, d: report.d }),
      yLabel: m === 'macs' ? t.yMacs : t.yParams,
      legend: { plain: t.legendPlain, ghost: t.legendGhost, unchanged: t.legendUnchanged },
      formatValue: fmt,
      active: state.active,
      selected: state.selected,
      onActivate: (i) => {
        state.active = i;
        showDetails(i);
      },
      onSelect: select,
      testIdPrefix: 'ghostify',
    });
  }

  /** A paper cell: the printed value and whether our count prints the same. */
  function paperCell(printed: string, ours: number, convOnly?: number): HTMLTableCellElement {
    const td = document.createElement('td');
    td.append(spaced(printed));
    const mark = document.createElement('span');
    if (printsAs(ours, printed)) {
      mark.className = 'match yes';
      mark.textContent = t.matches;
    } else if (convOnly !== undefined && printsAs(convOnly, printed)) {
      mark.className = 'match yes';
      mark.textContent = t.matchesConvOnly;
    } else {
      mark.className = 'match no';
      mark.textContent = fill(t.differs, { ours: spaced(atPaperPrecision(ours, printed)) });
    }
    mark.dataset.match = String(mark.classList.contains('yes'));
    td.append(' ', mark);
    return td;
  }

  function row(kind: string, label: string, cells: (HTMLTableCellElement | string)[]): HTMLTableRowElement {
    const tr = document.createElement('tr');
    tr.dataset.row = kind;
    tr.dataset.testid = `totals-${kind}`;
    if (kind.startsWith('paper')) tr.className = 'paper';
    const th = document.createElement('th');
    th.scope = 'row';
    th.textContent = label;
    tr.append(th);
    for (const c of cells) {
      if (typeof c === 'string') {
        const td = document.createElement('td');
        td.textContent = c;
        tr.append(td);
      } else tr.append(c);
    }
    return tr;
  }

  function total(which: 'params' | 'macs', v: number): HTMLTableCellElement {
    const td = document.createElement('td');
    td.dataset.ghostifyTotal = which;
    td.dataset.value = String(v);
    td.textContent = count(v);
    return td;
  }

  const paperName = (r: ExplorerPaperRow, name: string) => (r.d === undefined ? fill(t.paperRowS, { name, s: r.s ?? '' }) : fill(t.paperRowSD, { name, s: r.s ?? '', d: r.d }));

  function renderTotals(r: GhostifyReport): void {
    const words = t.nets[r.net];
    const paper = paperRows(r.net, r.s, r.d);
    const convOnly = r.net === 'vgg16_cifar';
    const rows: HTMLTableRowElement[] = [
      row('plain', fill(t.rowPlain, { name: words.plainName }), [count(r.plain.params), count(r.plain.macs), '–']),
      row('ghost', fill(t.rowGhost, { name: words.ghostName, s: r.s, d: r.d }), [total('params', r.ghost.params), total('macs', r.ghost.macs), '–']),
    ];
    if (convOnly) {
      const td = document.createElement('td');
      td.dataset.value = String(r.convMacs.ghost);
      td.textContent = count(r.convMacs.ghost);
      rows.push(row('conv-only', fill(t.rowConvOnly, { name: words.ghostName }), ['', td, '–']));
    }
    if (paper.plain) {
      rows.push(row('paper-plain', fill(t.rowPaper, { name: words.plainName }), [paperCell(paper.plain.params, r.plain.params), paperCell(paper.plain.flops, r.plain.macs, convOnly ? r.convMacs.plain : undefined), paper.plain.accuracy]));
    }
    if (paper.ghost) {
      rows.push(row('paper-ghost', fill(t.rowPaper, { name: paperName(paper.ghost, words.ghostName) }), [paperCell(paper.ghost.params, r.ghost.params), paperCell(paper.ghost.flops, r.ghost.macs, convOnly ? r.convMacs.ghost : undefined), paper.ghost.accuracy]));
    }
    tbody.replaceChildren(...rows);

    q('explorer-reduction').textContent = fill(t.reduction, { rp: formatRatio(r.plain.params / r.ghost.params, lang), rm: formatRatio(r.plain.macs / r.ghost.macs, lang) });
    const ghostRows = paper.all.filter((p) => p.ghost);
    q('explorer-paper-note').textContent = paper.ghost
      ? ''
      : ghostRows.length
        ? fill(t.noPaperRow, { name: words.ghostName, s: r.s, d: r.d, rows: ghostRows.map((p) => paperName(p, words.ghostName)).join(lang === 'zh' ? '、' : '; ') })
        : t.noPaperAtAll;
    q('explorer-explain').innerHTML = explanation(r, paper.ghost); // our templates, numbers only
  }

  function explanation(r: GhostifyReport, row: ExplorerPaperRow | null): string {
    const both = (p: ExplorerPaperRow, params: number, macs: number) => `${spaced(atPaperPrecision(params, p.params))} / ${spaced(atPaperPrecision(macs, p.flops))}`;
    switch (r.net) {
      case 'vgg16_cifar':
        return fill(t.explain.vgg16_cifar_convonly!, { linear: count(r.ghost.macs - r.convMacs.ghost) });
      case 'resnet56_cifar': {
        if (!row || (printsAs(r.ghost.params, row.params) && printsAs(r.ghost.macs, row.flops))) return '';
        const d1 = ghostifyReferenceNet(r.net, r.s, 1);
        return fill(t.explain.resnet56_cifar!, { ours: both(row, r.ghost.params, r.ghost.macs), d1: both(row, d1.ghost.params, d1.ghost.macs) });
      }
      case 'resnet50': {
        if (!row) return '';
        const fc = r.layers.filter((l) => l.kind === 'linear').reduce((a, l) => a + l.plain.params, 0);
        return fill(t.explain.resnet50!, { ours: count(r.ghost.params), fc: formatInt(fc, lang) });
      }
      case 'ghostnet_100':
        return row ? t.explain.ghostnet_100! : fill(t.ghostnetOther, { d: r.d });
      default:
        return t.fmnistNote;
    }
  }

  async function recompute(): Promise<void> {
    const my = ++seq;
    const { net, s, d } = state;
    root.dataset.busy = 'true';
    try {
      const r = await ghostify(net, s, d);
      if (my !== seq) return; // a newer request won
      failure = '';
      const sameNet = report?.net === r.net;
      report = r;
      if (!sameNet) {
        state.active = null;
        state.selected = null;
        loaded.hidden = true;
      }
      q('explorer-rule').textContent = t.nets[net].rule;
      drawChart();
      const first = r.layers.findIndex((l) => l.conv !== null);
      showDetails(state.active ?? state.selected ?? Math.max(0, first));
      renderTotals(r);
      Object.assign(root.dataset, { net, s: String(s), d: String(d) });
    } catch (e) {
      if (my !== seq) return;
      failure = fill(t.failed, { message: e instanceof Error ? e.message : String(e) });
    } finally {
      if (my === seq) {
        showNotes();
        root.dataset.busy = 'false';
        root.dataset.ready = 'true';
      }
    }
  }

  sSlider.addEventListener('input', () => {
    state.s = Number(sSlider.value);
    syncControls();
    shared.set({ s: state.s }, root);
    void recompute();
  });
  dSlider.addEventListener('input', () => {
    state.d = Number(dSlider.value);
    syncControls();
    shared.set({ d: state.d }, root);
    void recompute();
  });
  netSelect.addEventListener('change', () => {
    state.net = netSelect.value as ExplorerNet;
    netNote = '';
    netUrl.set({ net: state.net });
    void recompute();
  });
  root.querySelectorAll<HTMLInputElement>('[data-testid="explorer-metric"]').forEach((radio) =>
    radio.addEventListener('change', () => {
      if (!radio.checked) return;
      state.metric = radio.value === 'params' ? 'params' : 'macs';
      drawChart();
    }),
  );
  shared.subscribe(() => {
    Object.assign(state, fromShared());
    syncControls();
    void recompute();
  }, root);
  onWidthChange(chartEl, drawChart);

  syncControls();
  void recompute();
}
