/**
 * The backend: starts the first one that works, reports every fallback, lets the reader switch,
 * and carries on after a lost WebGL context by rebuilding the model on another backend.
 */
import { isBackendName, softwareWebgl, webglContext, type BackendChoice } from '../../lib/tf-backend';
import { BACKEND_NAMES, role, type LabContext, type Panel } from './context';
import { setStatus } from './status';

/** Starts the backend the state asks for (or the best one); call once before the first model. */
export async function startBackend(ctx: LabContext): Promise<void> {
  const wanted = ctx.state.get().backend;
  reportBackend(ctx, await ctx.session.start(isBackendName(wanted) ? wanted : null));
}

export const backendPanel: Panel = (el, ctx) => {
  const { session, state, views, notices, t } = ctx;
  const select = role<HTMLSelectElement>(el, 'backend');
  if (select) select.value = state.get().backend;
  select?.addEventListener('change', () => {
    state.update({ backend: select.value });
    void session
      .run(async () => reportBackend(ctx, await session.rebuild(isBackendName(select.value) ? select.value : null)))
      .then(() => views.rerun());
  });
  session.onContextLost = () =>
    void session
      .run(async () => {
        setStatus({ ready: false });
        const choice = await session.rebuild(null, 'webgl');
        notices.notice(t.contextLost(BACKEND_NAMES[choice.name]));
        setStatus({ backend: choice.name });
        select?.querySelector('option[value="webgl"]')?.setAttribute('disabled', '');
      })
      .then(() => views.rerun());
  return {};
};

function reportBackend(ctx: LabContext, choice: BackendChoice): void {
  const { notices, t } = ctx;
  setStatus({ backend: choice.name });
  if (choice.softwareRenderer) notices.notice(t.autoWasm(choice.softwareRenderer));
  if (choice.name === 'webgl' && softwareWebgl() && ctx.full) notices.notice(t.softwareWebgl);
  for (const f of choice.fallbacks) {
    notices.notice(
      f.backend === 'webgl' && !webglContext() && choice.name !== 'webgl'
        ? `${t.webglMissing} (${f.reason})`
        : t.fallback(BACKEND_NAMES[f.backend], BACKEND_NAMES[choice.name], f.reason),
    );
  }
}
