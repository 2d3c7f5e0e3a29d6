import { test, expect, expectClean, open } from './fixtures';

const PAGES = ['/', '/zh/'];

for (const path of PAGES) {
  test(`${path} loads cleanly and typesets its math`, async ({ page, problems }) => {
    await open(page, path);
    await expect(page.locator('h1')).toHaveCount(1);
    expect(await page.locator('.katex').count()).toBeGreaterThan(0);
    expect(await page.locator('.katex-error').count()).toBe(0);
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
