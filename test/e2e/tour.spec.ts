import { test, expect, expectClean, open } from './fixtures';

// The lab's suggested path (src/components/LabTour.astro): each task opens the lab in its state.
interface Status { ready: boolean; modelId: string | null; layer: string | null }

for (const prefix of ['', '/zh']) {
  test(`${prefix}/lab/: the suggested path's tasks each open the lab where they start`, async ({ page, problems }) => {
    test.setTimeout(180_000);
    await open(page, `${prefix}/lab/?backend=wasm`);
    const links = page.locator('[data-role="lab-tour"] a');
    const n = await links.count();
    expect(n).toBeGreaterThanOrEqual(3);
    for (let i = 0; i < n; i++) {
      const query = new URLSearchParams((await links.nth(i).getAttribute('data-query'))!);
      await links.nth(i).click();
      await page.waitForFunction(
        ([layer, model]) => {
          const g = (window as unknown as { ghostlab?: Status }).ghostlab;
          return g?.ready === true && g.layer === layer && (!model || g.modelId === model);
        },
        [query.get('layer'), query.get('model')] as const,
        { timeout: 90_000 },
      );
      const hash = new URL(page.url()).hash;
      if (hash) await expect(page.locator(hash)).toBeInViewport();
      await page.goBack();
    }
    expectClean(problems);
  });
}
