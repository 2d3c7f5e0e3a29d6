/** The prediction: class probabilities, the inference time, the backend, and the true label when known. */
import { drawProbBars, type ProbBarsHandle } from '../../viz/prob-bars';
import { BACKEND_NAMES, role, type Panel } from './context';
import { className } from './strings';

export const predictionPanel: Panel = (el, ctx) => {
  const { t, cfg, state, session } = ctx;
  let bars: ProbBarsHandle | null = null;
  let classes: string[] = [];
  return {
    render({ model, result }, changed) {
      if (!changed.has('image') && !changed.has('model') && bars) return;
      classes = model.labels;
      const data = { labels: classes.map((l) => className(l, cfg.lang)), probs: result.probs };
      // Fashion-MNIST's 10 classes all fit; of ImageNet's 1000, the top 5 and one row for the rest.
      const topK = classes.length > 10 ? 5 : 10;
      if (bars) bars.update(data, { topK });
      else bars = drawProbBars(role(el, 'probs')!, data, { topK, strings: { ariaLabel: t.probabilities, others: t.otherClasses } });
      const label = state.get().image?.label ?? null;
      const truth = label !== null ? ` · ${t.trueLabel}: ${className(classes[label] ?? '', cfg.lang)}` : '';
      const meta = role(el, 'meta');
      if (meta) meta.textContent = `${t.inference}: ${result.ms.toFixed(1)} ms · ${t.backend}: ${BACKEND_NAMES[session.backend!.name]}${truth}`;
    },
  };
};
