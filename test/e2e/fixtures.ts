import { test as base, expect, type Page } from '@playwright/test';

/**
 * Every page test gets these checks for free: no console error, no uncaught exception and no
 * request leaving the site's origin (everything must be self-hosted).
 */
export interface PageProblems {
  consoleErrors: string[];
  pageErrors: string[];
  foreignRequests: string[];
  requests: string[];
}

export const test = base.extend<{ problems: PageProblems }>({
  problems: async ({ page, baseURL }, use) => {
    const problems: PageProblems = { consoleErrors: [], pageErrors: [], foreignRequests: [], requests: [] };
    const origin = new URL(baseURL ?? 'http://127.0.0.1').origin;
    page.on('console', (msg) => {
      if (msg.type() === 'error') problems.consoleErrors.push(msg.text());
    });
    page.on('pageerror', (err) => problems.pageErrors.push(String(err)));
    page.on('request', (req) => {
      const url = req.url();
      problems.requests.push(url);
      if (!url.startsWith(origin) && !url.startsWith('data:') && !url.startsWith('blob:')) problems.foreignRequests.push(url);
    });
    await use(problems);
  },
});

export { expect };

export function expectClean(problems: PageProblems): void {
  expect(problems.pageErrors, 'uncaught exceptions').toEqual([]);
  expect(problems.consoleErrors, 'console errors').toEqual([]);
  expect(problems.foreignRequests, 'requests leaving the origin').toEqual([]);
}

/** Loads a page and waits until its scripts have settled. */
export async function open(page: Page, path: string): Promise<void> {
  await page.goto(path, { waitUntil: 'load' });
  await page.waitForLoadState('networkidle');
}
