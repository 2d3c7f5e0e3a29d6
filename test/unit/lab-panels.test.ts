// @vitest-environment happy-dom
/**
 * The lab's state and one panel mounted alone against a bare state and a stub session, without
 * the rest of the lab (issue: "the lab as panels around one state"): the model picker, and the s/d
 * sliders of a chapter's lab with the page's shared s and d.
 */
import { describe, expect, it } from 'vitest';
import type { LabConfig, LabContext, Notices } from '../../src/components/lab/context';
import { gridPanel } from '../../src/components/lab/grid-panel';
import { modelPanel } from '../../src/components/lab/model-panel';
import type { LabSession } from '../../src/components/lab/session';
import { createLabState, type LabKey } from '../../src/components/lab/state';
import { getStatus } from '../../src/components/lab/status';
import { LAB_STRINGS } from '../../src/components/lab/strings';
import { createPageParams } from '../../src/lib/page-params';
import type { GridCellInfo, ShippedModel } from '../../src/lib/shipped-models';
import type { UrlEnv } from '../../src/lib/url-state';

const model = (id: string, ratio: number, accuracy: number): ShippedModel => ({
  id, version: 'v1', plain: false, ratio, dwSize: 3, input: [28, 28, 1], params: 1000 * ratio, macs: 5e6, accuracy, bytes: 1, grid: true, epochs: 4,
});

/** A stub session: one queue like LabSession's, and a load that `loadFrom` decides (it may wait or fail). */
function stubSession(loadFrom: (url: string) => Promise<void>) {
  let queue: Promise<unknown> = Promise.resolve();
  const session = {
    model: null as unknown,
    run<T>(fn: () => Promise<T>) {
      const next = queue.then(fn, fn);
      queue = next.catch(() => undefined);
      return next;
    },
    async load(url: string) {
      await loadFrom(url);
      session.model = { url };
      return session.model;
    },
    numTensors: () => 0,
  };
  return session;
}

function mount(loadFails: Set<string>) {
  const el = document.createElement('div');
  el.innerHTML = '<select data-role="model"><option value="a">a</option><option value="b">b</option><option value="c">c</option></select><p data-role="model-info"></p>';
  const state = createLabState();
  const loads: string[] = [];
  const session = stubSession(async (url) => {
    loads.push(url);
    if ([...loadFails].some((id) => url.includes(`/${id}/`))) throw new Error('HTTP 404');
  });
  const errors: string[] = [];
  const notices: Notices = { status: () => {}, notice: () => {}, error: (_what, text) => errors.push(text), recovered: () => {} };
  const cfg: LabConfig = { lang: 'en', mode: 'full', base: '/base', models: [model('a', 2, 0.91), model('b', 3, 0.9), model('c', 4, 0.89)], defaultModel: 'a', defaultLayer: null, grid: null };
  const ctx: LabContext = {
    root: el, cfg, t: LAB_STRINGS.en, full: true, state, session: session as unknown as LabSession, notices, views: { rerun: async () => {} },
  };
  const handle = modelPanel(el, ctx);
  const select = el.querySelector('select')!;
  const choose = async (id: string) => {
    select.value = id;
    select.dispatchEvent(new Event('change'));
    await session.run(async () => {});
    await new Promise((r) => setTimeout(r, 0));
  };
  return { el, state, session, loads, errors, select, choose, handle };
}

describe('lab state', () => {
  it('tells each subscriber once per update, only for its keys, with what changed', () => {
    const state = createLabState({ layer: 'x' });
    const seen: LabKey[][] = [];
    const any: number[] = [];
    state.subscribe(['layer', 'channel'], (_s, changed) => seen.push([...changed].sort()));
    state.subscribe('*', () => any.push(1));
    state.update({ layer: 'y', channel: 3, sample: 2 });
    state.update({ layer: 'y' }); // no change, no call
    state.update({ sample: 5 });
    expect(seen).toEqual([['channel', 'layer', 'sample']]);
    expect(any.length).toBe(2);
  });

  it('applies updates made by a subscriber after the current round, in order', () => {
    const state = createLabState();
    const order: string[] = [];
    state.subscribe(['model'], (s) => {
      order.push(`a:${s.model}`);
      if (s.model === 'm') state.update({ layer: 'fixed' });
    });
    state.subscribe(['model', 'layer'], (s) => order.push(`b:${s.model}/${s.layer}`));
    state.update({ model: 'm' });
    expect(order).toEqual(['a:m', 'b:m/', 'b:m/fixed']);
    expect(state.get().layer).toBe('fixed');
  });
});

describe('model picker, mounted alone', () => {
  it('draws from the state: the select and the model line follow state.model', () => {
    const { el, state, select } = mount(new Set());
    state.update({ model: 'b' });
    expect(select.value).toBe('b');
    expect(el.querySelector('[data-role="model-info"]')!.textContent).toContain('s = 3, d = 3');
    expect(el.querySelector('[data-role="model-info"]')!.textContent).toContain('90.00 %');
  });

  it('writes back only through the state, and only once the model has loaded', async () => {
    const { state, loads, choose } = mount(new Set());
    state.update({ model: 'a' });
    await choose('c');
    expect(loads).toEqual(['/base/weights/c/model.json']);
    expect(state.get().model).toBe('c');
  });

  it('a failed switch changes nothing: the state keeps the old model and the picker goes back to it', async () => {
    const { state, select, errors, choose } = mount(new Set(['b']));
    state.update({ model: 'a' });
    await choose('b');
    expect(state.get().model).toBe('a');
    expect(select.value).toBe('a');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/Could not load b .*HTTP 404.*still running a/);
    expect(getStatus().error).toBe('HTTP 404');
  });
});

describe('s/d sliders in a chapter, mounted alone', () => {
  const S = [2, 3, 4, 5];
  const D = [1, 3, 5, 7];
  const cellId = (s: number, d: number) => `ghostnet-fmnist-s${s}-d${d}`;

  function mountGrid() {
    const env: UrlEnv = {
      location: { search: '', pathname: '/ghostnet-v1/', hash: '' },
      history: { state: null, replaceState: (_d: unknown, _u: string, url?: string | null) => void (env.location.search = new URL(String(url), 'http://x').search) },
    };
    const page = createPageParams(env, { debounceMs: 0 });
    (globalThis as Record<symbol, unknown>)[Symbol.for('ghostlab.pageParams')] = page;
    const el = document.createElement('div');
    el.innerHTML = `<div data-role="grid-panel"><input type="range" min="2" max="5" data-role="grid-s"><output data-role="grid-s-value"></output>
      <input type="range" min="0" max="3" data-role="grid-d"><output data-role="grid-d-value"></output><p data-role="grid-cell"></p><div data-role="grid-chart"></div></div>`;
    const cells: GridCellInfo[] = S.flatMap((s) => D.map((d) => ({ id: cellId(s, d), s, d, accuracy: 0.9, params: 1000, macs: 1e6, seeds: [] })));
    const models = cells.map((c) => ({ ...model(c.id, c.s, 0.9), dwSize: c.d }));
    const state = createLabState();
    // Loads wait until the test lets them finish, as on a slow machine.
    const loads: string[] = [];
    const gates: (() => void)[] = [];
    const session = stubSession(async (url) => {
      loads.push(url.split('/').at(-2)!);
      await new Promise<void>((r) => gates.push(r));
    });
    const notices: Notices = { status: () => {}, notice: () => {}, error: () => {}, recovered: () => {} };
    const cfg: LabConfig = { lang: 'en', mode: 'ghost', base: '', models, defaultModel: cellId(2, 3), defaultLayer: null, grid: { cells, band: null, noiseRuns: 0, epochs: 4 } };
    const ctx: LabContext = { root: el, cfg, t: LAB_STRINGS.en, full: false, state, session: session as unknown as LabSession, notices, views: { rerun: async () => {} } };
    const handle = gridPanel(el, ctx);
    const settle = async () => {
      for (let i = 0; i < 20; i++) await new Promise((r) => setTimeout(r, 0));
    };
    const release = async () => {
      await settle();
      gates.shift()?.();
      await settle();
    };
    return { el, page, state, loads, settle, release, handle };
  }

  it('follow the page’s s and d, never pulling the page back to a cell passed on the way', async () => {
    const { page, state, loads, settle, release, handle } = mountGrid();
    state.update({ model: cellId(2, 3) }); // the first model is in
    const heard: string[] = [];
    page.subscribe((v) => heard.push(`${v.s},${v.d}`), 'calculator');
    // The reader moves the calculator three times before the first cell has loaded.
    page.set({ s: 3 }, 'calculator');
    await settle(); // s3-d3 starts loading
    page.set({ d: 5 }, 'calculator');
    page.set({ s: 4 }, 'calculator');
    await release(); // s3-d3, asked for first, arrives late
    expect(state.get().model).toBe(cellId(3, 3));
    expect(page.get()).toEqual({ s: 4, d: 5 });
    await release(); // s3-d5 was overtaken while it waited: skipped; s4-d5 loads
    expect(loads).toEqual([cellId(3, 3), cellId(4, 5)]);
    expect(state.get().model).toBe(cellId(4, 5));
    expect(page.get()).toEqual({ s: 4, d: 5 });
    expect(heard).toEqual([]);
    handle.destroy?.();
  });

  it('a cell chosen on the lab’s own slider moves the page’s s and d', async () => {
    const { el, page, state, release, handle } = mountGrid();
    state.update({ model: cellId(2, 3) });
    const slider = el.querySelector<HTMLInputElement>('[data-role="grid-s"]')!;
    slider.value = '5';
    slider.dispatchEvent(new Event('change'));
    await release();
    expect(state.get().model).toBe(cellId(5, 3));
    expect(page.get()).toEqual({ s: 5, d: 3 });
    handle.destroy?.();
  });
});
