/**
 * The lab's controller: wires the inputs (gallery, upload, drawing), the model session, the
 * prediction, the network strip and the inspector together, mirrors the view in the URL, and
 * keeps `window.ghostlab` current. All model work goes through LabSession; all drawing through
 * src/viz. One controller per `[data-lab]` element; only the full lab owns the URL.
 */
import { preprocessImage, type GhostNetModel, type LayerInfo, type RgbaImage } from '../../model';
import { domainOf, type ScaleMode } from '../../viz/colour-scale';
import { drawProbBars, type ProbBarsHandle } from '../../viz/prob-bars';
import { drawNetworkStrip, formatCount, type NetworkStripHandle, type StripColumn } from '../../viz/network-strip';
import { splitChannels } from '../../viz/feature-grid';
import { readImageFile, ImageInputError } from '../../lib/image-input';
import { createDrawPad, type DrawPadHandle } from '../../lib/draw-pad';
import { createUrlState } from '../../lib/url-state';
import type { ShippedModel } from '../../lib/shipped-models';
import { BACKENDS, isBackendName, softwareWebgl, webglContext, type BackendChoice, type BackendName } from './backend';
import { LabSession, type TapData } from './session';
import { installStatus, setStatus } from './status';
import { drawInspector } from './inspector';
import { className, LAB_STRINGS, type LabLang } from './strings';

interface LabConfig {
  lang: LabLang;
  mode: 'full' | 'ghost' | 'attention';
  base: string;
  models: ShippedModel[];
  defaultModel: string;
  defaultLayer: string | null;
}

interface Sample {
  file: string;
  label: number;
  index: number;
}

const PAGE_SIZE = 20;
const BACKEND_NAMES: Record<BackendName, string> = { webgl: 'WebGL', wasm: 'WebAssembly', cpu: 'CPU' };
const pageStart = performance.now();

export async function mountLab(root: HTMLElement): Promise<void> {
  const lab = new Lab(root, JSON.parse(root.dataset.config ?? '{}') as LabConfig);
  await lab.start();
}

class Lab {
  private readonly t;
  private readonly full: boolean;
  private readonly session: LabSession;
  private readonly url;
  private state: { model: string; sample: number; layer: string; channel: number; backend: string; scale: string };
  private samples: Sample[] = [];
  private classes: string[] = [];
  private galleryPage = 0;
  private input: Float32Array | null = null;
  private inputLabel: number | null = null;
  private probs: ProbBarsHandle | null = null;
  private strip: NetworkStripHandle | null = null;
  private pad: DrawPadHandle | null = null;
  private cleanupInspector: () => void = () => {};
  private queue: Promise<unknown> = Promise.resolve();
  /** Set when a model loads; the next prediction reports firstInferenceMs from modelStart. */
  private firstPending = false;
  private modelStart = pageStart;

  constructor(
    private readonly root: HTMLElement,
    private readonly cfg: LabConfig,
  ) {
    this.t = LAB_STRINGS[cfg.lang];
    this.full = cfg.mode === 'full';
    this.session = new LabSession(() => void this.serial(() => this.onContextLost()));
    const ids = cfg.models.map((m) => m.id);
    const schema = {
      model: { kind: 'string' as const, default: ids.includes(cfg.defaultModel) ? cfg.defaultModel : (ids[0] ?? ''), options: ids },
      sample: { kind: 'int' as const, default: 0, min: 0, max: 100000 },
      layer: { kind: 'string' as const, default: cfg.defaultLayer ?? '', pattern: /^[\w.]*$/ },
      channel: { kind: 'int' as const, default: 0, min: 0, max: 100000 },
      backend: { kind: 'string' as const, default: '', options: ['', ...BACKENDS] },
      scale: { kind: 'string' as const, default: 'layer', options: ['layer', 'local', 'global'] },
    };
    // Only the lab page mirrors its state in the URL; embedded figures keep theirs to themselves.
    this.url = this.full ? createUrlState(schema, undefined, { omitDefaults: true }) : null;
    this.state = this.url
      ? this.url.get()
      : { model: schema.model.default, sample: 0, layer: schema.layer.default, channel: 0, backend: '', scale: 'layer' };
  }

  private $<T extends HTMLElement = HTMLElement>(role: string): T | null {
    return this.root.querySelector<T>(`[data-role="${role}"]`);
  }

  private set(patch: Partial<typeof this.state>): void {
    Object.assign(this.state, patch);
    this.url?.set(patch);
  }

  /** Runs model work one piece at a time, in order, so quick clicks never interleave. */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.queue.then(fn, fn);
    this.queue = next.catch(() => undefined);
    return next;
  }

  async start(): Promise<void> {
    installStatus();
    this.installDebug();
    this.wireControls();
    try {
      await this.loadSamples();
      const choice = await this.session.start(isBackendName(this.state.backend) ? this.state.backend : null);
      this.reportBackend(choice);
      await this.serial(() => this.loadModel(this.state.model));
      await this.serial(() => this.selectSample(this.state.sample));
    } catch (err) {
      this.fail(err);
    }
  }

  // ---------------------------------------------------------------- controls

  private wireControls(): void {
    const modelSel = this.$<HTMLSelectElement>('model')!;
    modelSel.value = this.state.model;
    modelSel.addEventListener('change', () => {
      this.set({ model: modelSel.value, layer: '', channel: 0 });
      void this.serial(async () => {
        await this.loadModel(modelSel.value);
        await this.runInput();
      }).catch((e) => this.fail(e));
    });

    const backendSel = this.$<HTMLSelectElement>('backend');
    if (backendSel) {
      backendSel.value = this.state.backend;
      backendSel.addEventListener('change', () => {
        this.set({ backend: backendSel.value });
        void this.serial(async () => {
          const choice = await this.session.rebuild(isBackendName(backendSel.value) ? backendSel.value : null);
          this.reportBackend(choice);
          await this.runInput();
        }).catch((e) => this.fail(e));
      });
    }

    const scaleSel = this.$<HTMLSelectElement>('scale')!;
    scaleSel.value = this.state.scale;
    scaleSel.addEventListener('change', () => {
      this.set({ scale: scaleSel.value });
      void this.serial(() => this.refreshViews()).catch((e) => this.fail(e));
    });

    const layerSel = this.$<HTMLSelectElement>('layer')!;
    layerSel.addEventListener('change', () => void this.serial(() => this.openLayer(layerSel.value)).catch((e) => this.fail(e)));

    // Tabs: gallery / upload / draw.
    const tabs = [...this.root.querySelectorAll<HTMLButtonElement>('[role="tab"]')];
    const show = (name: string) => {
      for (const b of tabs) b.setAttribute('aria-selected', String(b.dataset.tab === name));
      for (const p of this.root.querySelectorAll<HTMLElement>('[data-panel]')) p.hidden = p.dataset.panel !== name;
      if (name === 'draw') this.ensurePad();
    };
    tabs.forEach((b, i) => {
      b.addEventListener('click', () => show(b.dataset.tab!));
      b.addEventListener('keydown', (e) => {
        const d = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
        if (!d) return;
        const next = tabs[(i + d + tabs.length) % tabs.length]!;
        next.focus();
        show(next.dataset.tab!);
      });
    });

    this.$<HTMLSelectElement>('class-filter')?.addEventListener('change', () => {
      this.galleryPage = 0;
      this.renderGallery();
    });
    this.$('more')?.addEventListener('click', () => {
      this.galleryPage++;
      this.renderGallery();
    });

    const file = this.$<HTMLInputElement>('file');
    const drop = this.$('drop');
    file?.addEventListener('change', () => {
      const f = file.files?.[0];
      if (f) void this.upload(f);
      file.value = '';
    });
    drop?.addEventListener('dragover', (e) => {
      e.preventDefault();
      drop.classList.add('dragover');
    });
    drop?.addEventListener('dragleave', () => drop.classList.remove('dragover'));
    drop?.addEventListener('drop', (e) => {
      e.preventDefault();
      drop.classList.remove('dragover');
      const f = e.dataTransfer?.files[0];
      if (f) void this.upload(f);
    });

    // Hovering a term of the chapter's Ghost formulas highlights the maps it names.
    for (const term of document.querySelectorAll<HTMLElement>('.term-intrinsic, .term-ghost, .term-phi, .term-concat')) {
      const group = term.classList.contains('term-intrinsic') ? 'intrinsic' : term.classList.contains('term-concat') ? 'all' : 'ghost';
      term.addEventListener('mouseenter', () => (this.root.dataset.term = group));
      term.addEventListener('mouseleave', () => delete this.root.dataset.term);
    }
  }

  // ---------------------------------------------------------------- model

  private get model(): GhostNetModel {
    const m = this.session.model;
    if (!m) throw new Error('no model is loaded');
    return m;
  }

  private async loadModel(id: string): Promise<void> {
    const info = this.cfg.models.find((m) => m.id === id);
    if (!info) throw new Error(`unknown model ${id}`);
    setStatus({ ready: false, modelId: id, error: null });
    if (this.session.model) this.modelStart = performance.now();
    this.firstPending = true;
    this.status(this.t.loading(id));
    const t0 = performance.now();
    await this.session.load(`${this.cfg.base}/weights/${id}/model.json`, (bytes) => this.status(this.t.loadingBytes(id, (bytes / 1024).toFixed(0))));
    setStatus({ loadMs: performance.now() - t0, numTensors: this.session.numTensors() });
    const parts = [
      info.version === 'v2' ? 'GhostNetV2' : info.plain ? this.t.plainLabel : 'GhostNet V1',
      info.plain ? '' : `s = ${info.ratio}, d = ${info.dwSize}`,
      `${formatCount(info.params)} ${this.t.params}`,
      info.macs ? `${formatCount(info.macs)} ${this.t.macs}` : '',
      info.accuracy !== null ? `${(info.accuracy * 100).toFixed(2)} % ${this.t.accuracy}` : '',
    ];
    this.$('model-info')!.textContent = parts.filter(Boolean).join(' · ');
    this.fillLayerSelect();
    this.strip?.destroy();
    this.strip = null;
  }

  /** The layers a reader can open: those with spatial output maps (attention opens with its Ghost module). */
  private openable(): LayerInfo[] {
    return this.model.layers.filter((l) => l.outShape.length === 3 && l.outShape[0]! > 1 && l.kind !== 'dfc-attention');
  }

  private fillLayerSelect(): void {
    const sel = this.$<HTMLSelectElement>('layer')!;
    const layers = this.openable();
    sel.replaceChildren(...layers.map((l) => new Option(`${l.name} — ${l.kind} ${l.outShape.join('×')}`, l.name)));
    const want = this.state.layer;
    const fallback =
      layers.find((l) => l.name === want) ??
      (this.cfg.mode === 'attention' ? layers.find((l) => l.ghost?.attention) : undefined) ??
      layers.find((l) => l.name === 'blocks.2.0.ghost1') ??
      layers.find((l) => l.kind === 'ghost-module') ??
      layers[0];
    if (fallback && fallback.name !== want) this.set({ layer: fallback.name, channel: want ? 0 : this.state.channel });
    sel.value = this.state.layer;
  }

  // ---------------------------------------------------------------- inputs

  private async loadSamples(): Promise<void> {
    const res = await fetch(`${this.cfg.base}/samples/index.json`);
    if (!res.ok) throw new Error(`cannot fetch the sample gallery: HTTP ${res.status}`);
    const j = (await res.json()) as { classes: string[]; samples: Sample[] };
    this.samples = j.samples;
    this.classes = j.classes;
    const filter = this.$<HTMLSelectElement>('class-filter');
    filter?.append(...j.classes.map((c, i) => new Option(className(c, this.cfg.lang), String(i))));
    if (this.state.sample >= this.samples.length) this.set({ sample: 0 });
    const s = this.samples[this.state.sample];
    // Open the gallery on the page that holds the chosen sample.
    if (s) this.galleryPage = Math.floor(this.visibleSamples().findIndex((x) => x === s) / PAGE_SIZE);
    this.renderGallery();
  }

  private visibleSamples(): Sample[] {
    const f = this.$<HTMLSelectElement>('class-filter')?.value ?? '';
    return f === '' ? this.samples : this.samples.filter((s) => s.label === Number(f));
  }

  private renderGallery(): void {
    const el = this.$('gallery')!;
    const list = this.visibleSamples();
    const size = this.full ? PAGE_SIZE : 10;
    const pages = Math.max(1, Math.ceil(list.length / size));
    const page = ((this.galleryPage % pages) + pages) % pages;
    el.replaceChildren(
      ...list.slice(page * size, page * size + size).map((s) => {
        const i = this.samples.indexOf(s);
        const b = document.createElement('button');
        b.type = 'button';
        b.setAttribute('role', 'option');
        b.setAttribute('aria-selected', String(i === this.state.sample && this.inputLabel !== null));
        b.dataset.sample = String(i);
        const name = className(this.classes[s.label] ?? '', this.cfg.lang);
        b.title = `${name} (#${s.index})`;
        const img = document.createElement('img');
        img.src = `${this.cfg.base}/samples/${s.file}`;
        img.alt = `${name}, #${s.index}`;
        img.loading = 'lazy';
        b.append(img);
        b.addEventListener('click', () => void this.serial(() => this.selectSample(i)).catch((e) => this.fail(e)));
        return b;
      }),
    );
  }

  private async selectSample(i: number): Promise<void> {
    const s = this.samples[i];
    if (!s) return;
    this.set({ sample: i });
    const img = await loadImage(`${this.cfg.base}/samples/${s.file}`);
    this.inputLabel = s.label;
    for (const b of this.root.querySelectorAll<HTMLElement>('[data-sample]')) b.setAttribute('aria-selected', String(b.dataset.sample === String(i)));
    await this.setInput(img);
  }

  private async upload(file: File): Promise<void> {
    const err = this.$('upload-error')!;
    err.hidden = true;
    try {
      const [h] = this.model.inputShape;
      const r = await readImageFile(file, { maxSize: Math.min(512, Math.max(112, 4 * h)) });
      const img: RgbaImage = { width: r.width, height: r.height, data: r.imageData.data };
      const invert = this.$<HTMLInputElement>('invert')!;
      // Photos of clothes are usually dark on light; Fashion-MNIST is light on black.
      if (this.model.config.preprocess.grayscale) invert.checked = borderBrightness(img) > 0.5;
      if (invert.checked) invertInPlace(img);
      this.inputLabel = null;
      for (const b of this.root.querySelectorAll<HTMLElement>('[data-sample]')) b.setAttribute('aria-selected', 'false');
      await this.serial(() => this.setInput(img));
    } catch (e) {
      err.textContent = e instanceof ImageInputError ? e.messageIn(this.cfg.lang) : String(e instanceof Error ? e.message : e);
      err.hidden = false;
    }
  }

  private ensurePad(): void {
    if (this.pad) return;
    const [h, w] = this.model.inputShape;
    this.pad = createDrawPad(this.$('pad')!, {
      width: 224,
      height: 224,
      output: { width: w, height: h },
      mode: 'light-on-dark',
      clearButton: this.$('clear'),
      onChange: (image) => {
        this.inputLabel = null;
        void this.serial(() => this.setInput({ width: image.width, height: image.height, data: image.data })).catch((e) => this.fail(e));
      },
      strings: { ariaLabel: this.t.draw },
    });
    this.$<HTMLInputElement>('brush')?.addEventListener('input', (e) => this.pad?.setBrushSize(Number((e.target as HTMLInputElement).value)));
  }

  /** Preprocesses an image exactly as the model's config says, shows that tensor, and runs. */
  private async setInput(img: RgbaImage): Promise<void> {
    const m = this.model;
    this.input = preprocessImage(img, m.config.preprocess, m.inputShape);
    this.drawSees();
    await this.runInput();
  }

  private drawSees(): void {
    if (!this.input) return;
    const [h, w, c] = this.model.inputShape;
    const { mean, std } = this.model.config.preprocess;
    const canvas = document.createElement('canvas');
    canvas.width = w;
    canvas.height = h;
    canvas.setAttribute('role', 'img');
    canvas.setAttribute('aria-label', this.t.modelSees);
    const ctx = canvas.getContext('2d')!;
    const id = ctx.createImageData(w, h);
    for (let i = 0; i < h * w; i++) {
      for (let k = 0; k < 3; k++) {
        const ch = c === 1 ? 0 : k;
        const v = this.input[i * c + ch]! * std[ch]! + mean[ch]!;
        id.data[i * 4 + k] = Math.round(Math.min(1, Math.max(0, v)) * 255);
      }
      id.data[i * 4 + 3] = 255;
    }
    ctx.putImageData(id, 0, 0);
    this.$('sees')!.replaceChildren(canvas);
    this.$('sees-hint')!.textContent = this.t.modelSeesHint(h, w, c);
  }

  // ---------------------------------------------------------------- running

  private async runInput(): Promise<void> {
    if (!this.input || !this.session.model) return;
    this.status(this.t.running);
    const r = await this.session.infer(this.input);
    const labels = this.model.labels;
    const shown = labels.map((l) => className(l, this.cfg.lang));
    let top = 0;
    for (let i = 1; i < r.probs.length; i++) if (r.probs[i]! > r.probs[top]!) top = i;
    const probsEl = this.$('probs')!;
    if (this.probs) this.probs.update({ labels: shown, probs: r.probs });
    else this.probs = drawProbBars(probsEl, { labels: shown, probs: r.probs }, { topK: 10, strings: { ariaLabel: this.t.probabilities } });
    const truth = this.inputLabel !== null ? ` · ${this.t.trueLabel}: ${className(this.classes[this.inputLabel] ?? '', this.cfg.lang)}` : '';
    this.$('meta')!.textContent = `${this.t.inference}: ${r.ms.toFixed(1)} ms · ${this.t.backend}: ${BACKEND_NAMES[this.session.backend!.name]}${truth}`;
    setStatus({
      backend: this.session.backend!.name,
      lastPrediction: { index: top, label: labels[top] ?? String(top), p: r.probs[top]! },
      lastInferenceMs: r.ms,
      ...(this.firstPending ? { firstInferenceMs: performance.now() - this.modelStart } : {}),
    });
    this.firstPending = false;
    await this.refreshViews();
    setStatus({ ready: true, numTensors: this.session.numTensors() });
    this.status(this.t.ready);
  }

  /** Taps for the strip (every block's output) and the open layer, in one inspection pass. */
  private async refreshViews(): Promise<void> {
    if (!this.input || !this.session.model) return;
    const layer = this.currentLayer();
    const stripLayers = this.full ? this.stripLayers() : [];
    const taps = await this.session.inspect(this.input, [...stripLayers.map((l) => l.tap), ...(layer ? inspectorTaps(layer, this.model) : [])]);
    if (this.full) this.drawStrip(stripLayers, taps);
    if (layer) this.drawLayer(layer, taps);
    setStatus({ numTensors: this.session.numTensors() });
  }

  private currentLayer(): LayerInfo | undefined {
    return this.openable().find((l) => l.name === this.state.layer);
  }

  private async openLayer(name: string): Promise<number> {
    const t0 = performance.now();
    this.set({ layer: name, channel: 0 });
    const sel = this.$<HTMLSelectElement>('layer');
    if (sel) sel.value = name;
    const layer = this.currentLayer();
    if (!layer || !this.input) return 0;
    const taps = await this.session.inspect(this.input, inspectorTaps(layer, this.model));
    this.drawLayer(layer, taps);
    this.strip?.select(layer.block ?? layer.name);
    setStatus({ numTensors: this.session.numTensors() });
    return performance.now() - t0;
  }

  private drawLayer(layer: LayerInfo, taps: Map<string, TapData>): void {
    const m = this.model;
    const [h, w, c] = m.inputShape;
    const grey = new Float32Array(h * w);
    const { mean, std } = m.config.preprocess;
    for (let i = 0; i < h * w; i++) grey[i] = this.input![i * c]! * std[0]! + mean[0]!;
    const channels = layer.outShape[2]!;
    if (this.state.channel >= channels) this.set({ channel: 0 });
    const kernels = layer.ghost && !layer.ghost.plain ? m.cheapKernels(layer.name) : null;
    const all = [...taps.values()].map((t) => t.data);
    this.cleanupInspector();
    this.cleanupInspector = drawInspector(
      this.$('inspector')!,
      this.$('legend')!,
      {
        layer,
        taps,
        kernels,
        inputImage: { data: grey, height: h, width: w },
        scaleMode: this.state.scale as ScaleMode,
        globalDomain: this.state.scale === 'global' ? domainOf(all) : null,
        channel: this.state.channel,
      },
      this.t,
      {
        onChannel: (ch) => {
          this.set({ channel: ch });
          void this.serial(() => this.openLayerKeepChannel()).catch((e) => this.fail(e));
        },
      },
    );
    this.$('layer-title')!.textContent = `${this.t.inspector}: ${layer.name}`;
    this.$('layer-meta')!.textContent = `${layer.kind} · ${layer.inShape.join('×')} → ${layer.outShape.join('×')} · ${formatCount(layer.params)} ${this.t.params} · ${formatCount(layer.macs)} ${this.t.macs}`;
    setStatus({ layer: layer.name });
  }

  private async openLayerKeepChannel(): Promise<void> {
    const layer = this.currentLayer();
    if (!layer || !this.input) return;
    this.drawLayer(layer, await this.session.inspect(this.input, inspectorTaps(layer, this.model)));
  }

  private stripLayers(): { id: string; tap: string; layers: LayerInfo[] }[] {
    const groups = new Map<string, LayerInfo[]>();
    for (const l of this.model.layers) {
      if (l.outShape.length !== 3 || l.outShape[0]! <= 1) continue;
      const id = l.block ?? l.name;
      groups.set(id, [...(groups.get(id) ?? []), l]);
    }
    return [...groups].map(([id, layers]) => ({ id, tap: id, layers }));
  }

  private drawStrip(groups: { id: string; layers: LayerInfo[] }[], taps: Map<string, TapData>): void {
    const columns: StripColumn[] = groups.map(({ id, layers }) => {
      const tap = taps.get(id);
      const last = layers[layers.length - 1]!;
      const maps = tap
        ? splitChannels(tap.data, tap.shape, 'HWC')
            .slice(0, 4)
            .map((data, i) => ({ id: `${id}:${i}`, data, height: tap.shape[0]!, width: tap.shape[1]! }))
        : [];
      return {
        id,
        name: id,
        kind: layers.some((l) => l.ghost?.attention) ? 'ghost+dfc' : layers.some((l) => l.kind === 'ghost-module') ? 'ghost' : last.kind,
        outShape: tap ? tap.shape : last.outShape,
        params: layers.reduce((a, l) => a + l.params, 0),
        macs: layers.reduce((a, l) => a + l.macs, 0),
        maps,
      };
    });
    const current = this.currentLayer();
    const selected = current ? (current.block ?? current.name) : null;
    if (this.strip) {
      this.strip.update(columns);
      this.strip.select(selected);
      return;
    }
    this.strip = drawNetworkStrip(this.$('strip')!, columns, {
      selected,
      onSelect: (id) => {
        const first = this.openable().find((l) => (l.block ?? l.name) === id);
        if (first) void this.serial(() => this.openLayer(first.name)).catch((e) => this.fail(e));
      },
      strings: { ariaLabel: this.t.network, params: this.t.params, macs: this.t.macs, kindNames: { ghost: 'Ghost', 'ghost+dfc': 'Ghost + DFC' } },
    });
  }

  // ---------------------------------------------------------------- backends and failures

  private reportBackend(choice: BackendChoice): void {
    setStatus({ backend: choice.name });
    if (choice.name === 'webgl' && softwareWebgl() && this.full) this.notice(this.t.softwareWebgl);
    for (const f of choice.fallbacks) {
      this.notice(f.backend === 'webgl' && !webglContext() && choice.name !== 'webgl' ? `${this.t.webglMissing} (${f.reason})` : this.t.fallback(BACKEND_NAMES[f.backend], BACKEND_NAMES[choice.name], f.reason));
    }
  }

  private async onContextLost(): Promise<void> {
    setStatus({ ready: false });
    const choice = await this.session.rebuild(null, 'webgl');
    this.notice(this.t.contextLost(BACKEND_NAMES[choice.name]));
    setStatus({ backend: choice.name });
    const sel = this.$<HTMLSelectElement>('backend');
    sel?.querySelector('option[value="webgl"]')?.setAttribute('disabled', '');
    await this.runInput();
  }

  private status(text: string): void {
    this.$('status')!.textContent = text;
  }

  private notice(text: string): void {
    const p = document.createElement('p');
    p.className = 'notice';
    p.textContent = text;
    this.$('notices')!.append(p);
  }

  private fail(err: unknown): void {
    const msg = err instanceof Error ? err.message : String(err);
    setStatus({ error: msg, ready: false });
    const p = document.createElement('p');
    p.className = 'error';
    p.setAttribute('role', 'alert');
    p.textContent = this.t.loadFailed(this.state.model, msg);
    this.$('notices')!.append(p);
    this.status('');
  }

  /** Hooks for the benchmark script and tests (not part of the reader's UI). */
  private installDebug(): void {
    if (!this.full) return;
    Object.defineProperty(window, 'ghostlabDebug', {
      configurable: true,
      value: Object.freeze({
        infer: () =>
          this.serial(async () => {
            if (!this.input) throw new Error('no input yet');
            const r = await this.session.infer(this.input);
            setStatus({ lastInferenceMs: r.ms, numTensors: this.session.numTensors() });
            return r.ms;
          }),
        openLayer: (name: string) => this.serial(() => this.openLayer(name)),
        layers: () => (this.session.model ? this.openable().map((l) => l.name) : []),
        loseContext: () => {
          const gl = webglContext();
          const ext = gl?.getExtension('WEBGL_lose_context');
          ext?.loseContext();
          return Boolean(ext);
        },
      }),
    });
  }
}

/** The taps the inspector draws for a layer (and, for V2 Ghost modules, their attention). */
function inspectorTaps(layer: LayerInfo, model: GhostNetModel): string[] {
  const taps = [...layer.taps];
  if (layer.ghost?.attention) {
    const attn = model.layers.find((l) => l.name === `${layer.name}.attn`);
    if (attn) taps.push(...attn.taps);
  }
  return taps;
}

function loadImage(src: string): Promise<RgbaImage> {
  return new Promise((resolve, reject) => {
    const img = new Image();
    img.onload = () => {
      const c = document.createElement('canvas');
      c.width = img.naturalWidth;
      c.height = img.naturalHeight;
      const ctx = c.getContext('2d', { willReadFrequently: true })!;
      ctx.drawImage(img, 0, 0);
      resolve({ width: c.width, height: c.height, data: ctx.getImageData(0, 0, c.width, c.height).data });
    };
    img.onerror = () => reject(new Error(`cannot load ${src}`));
    img.src = src;
  });
}

/** Mean brightness of the outermost pixels, 0..1: a light border means a light background. */
function borderBrightness(img: RgbaImage): number {
  const { width: w, height: h, data } = img;
  let sum = 0;
  let n = 0;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      if (y !== 0 && y !== h - 1 && x !== 0 && x !== w - 1) continue;
      const i = (y * w + x) * 4;
      sum += (data[i]! + data[i + 1]! + data[i + 2]!) / 3;
      n++;
    }
  }
  return n ? sum / n / 255 : 0;
}

function invertInPlace(img: RgbaImage): void {
  const d = img.data as Uint8ClampedArray;
  for (let i = 0; i < d.length; i += 4) {
    d[i] = 255 - d[i]!;
    d[i + 1] = 255 - d[i + 1]!;
    d[i + 2] = 255 - d[i + 2]!;
  }
}

