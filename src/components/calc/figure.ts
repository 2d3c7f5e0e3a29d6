/** Server-side helpers for the calculator figures' frontmatter. */

export interface CalculatorProps {
  lang: 'en' | 'zh';
  /** Prefix for element ids (default: unique per instance). */
  id?: string;
  /** Mirror the state in the URL (default true; one instance per page should). */
  urlState?: boolean;
}

/**
 * Element ids must be unique per instance: a build-wide counter gives each figure its own default.
 * Call it once per instance whether or not an id is given, so the numbering stays stable.
 */
export function nextFigureId(prefix: string): string {
  const counter = globalThis as unknown as { __ghostlabFigureCount?: number };
  counter.__ghostlabFigureCount = (counter.__ghostlabFigureCount ?? 0) + 1;
  return `${prefix}-${counter.__ghostlabFigureCount}`;
}
