/**
 * An embedded lab's way out: a link to the lab page that opens the same model, sample, layer,
 * map, s and d (and backend), kept current as the reader moves around the figure.
 */
import { role, type Panel } from './context';
import { labHref } from './url-sync';

export const openLabPanel: Panel = (el, ctx) => {
  const link = role<HTMLAnchorElement>(el, 'open-lab');
  if (!link) return {};
  const follow = () => (link.href = labHref(ctx.cfg, ctx.state.get()));
  const off = ctx.state.subscribe(['model', 'sample', 'layer', 'channel', 'backend', 'scale', 's', 'd'], follow);
  follow();
  return { destroy: off };
};
