/**
 * Step mode: walks the open Ghost module one operation at a time on the current image — its
 * input, the intrinsic maps, the cheap operation's kernels, the ghosts, the concat and slice, and
 * in GhostNetV2 each stage of the DFC branch, the gate and the gated output — drawing the real
 * tensors of that step and lighting the same part in the chapter's diagram and formulas (the
 * `term-lit` class that term-link.ts uses). Arrow keys step; so do the two buttons.
 */
import type { GhostNetModel, LayerInfo } from '../../model';
import { drawFeatureGrid, splitChannels, type FeatureGridHandle, type MapData } from '../../viz/feature-grid';
import { drawKernel } from '../../viz/kernel-view';
import { role, type Frame, type Panel } from './context';
import { mapNames } from './map-names';
import { inputTap } from './module-input';
import type { TapData } from './session';
import { setStatus } from './status';
import type { LabStrings } from './strings';

/** How many maps a step draws at most (the rest are counted, not drawn). */
const SHOWN = 16;

interface Step {
  id: string;
  /** The formula / diagram term this step stands for. */
  term: string | null;
  name: string;
  text: string;
  /** The tap drawn, or 'kernels' for the cheap operation's filters. */
  tap: string | 'kernels' | null;
  /** Values in [0, 1] (the sigmoid gate). */
  unit?: boolean;
}

function stepsOf(model: GhostNetModel, layer: LayerInfo, t: LabStrings): Step[] {
  const g = layer.ghost!;
  const p = layer.name;
  const [h, w] = layer.outShape as [number, number, number];
  const steps: Step[] = [
    { id: 'input', term: null, name: t.stepInput, text: t.stepInputText(layer.inShape.join('×')), tap: inputTap(model, layer) },
    { id: 'intrinsic', term: 'intrinsic', name: t.stepIntrinsic, text: t.stepIntrinsicText(g.intrinsic, g.ratio, layer.outShape[2]!), tap: `${p}.intrinsic` },
    { id: 'phi', term: 'phi', name: t.stepPhi, text: t.stepPhiText(g.ghost, g.dwSize, g.ratio - 1), tap: 'kernels' },
    { id: 'ghost', term: 'ghost', name: t.stepGhost, text: t.stepGhostText(g.ghost, g.relu), tap: `${p}.ghost` },
    { id: 'concat', term: 'concat', name: t.stepConcat, text: t.stepConcatText(g.intrinsic + g.ghost, g.kept), tap: g.attention ? `${p}.ungated` : p },
  ];
  if (g.attention) {
    steps.push(
      { id: 'z', term: 'z', name: t.stepZ, text: t.stepZText(h, w), tap: `${p}.attn.conv` },
      { id: 'fw', term: 'fw', name: t.stepFw, text: t.stepFwText, tap: `${p}.attn.horizontal` },
      { id: 'fh', term: 'fh', name: t.stepFh, text: t.stepFhText, tap: `${p}.attn.vertical` },
      { id: 'gate', term: 'gate', name: t.stepGate, text: t.stepGateText(h, w), tap: `${p}.attn.gate`, unit: true },
      { id: 'gated', term: 'gated', name: t.stepGated, text: t.stepGatedText, tap: p },
    );
  }
  return steps;
}

/** Lights `term`'s parts in the page's diagrams and formulas (as hovering them does). */
function light(term: string | null, lit: Element[]): Element[] {
  for (const el of lit) el.classList.remove('term-lit');
  if (!term) return [];
  const now = [...document.querySelectorAll(`[data-diagram] [data-term="${term}"], .katex .term-${term}`)];
  for (const el of now) el.classList.add('term-lit');
  return now;
}

export const stepPanel: Panel = (el, ctx) => {
  const { state, t } = ctx;
  const host = role<HTMLDetailsElement>(el, 'step-panel');
  if (!host) return {};
  const prev = host.querySelector<HTMLButtonElement>('[data-action="step-prev"]')!;
  const next = host.querySelector<HTMLButtonElement>('[data-action="step-next"]')!;
  const count = role(host, 'step-count')!;
  const body = role(host, 'step-body')!;
  const nameEl = role(host, 'step-name')!;
  const textEl = role(host, 'step-text')!;
  const mapsEl = role(host, 'step-maps')!;

  let index = 0;
  let steps: Step[] = [];
  let frame: Frame | null = null;
  let layer: LayerInfo | null = null;
  let lit: Element[] = [];
  let cleanup: () => void = () => {};

  const draw = () => {
    cleanup();
    cleanup = () => {};
    mapsEl.replaceChildren();
    const open = host.open;
    if (!layer || !frame || !steps.length) {
      nameEl.textContent = '';
      textEl.textContent = t.claimOpenGhost;
      count.textContent = '';
      prev.disabled = next.disabled = true;
      lit = light(null, lit);
      setStatus({ step: null });
      return;
    }
    index = Math.min(Math.max(0, index), steps.length - 1);
    const step = steps[index]!;
    count.textContent = t.stepCount(index + 1, steps.length);
    // A button that is disabled while focused drops the focus to the page: hand it to the other one.
    const focused = document.activeElement;
    prev.disabled = index === 0;
    next.disabled = index === steps.length - 1;
    if (focused === next && next.disabled) prev.focus();
    if (focused === prev && prev.disabled) next.focus();
    nameEl.textContent = step.name;
    textEl.textContent = step.text;
    lit = light(open ? step.term : null, lit);
    setStatus({ step: open ? { layer: layer.name, index, id: step.id, of: steps.length } : null });
    if (!open) return;

    if (step.tap === 'kernels') {
      const k = frame.model.cheapKernels(layer.name);
      const names = mapNames(layer, k);
      const handles = k.kernels.slice(0, 8).map((kernel, j) => {
        const fig = document.createElement('figure');
        fig.className = 'lab-step-kernel';
        const cap = document.createElement('figcaption');
        cap.textContent = names[layer!.ghost!.intrinsic + j]!;
        mapsEl.append(fig);
        const h = drawKernel(fig, { data: kernel, height: k.dwSize, width: k.dwSize }, { cellSize: k.dwSize > 5 ? 14 : 22, format: (v) => v.toFixed(2), strings: { ariaLabel: `${t.kernel} ${j}` } });
        fig.append(cap);
        return h;
      });
      mapsEl.dataset.shown = String(handles.length);
      cleanup = () => handles.forEach((h) => h.destroy());
      return;
    }
    const tap: TapData | undefined = step.tap ? frame.taps.get(step.tap) : undefined;
    if (!tap) {
      mapsEl.dataset.shown = '0';
      return;
    }
    const channels = splitChannels(tap.data, tap.shape, 'HWC');
    const names = mapNames(layer, frame.model.cheapKernels(layer.name));
    const first = step.id === 'ghost' ? layer.ghost!.intrinsic : 0;
    const named = ['intrinsic', 'ghost', 'concat', 'gated'].includes(step.id);
    const maps: MapData[] = channels.slice(0, SHOWN).map((data, i) => ({
      id: `c${i}`,
      label: named ? (names[first + i] ?? `${i}`) : `${i}`,
      group: step.id === 'intrinsic' || step.id === 'ghost' ? step.id : 'output',
      data,
      height: tap.shape[0]!,
      width: tap.shape[1]!,
    }));
    const grid: FeatureGridHandle = drawFeatureGrid(mapsEl, maps, {
      scaleMode: step.unit ? 'global' : 'layer',
      ...(step.unit ? { domain: { kind: 'sequential' as const, min: 0, max: 1 }, kind: 'sequential' as const, scheme: 'inferno' as const } : {}),
      cellSize: 40,
      strings: { ariaLabel: `${step.name}: ${tap.shape.join('×')}` },
    });
    mapsEl.dataset.shown = String(maps.length);
    if (channels.length > SHOWN) {
      const more = document.createElement('p');
      more.className = 'lab-meta';
      more.textContent = t.stepMore(SHOWN, channels.length);
      mapsEl.append(more);
    }
    cleanup = () => grid.destroy();
  };

  const go = (to: number) => {
    index = to;
    draw();
  };
  prev.addEventListener('click', () => go(index - 1));
  next.addEventListener('click', () => go(index + 1));
  // Arrow keys step while focus is anywhere in the step view (the buttons or the view itself).
  host.addEventListener('keydown', (e) => {
    if (!host.open || !(e.target instanceof HTMLElement) || e.target.tagName === 'SUMMARY') return;
    const to = { ArrowRight: index + 1, ArrowDown: index + 1, ArrowLeft: index - 1, ArrowUp: index - 1, Home: 0, End: steps.length - 1 }[e.key];
    if (to === undefined) return;
    e.preventDefault();
    go(Math.min(Math.max(0, to), steps.length - 1));
  });
  host.addEventListener('toggle', () => draw());
  body.setAttribute('aria-live', 'polite');

  return {
    taps(changed, model) {
      if (!['model', 'image', 'layer'].some((k) => changed.has(k as 'model'))) return null;
      const l = model.layers.find((x) => x.name === state.get().layer);
      if (!l?.ghost || l.ghost.plain) return null;
      return stepsOf(model, l, t).flatMap((s) => (s.tap && s.tap !== 'kernels' ? [s.tap] : []));
    },
    render(f, changed) {
      if (!changed.has('model') && !changed.has('image') && !changed.has('layer')) return;
      const l = f.model.layers.find((x) => x.name === state.get().layer);
      const ghostLayer = l?.ghost && !l.ghost.plain ? l : null;
      if (ghostLayer?.name !== layer?.name || changed.has('model')) index = 0;
      layer = ghostLayer;
      frame = f;
      steps = layer ? stepsOf(f.model, layer, t) : [];
      draw();
    },
    destroy: () => {
      cleanup();
      light(null, lit);
    },
  };
};
