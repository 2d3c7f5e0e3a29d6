import type { Page } from '@playwright/test';
import { test, expect, expectClean, open } from './fixtures';

// Step mode (src/components/lab/step-panel.ts): one operation of the open Ghost module at a time,
// by keyboard, with the chapter's diagram part and formula term lit for each step.
interface Step { layer: string; index: number; id: string; of: number }
const step = (page: Page) => page.evaluate(() => (window as unknown as { ghostlab: { step: Step | null } }).ghostlab.step);
const litTerms = (page: Page) =>
  page.locator('[data-diagram] .term-lit[data-term]').evaluateAll((els) => [...new Set(els.map((e) => (e as SVGElement).dataset.term))]);

async function openStepMode(page: Page, path: string) {
  await open(page, path);
  const lab = page.locator('[data-lab]').first();
  await lab.scrollIntoViewIfNeeded();
  await page.waitForFunction(() => (window as unknown as { ghostlab?: { ready: boolean } }).ghostlab?.ready === true, null, { timeout: 90_000 });
  const panel = lab.locator('[data-role="step-panel"]');
  // Keyboard only: focus the summary, open it with Enter, Tab to the step buttons.
  await panel.locator('summary').focus();
  await page.keyboard.press('Enter');
  await expect.poll(() => step(page)).toMatchObject({ index: 0, id: 'input' });
  await page.keyboard.press('Tab'); // "previous" is disabled on the first step, so focus lands on "next"
  await expect(panel.locator('[data-action="step-next"]')).toBeFocused();
  return panel;
}

for (const prefix of ['', '/zh']) {
  test(`${prefix}/ghostnet-v1/: arrow keys walk the Ghost module; each step draws its tensor and lights its diagram part`, async ({ page, problems }) => {
    const panel = await openStepMode(page, `${prefix}/ghostnet-v1/?backend=wasm`);
    const first = (await step(page))!;
    expect(first.of).toBe(5);
    const maps = panel.locator('[data-role="step-maps"]');
    const expected = ['intrinsic', 'phi', 'ghost', 'concat'];
    for (const id of expected) {
      await page.keyboard.press('ArrowRight');
      await expect.poll(async () => (await step(page))!.id).toBe(id);
      expect(await litTerms(page)).toEqual([id]);
      await expect(page.locator(`.katex .term-${id}.term-lit`).first()).toBeAttached();
      if (id === 'phi') await expect(maps.locator('.lab-step-kernel').first()).toBeVisible();
      else await expect(maps.locator('.gv-cell').first()).toBeVisible();
      expect(Number(await maps.getAttribute('data-shown'))).toBeGreaterThan(0);
    }
    // The last step stays the last; Home goes back to the input; the buttons agree.
    await page.keyboard.press('ArrowRight');
    expect((await step(page))!.id).toBe('concat');
    await expect(panel.locator('[data-action="step-next"]')).toBeDisabled();
    await page.keyboard.press('Home');
    await expect.poll(async () => (await step(page))!.index).toBe(0);
    expect(await litTerms(page)).toEqual([]);
    // Closing step mode turns the lights off.
    await panel.locator('summary').click();
    await expect.poll(() => step(page)).toBeNull();
    expectClean(problems);
  });

  test(`${prefix}/ghostnet-v2/: the DFC branch step by step, down to the gate in [0, 1] and the gated output`, async ({ page, problems }) => {
    const panel = await openStepMode(page, `${prefix}/ghostnet-v2/?backend=wasm`);
    expect((await step(page))!.of).toBe(10);
    await page.keyboard.press('End');
    await expect.poll(async () => (await step(page))!.id).toBe('gated');
    for (const id of ['gate', 'fh', 'fw', 'z']) {
      await page.keyboard.press('ArrowLeft');
      await expect.poll(async () => (await step(page))!.id).toBe(id);
      expect(await litTerms(page)).toEqual([id]);
      await expect(panel.locator('[data-role="step-maps"] .gv-cell').first()).toBeVisible();
    }
    expectClean(problems);
  });
}

test('on a 390-px phone, step mode fits and steps with taps', async ({ page, problems }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await open(page, '/ghostnet-v1/?backend=wasm');
  const lab = page.locator('[data-lab]').first();
  await lab.scrollIntoViewIfNeeded();
  await page.waitForFunction(() => (window as unknown as { ghostlab?: { ready: boolean } }).ghostlab?.ready === true, null, { timeout: 90_000 });
  const panel = lab.locator('[data-role="step-panel"]');
  await panel.locator('summary').click();
  for (let i = 0; i < 3; i++) await panel.locator('[data-action="step-next"]').click();
  await expect.poll(async () => (await step(page))!.id).toBe('ghost');
  await expect(panel.locator('[data-role="step-maps"] .gv-cell').first()).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
  const box = (await panel.boundingBox())!;
  expect(box.x + box.width).toBeLessThanOrEqual(390);
  expectClean(problems);
});
