/**
 * The gallery of Fashion-MNIST test images: a class filter, pages of samples, and the chosen one
 * as the lab's input. A sample that cannot be loaded is reported as that image's failure.
 */
import type { RgbaImage } from '../../model';
import { role, type LabContext, type PanelHandle } from './context';
import { className } from './strings';

export interface Sample {
  file: string;
  label: number;
  index: number;
}

const PAGE_SIZE = 20;

export interface GalleryHandle extends PanelHandle {
  /** Makes sample i the input (as a click would). */
  select(i: number): Promise<void>;
}

/** Fetches the gallery's index and mounts it; resolves once the samples are listed. */
export async function galleryPanel(el: HTMLElement, ctx: LabContext): Promise<GalleryHandle> {
  const { cfg, state, notices, t, full } = ctx;
  const { samples, classes } = await fetchSamples(cfg.base);
  const grid = role(el, 'gallery')!;
  const filter = role<HTMLSelectElement>(el, 'class-filter');
  filter?.append(...classes.map((c, i) => new Option(className(c, cfg.lang), String(i))));
  const size = full ? PAGE_SIZE : 10;
  let page = 0;
  let token = 0;

  const visible = () => {
    const f = filter?.value ?? '';
    return f === '' ? samples : samples.filter((s) => s.label === Number(f));
  };
  const isChosen = (i: number) => state.get().image?.source === 'sample' && state.get().sample === i;

  const render = () => {
    const list = visible();
    const pages = Math.max(1, Math.ceil(list.length / size));
    page = ((page % pages) + pages) % pages;
    grid.replaceChildren(
      ...list.slice(page * size, page * size + size).map((s) => {
        const i = samples.indexOf(s);
        const b = document.createElement('button');
        b.type = 'button';
        b.setAttribute('role', 'option');
        b.setAttribute('aria-selected', String(isChosen(i)));
        b.dataset.sample = String(i);
        const name = className(classes[s.label] ?? '', cfg.lang);
        b.title = `${name} (#${s.index})`;
        const img = document.createElement('img');
        img.src = `${cfg.base}/samples/${s.file}`;
        img.alt = `${name}, #${s.index}`;
        img.loading = 'lazy';
        b.append(img);
        b.addEventListener('click', () => void select(i));
        return b;
      }),
    );
    rove();
  };

  // One Tab stop for the whole gallery (the chosen sample, else the first); arrows move inside it.
  const rove = (focus?: HTMLElement) => {
    const items = [...grid.querySelectorAll<HTMLElement>('[data-sample]')];
    const current = focus ?? items.find((b) => b.getAttribute('aria-selected') === 'true') ?? items[0];
    for (const b of items) b.tabIndex = b === current ? 0 : -1;
    focus?.focus();
  };
  grid.addEventListener('keydown', (e) => {
    const items = [...grid.querySelectorAll<HTMLElement>('[data-sample]')];
    const at = items.indexOf(document.activeElement as HTMLElement);
    if (at < 0) return;
    const perRow = Math.max(1, Math.round(grid.clientWidth / Math.max(1, items[0]!.offsetWidth + 6)));
    const step: Record<string, number> = { ArrowRight: 1, ArrowLeft: -1, ArrowDown: perRow, ArrowUp: -perRow, Home: -at, End: items.length - 1 - at };
    if (!(e.key in step)) return;
    e.preventDefault();
    rove(items[Math.min(items.length - 1, Math.max(0, at + step[e.key]!))]);
  });

  const select = async (i: number): Promise<void> => {
    const s = samples[i];
    if (!s) return;
    const mine = ++token;
    try {
      const rgba = await loadImage(`${cfg.base}/samples/${s.file}`);
      if (mine !== token) return; // a later click won
      notices.recovered('sample');
      state.update({ sample: i, image: { rgba, label: s.label, source: 'sample' } });
    } catch (err) {
      notices.error('sample', t.sampleFailed(`#${s.index}`, err instanceof Error ? err.message : String(err)), () => void select(i));
    }
  };

  filter?.addEventListener('change', () => {
    page = 0;
    render();
  });
  role(el, 'more')?.addEventListener('click', () => {
    page++;
    render();
  });
  const off = state.subscribe(['image', 'sample'], () => {
    for (const b of grid.querySelectorAll<HTMLElement>('[data-sample]')) b.setAttribute('aria-selected', String(isChosen(Number(b.dataset.sample))));
    if (!grid.contains(document.activeElement)) rove();
  });

  if (state.get().sample >= samples.length) state.update({ sample: 0 });
  // Open the gallery on the page that holds the chosen sample.
  const chosen = samples[state.get().sample];
  if (chosen) page = Math.floor(visible().indexOf(chosen) / size);
  render();
  return { select, destroy: off };
}

/** The gallery's index: the class names and every sample's file and true label. */
export async function fetchSamples(base: string): Promise<{ classes: string[]; samples: Sample[] }> {
  const res = await fetch(`${base}/samples/index.json`);
  if (!res.ok) throw new Error(`cannot fetch the sample gallery: HTTP ${res.status}`);
  return (await res.json()) as { classes: string[]; samples: Sample[] };
}

export function loadImage(src: string): Promise<RgbaImage> {
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
