/**
 * The lab: composes the panels for one `[data-lab]` element around one state and one model
 * session. The full lab (its own page) has every panel and owns the URL; the chapters embed a
 * smaller set ('ghost': a Ghost module beside the text, 'attention': GhostNetV2's DFC maps).
 * Adding a panel means writing its module and listing it here; no panel knows another.
 */
import { backendPanel, startBackend } from './backend-panel';
import { comparePanel } from './compare-panel';
import { checkpointPanel } from './checkpoint-panel';
import type { LabConfig, LabContext, PanelHandle } from './context';
import { installDebug } from './debug';
import { drawPanel } from './draw-panel';
import { explainPanel } from './explain-panel';
import { galleryPanel } from './gallery';
import { ghostClaimPanel } from './ghost-claim-panel';
import { gridPanel } from './grid-panel';
import { inputTabs } from './input-tabs';
import { inspectorPanel } from './inspector-panel';
import { modelCard } from './model-card';
import { modelPanel } from './model-panel';
import { openLabPanel } from './open-lab';
import { switchModel } from './models';
import { createNotices } from './notices';
import { predictionPanel } from './prediction';
import { seesPanel } from './sees';
import { LabSession } from './session';
import { createLabState } from './state';
import { bindStatus, installStatus, setStatus } from './status';
import { stepPanel } from './step-panel';
import { stripPanel } from './strip-panel';
import { LAB_STRINGS } from './strings';
import { bindFormulaTerms } from './terms';
import { bindUrl, initialState } from './url-sync';
import { uploadPanel } from './upload';
import { createViews } from './views';

export async function mountLab(root: HTMLElement): Promise<void> {
  const cfg = JSON.parse(root.dataset.config ?? '{}') as LabConfig;
  const t = LAB_STRINGS[cfg.lang];
  const full = cfg.mode === 'full';
  const notices = createNotices(root.querySelector('[data-role="status"]'), root.querySelector('[data-role="notices"]'), t);
  const first = initialState(cfg, full);
  // A link with a value the lab cannot use (a model it does not ship, a misspelt layer name) opens
  // the default instead, and says so.
  for (const n of first.notes) notices.notice(t.urlIgnored(n.param, n.given.replace(/[\u0000-\u001f\u007f-\u009f]/g, '\ufffd'), String(n.used)));
  const state = createLabState(first.state);
  const panels: PanelHandle[] = [];
  const base = { root, cfg, t, full, state, session: new LabSession(), notices };
  const ctx: LabContext = { ...base, views: createViews(base, () => panels) };

  installStatus();
  bindStatus(state);
  if (full) {
    bindUrl(cfg, state);
    installDebug(ctx);
  }
  bindFormulaTerms(root);
  const picker = root.querySelector<HTMLSelectElement>('[data-role="model"]');
  if (picker) picker.value = first.model;
  panels.push(
    modelPanel(root, ctx),
    gridPanel(root, ctx),
    modelCard(root, ctx),
    comparePanel(root, ctx),
    backendPanel(root, ctx),
    inputTabs(root, ctx),
    uploadPanel(root, ctx),
    drawPanel(root, ctx),
    seesPanel(root, ctx),
    predictionPanel(root, ctx),
    ...(full ? [checkpointPanel(root, ctx), stripPanel(root, ctx)] : [openLabPanel(root, ctx)]),
    inspectorPanel(root, ctx),
    stepPanel(root, ctx),
    ...(full ? [ghostClaimPanel(root, ctx)] : []),
    explainPanel(root, ctx),
  );
  try {
    const gallery = await galleryPanel(root, ctx);
    panels.push(gallery);
    await startBackend(ctx);
    if (!(await switchModel(ctx, first.model))) return;
    await gallery.select(state.get().sample);
    // A link to a part of the lab (#ghost-claim) lands before the panels above it have grown:
    // once the first pass has drawn them, bring that part back into view.
    await ctx.session.idle();
    const target = location.hash ? document.getElementById(decodeURIComponent(location.hash.slice(1))) : null;
    if (target && root.contains(target)) target.scrollIntoView();
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    setStatus({ error: msg, ready: false });
    notices.error('start', t.loadFailed(first.model, msg));
  }
}
