import { test, expect, expectClean, open } from './fixtures';
import type { Page } from '@playwright/test';

interface Explained { tap: string; channel: number; x: number; y: number; value: number }
type Tap = { shape: number[]; data: number[] };

const explained = (page: Page) => page.evaluate(() => (window as unknown as { ghostlab: { explained: Explained | null } }).ghostlab.explained);
const tap = (page: Page, name: string) => page.evaluate((n) => (window as unknown as { ghostlabDebug: { tap(n: string): Promise<Tap> } }).ghostlabDebug.tap(n), name);
const valueAt = (t: Tap, e: Explained) => t.data[(e.y * t.shape[1]! + e.x) * t.shape[2]! + e.channel]!;

// ghost1 (72 maps, 36 of them ghosts) ends in a ReLU; ghost2 (24 maps, 12 ghosts) does not.
for (const [lang, layer, channel] of [
  ['en', 'blocks.2.0.ghost1', 40],
  ['zh', 'blocks.2.0.ghost2', 20],
] as const) {
  test(`${lang}: a ghost pixel from the URL is explained term by term, and equals the ghost map's value (${layer})`, async ({ page, problems }) => {
    await open(page, `${lang === 'zh' ? '/zh' : ''}/lab/?backend=wasm&layer=${layer}&channel=${channel}&x=0&y=5`);
    await expect.poll(() => explained(page), { timeout: 90_000 }).not.toBeNull();
    const e = (await explained(page))!;
    expect([e.tap, e.x, e.y]).toEqual([`${layer}.ghost`, 0, 5]);
    const ghost = await tap(page, e.tap);
    expect(Math.abs(e.value - valueAt(ghost, e))).toBeLessThan(1e-4);
    // The window runs off the left edge: a column of padding, marked.
    const tables = page.locator('[data-role="explain"] table');
    await expect(tables).toHaveCount(3);
    await expect(tables.first().locator('td.gv-pad')).toHaveCount(3);
    await expect(page.locator('[data-role="explain-value"]')).toContainText(e.value.toFixed(4));
    await expect(page.locator('[data-role="explain"]')).toContainText(/BatchNorm/);
    expectClean(problems);
  });
}

test('keyboard: focus the large map, move with the arrows, Enter explains that pixel; x and y follow in the URL', async ({ page, problems }) => {
  await open(page, '/lab/?backend=wasm&layer=blocks.2.0.ghost1&channel=50');
  await page.waitForFunction(() => (window as unknown as { ghostlab: { ready: boolean } }).ghostlab?.ready === true, null, { timeout: 90_000 });
  expect(await explained(page)).toBeNull();
  await page.locator('.lab-detail canvas').focus();
  for (const key of ['ArrowRight', 'ArrowRight', 'ArrowDown', 'Enter']) await page.keyboard.press(key);
  await expect.poll(() => explained(page)).toMatchObject({ x: 2, y: 1 });
  await expect.poll(() => [new URL(page.url()).searchParams.get('x'), new URL(page.url()).searchParams.get('y')]).toEqual(['2', '1']);
  const e = (await explained(page))!;
  expect(Math.abs(e.value - valueAt(await tap(page, e.tap), e))).toBeLessThan(1e-4);
  // Focus stays on the map after the redraw: more keys pick the next pixel.
  await expect.poll(() => page.evaluate(() => document.activeElement?.closest('.lab-detail') !== null)).toBe(true);
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('Enter');
  await expect.poll(() => explained(page)).toMatchObject({ x: 3, y: 1 });
  expectClean(problems);
});

test.describe('phone 390 × 844', () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test('a 7×7 explanation fits the screen (its tables scroll inside their box)', async ({ page, problems }) => {
    await open(page, '/zh/lab/?backend=wasm&model=ghostnet-fmnist-s2-d7&layer=blocks.2.0.ghost1&channel=40&x=3&y=3');
    await expect.poll(() => explained(page), { timeout: 90_000 }).not.toBeNull();
    await expect(page.locator('[data-role="explain"] table').first().locator('tr')).toHaveCount(7);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expectClean(problems);
  });
});
