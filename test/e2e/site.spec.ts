import { test, expect, expectClean, open } from './fixtures';

// Every route of the site, in both languages.
const PAGES = ['/', '/ghostnet-v1/', '/ghostnet-v2/', '/lab/'].flatMap((p) => [p, `/zh${p}`]);

for (const path of PAGES) {
  test(`${path} loads and runs every figure with no error and nothing fetched from elsewhere`, async ({ page, problems }) => {
    await open(page, path);
    await expect(page.locator('h1')).toHaveCount(1);
    expect(await page.locator('.katex-error').count()).toBe(0);
    // Scroll through the page so every lazily mounted figure starts, then let it finish.
    const labs = await page.locator('[data-lab]').count();
    await page.evaluate(async () => {
      for (let y = 0; y < document.body.scrollHeight; y += 600) {
        window.scrollTo(0, y);
        await new Promise((r) => setTimeout(r, 50));
      }
    });
    if (labs > 0) await page.waitForFunction(() => (window as unknown as { ghostlab?: { ready: boolean } }).ghostlab?.ready === true, null, { timeout: 45_000 });
    await page.waitForLoadState('networkidle');
    expectClean(problems);
  });
}

test('a WebGL2 context can be created (the lab needs it)', async ({ page }) => {
  await open(page, '/');
  const info = await page.evaluate(() => {
    const gl = document.createElement('canvas').getContext('webgl2');
    if (!gl) return null;
    return { version: gl.getParameter(gl.VERSION) as string };
  });
  expect(info, 'WebGL2 context').not.toBeNull();
  expect(info!.version).toContain('WebGL 2');
});

test('dark mode toggles, is remembered, and survives navigation', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await open(page, '/');
  expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('light');
  await page.locator('#theme-toggle').click();
  expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
  await open(page, '/ghostnet-v1/');
  expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
  const bg = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
  expect(bg).not.toBe('rgb(253, 253, 251)');
});
