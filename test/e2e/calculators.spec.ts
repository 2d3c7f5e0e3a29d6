import { existsSync, readdirSync, readFileSync } from 'node:fs';
import type { Locator, Page } from '@playwright/test';
import { test, expect, expectClean, open, type PageProblems } from './fixtures';

// The two calculators (GhostSpeedupCalculator, DfcCalculator), on their own figure pages and
// embedded in the chapters, in real Chromium against the built site.

// --- The test's own arithmetic (independent of src/model) ---------------------------------------
function ghostRatio(s: number, d: number, c: number, k: number, n: number): number {
  const m = Math.ceil(n / s);
  return (n * c * k * k) / (m * c * k * k + m * (s - 1) * d * d); // h'w' cancels
}
function dfc(H: number, W: number, C: number, KH: number, KW: number) {
  const hw = H * W;
  const saMixing = 2 * hw * hw * C; // QKᵀ and A·V
  const mixing = C * (KH + KW) * hw; // the two depthwise passes
  return {
    fc: C * hw * hw,
    decoupled: C * (H * H * W + H * W * W),
    dfc: mixing,
    dfcProj: mixing + hw * C * C, // + DFC's own 1×1 conv
    saMixing,
    sa: saMixing + 4 * hw * C * C, // + Q, K, V and output projections
  };
}

// --- Helpers ------------------------------------------------------------------------------------
const value = async (scope: Page | Locator, testId: string): Promise<number> => {
  const raw = await scope.getByTestId(testId).first().getAttribute('data-value');
  return Number(raw);
};
const expectNear = (a: number, b: number, rel = 1e-9) => expect(Math.abs(a - b), `${a} vs ${b}`).toBeLessThanOrEqual(rel * Math.abs(b));
const query = (page: Page) => new URL(page.url()).searchParams;

/** Chunks of the build that carry TensorFlow.js code (none may load on a calculator page). */
function tfChunks(): Set<string> {
  const dir = `${process.env.ASTRO_OUT_DIR ?? 'dist'}/_astro`;
  const out = new Set<string>();
  if (!existsSync(dir)) return out;
  for (const f of readdirSync(dir)) {
    if (!f.endsWith('.js')) continue;
    const text = readFileSync(`${dir}/${f}`, 'utf8');
    // Minified tfjs keeps strings such as 'tfjs-core', 'tfjs-backend-webgl', 'tfjsflags'.
    if (/@tensorflow|tfjs/i.test(text)) out.add(f);
  }
  return out;
}
const TF = tfChunks();

function expectNoTf(problems: PageProblems): void {
  const js = problems.requests.filter((u) => /\.m?js(\?|$)/.test(u));
  expect(js.length, 'the page loads its calculator scripts').toBeGreaterThan(0);
  const tf = problems.requests.filter((u) => /tfjs|tensorflow|[/._-]tf[._-]/i.test(u) || TF.has(u.split('/').pop()!.split('?')[0]));
  expect(tf, 'no TensorFlow.js chunk requested').toEqual([]);
}

async function ready(page: Page, selector: string): Promise<Locator> {
  const root = page.locator(selector).first();
  await expect(root).toHaveAttribute('data-ready', 'true');
  return root;
}

// --- Ghost speed-up calculator ------------------------------------------------------------------
test.describe('Ghost speed-up calculator', () => {
  test('reads s, d, c, k, n, h, w from the URL and shows the exact ratios', async ({ page, problems }) => {
    await open(page, '/ghostnet-v1/?s=3&d=5&c=64&k=3&n=100&h=14&w=14');
    const root = await ready(page, '[data-ghost-speedup]');
    expect(await root.getByTestId('input-s').inputValue()).toBe('3');
    expect(await root.getByTestId('slider-n').inputValue()).toBe('100');
    const rs = ghostRatio(3, 5, 64, 3, 100); // m = 34: 57,600 / (19,584 + 1,700)
    expectNear(await value(root, 'rs-exact'), rs);
    expectNear(await value(root, 'rc-exact'), rs);
    expectNear(await value(root, 'rs-paper'), 576 / (576 / 3 + (2 / 3) * 25));
    expectNear(await value(root, 'approx-sc'), (3 * 64) / (3 + 64 - 1));
    expect(await value(root, 'approx-s')).toBe(3);
    expect(await value(root, 'flops-ordinary')).toBe(100 * 14 * 14 * 64 * 9);
    expect(await value(root, 'flops-ghost')).toBe(34 * 196 * 64 * 9 + 68 * 196 * 25);
    expect(await value(root, 'params-ghost')).toBe(34 * 64 * 9 + 68 * 25);
    expect([await value(root, 'maps-intrinsic'), await value(root, 'maps-ghost'), await value(root, 'maps-sliced')]).toEqual([34, 68, 2]);
    await expect(root.getByTestId('rs-exact')).toHaveText(`${rs.toFixed(3)}×`);
    await expect(root.getByTestId('flops-ordinary')).toHaveText('11,289,600 (11.3M)'); // 100·14·14·64·9
    // s ∤ n: the notice explains ceil(n/s) and the slicing.
    const notice = root.getByTestId('ceil-notice');
    await expect(notice).toHaveAttribute('data-divides', 'false');
    await expect(notice).toHaveClass(/notice/);
    await expect(notice).toContainText('⌈n/s⌉ = 34');
    // The formula with the numbers substituted, typeset by KaTeX in the browser.
    const formula = root.getByTestId('formula');
    expect(await formula.locator('.katex').count()).toBeGreaterThanOrEqual(4);
    expect(await formula.locator('.katex-error').count()).toBe(0);
    await expect(formula).toContainText('57,600');
    // The plot: four series and the current-s marker.
    for (const id of ['paper', 'approx', 'identity']) expect(await root.getByTestId(`rs-plot-${id}`).getAttribute('d')).toMatch(/^M/);
    await expect(root.getByTestId('rs-plot-marker')).toBeVisible();
    expectClean(problems);
    expectNoTf(problems);
  });

  test('keyboard on a slider changes the numbers, the plot and the URL; reload keeps it', async ({ page, problems }) => {
    await open(page, '/ghostnet-v1/?s=2&d=3&c=16&k=3&n=32&h=8&w=8');
    const root = await ready(page, '[data-ghost-speedup]');
    const historyLength = await page.evaluate(() => history.length);
    expectNear(await value(root, 'rs-exact'), 32 / 17);
    const pathBefore = await root.getByTestId('rs-plot-paper').getAttribute('d');

    await root.getByTestId('slider-c').focus();
    await page.keyboard.press('ArrowRight');
    await expect(root.getByTestId('input-c')).toHaveValue('17');
    expectNear(await value(root, 'rs-exact'), ghostRatio(2, 3, 17, 3, 32));
    expect(await root.getByTestId('rs-plot-paper').getAttribute('d')).not.toBe(pathBefore);
    await expect.poll(() => query(page).get('c')).toBe('17');

    const markerBefore = await root.getByTestId('rs-plot-marker').getAttribute('cx');
    await root.getByTestId('slider-s').focus();
    await page.keyboard.press('ArrowRight');
    await expect(root.getByTestId('input-s')).toHaveValue('3');
    expect(await root.getByTestId('rs-plot-marker').getAttribute('cx')).not.toBe(markerBefore);
    await expect.poll(() => query(page).get('s')).toBe('3');
    const rs = ghostRatio(3, 3, 17, 3, 32);
    expectNear(await value(root, 'rs-exact'), rs);
    // replaceState: no new history entries.
    expect(await page.evaluate(() => history.length)).toBe(historyLength);

    await page.reload({ waitUntil: 'networkidle' });
    const again = await ready(page, '[data-ghost-speedup]');
    expect(await again.getByTestId('slider-c').inputValue()).toBe('17');
    expect(await again.getByTestId('input-s').inputValue()).toBe('3');
    expectNear(await value(again, 'rs-exact'), rs);
    expectClean(problems);
  });

  test('typing into a number box updates everything; junk is clamped with a note', async ({ page, problems }) => {
    await open(page, '/ghostnet-v1/');
    const root = await ready(page, '[data-ghost-speedup]');
    await expect(root.getByTestId('clamp-notes')).toBeHidden();
    const n = root.getByTestId('input-n');
    await n.fill('130');
    await n.press('Tab');
    expectNear(await value(root, 'rs-exact'), ghostRatio(2, 3, 128, 3, 130));
    await expect(root.getByTestId('ceil-notice')).toHaveAttribute('data-divides', 'true');
    await root.getByTestId('input-s').fill('4');
    await expect(root.getByTestId('ceil-notice')).toHaveAttribute('data-divides', 'false');
    await expect.poll(() => query(page).get('n')).toBe('130');

    for (const [box, typed, used] of [
      ['input-n', '1e9', '8192'],
      ['input-c', '-5', '1'],
      ['input-d', '0', '1'],
      ['input-k', '2.6', '3'],
    ] as const) {
      await root.getByTestId(box).fill(typed);
      await root.getByTestId(box).press('Tab');
      await expect(root.getByTestId(box)).toHaveValue(used);
    }
    const notes = root.getByTestId('clamp-notes');
    await expect(notes).toBeVisible();
    await expect(notes).toContainText('8192');
    await expect(notes.locator('p')).toHaveCount(4);
    // An empty box falls back (with a note) instead of breaking anything.
    await root.getByTestId('input-h').fill('');
    await expect(notes.locator('p')).toHaveCount(5);
    for (const id of ['rs-exact', 'rc-exact', 'rs-paper', 'approx-sc', 'flops-ghost', 'params-ghost']) {
      expect(Number.isFinite(await value(root, id)), id).toBe(true);
    }
    await expect(root.getByTestId('rs-exact')).not.toContainText('NaN');
    expectClean(problems);
  });

  test('an invalid shared link is repaired and explained', async ({ page, problems }) => {
    await open(page, '/ghostnet-v1/?s=abc&d=99&model=keep-me');
    const root = await ready(page, '[data-ghost-speedup]');
    await expect(root.getByTestId('clamp-notes')).toContainText('abc');
    expect(query(page).get('s')).toBe('2');
    expect(query(page).get('d')).toBe('15');
    expect(query(page).get('model')).toBe('keep-me');
    expect(await root.getByTestId('input-d').inputValue()).toBe('15');
    expectClean(problems);
  });

  test('Chinese page: labels in Chinese, same numbers', async ({ page, problems }) => {
    await open(page, '/zh/ghostnet-v1/?s=2&d=3&c=16&k=3&n=32&h=8&w=8');
    const root = await ready(page, '[data-ghost-speedup]');
    await expect(root).toContainText('本征特征图');
    expectNear(await value(root, 'rs-exact'), 32 / 17);
    await expect(root.getByTestId('ceil-notice')).toContainText('整除');
    expectClean(problems);
    expectNoTf(problems);
  });
});

// --- DFC calculator -----------------------------------------------------------------------------
test.describe('DFC calculator', () => {
  test('reads H, W, C, KH, KW from the URL; costs, ratios and log bars', async ({ page, problems }) => {
    await open(page, '/ghostnet-v2/?H=28&W=20&C=64&KH=3&KW=7');
    const root = await ready(page, '[data-dfc-calculator]');
    const want = dfc(28, 20, 64, 3, 7);
    expect(await value(root, 'flops-fc')).toBe(want.fc);
    expect(await value(root, 'flops-decoupled')).toBe(want.decoupled);
    expect(await value(root, 'flops-dfc')).toBe(want.dfc);
    expect(await value(root, 'flops-sa')).toBe(want.sa);
    expect(await value(root, 'flops-sa-mixing')).toBe(want.saMixing);
    expect(await value(root, 'flops-dfc-proj')).toBe(want.dfcProj);
    expectNear(await value(root, 'ratio-fc-dfc'), want.fc / want.dfc);
    // Like against like: mixing with mixing, projections with projections.
    expectNear(await value(root, 'ratio-sa-dfc-mixing'), want.saMixing / want.dfc);
    expectNear(await value(root, 'ratio-sa-dfc-proj'), want.sa / want.dfcProj);
    await expect(root.getByTestId('ratio-sa-dfc')).toHaveCount(0);
    const ds = dfc(14, 10, 64, 3, 7);
    expect(await value(root, 'ds-flops-dfc')).toBe(ds.dfc);
    expect(await value(root, 'ds-flops-fc')).toBe(ds.fc);
    await expect(root.getByTestId('ds-size')).toHaveText('14 × 10');
    // full FC ÷ DFC = HW / (K_H + K_W) = 560 / 10.
    await expect(root.getByTestId('dfc-headline')).toContainText('Mixing only, DFC costs 56.00× less than full FC attention');
    await expect(root.getByTestId('dfc-costlier')).toBeHidden();
    // Log-scale bars: longer for costlier variants; mixing and with-projections bars for both sides.
    const width = async (id: string) => Number(await root.getByTestId(`dfc-bar-${id}`).getAttribute('width'));
    expect(await width('fc')).toBeGreaterThan(await width('decoupled'));
    expect(await width('decoupled')).toBeGreaterThan(await width('dfc'));
    expect(await width('dfc')).toBeGreaterThan(await width('dfc-ds'));
    expect(await width('sa')).toBeGreaterThan(await width('sa-mixing'));
    expect(await width('dfc-proj')).toBeGreaterThan(await width('dfc'));
    for (const [id, v] of [['fc', want.fc], ['sa-mixing', want.saMixing], ['sa', want.sa], ['dfc', want.dfc], ['dfc-proj', want.dfcProj]] as const) {
      expect(Number(await root.getByTestId(`dfc-bar-${id}`).getAttribute('data-value')), id).toBe(v);
    }
    // Every bar says how it is counted.
    const labels = await root.locator('[data-testid="dfc-bars"] .bar-label').allTextContents();
    expect(labels.filter((l) => /mixing/.test(l))).toHaveLength(5);
    expect(labels.filter((l) => /projections|1×1 conv/.test(l))).toHaveLength(2);
    expectClean(problems);
    expectNoTf(problems);
  });

  test('the defaults count both sides alike: 39.2× mixing only, 5.68× with projections', async ({ page, problems }) => {
    await open(page, '/ghostnet-v2/');
    const root = await ready(page, '[data-dfc-calculator]');
    const want = dfc(14, 14, 200, 5, 5);
    expect(await value(root, 'flops-dfc-proj')).toBe(want.dfcProj);
    expect(want.dfcProj - want.dfc).toBe(7_840_000); // DFC's 1×1 conv, as the issue measured it
    expectNear(await value(root, 'ratio-sa-dfc-mixing'), 39.2);
    expectNear(await value(root, 'ratio-sa-dfc-proj'), want.sa / want.dfcProj);
    const headline = root.getByTestId('dfc-headline');
    await expect(headline).toContainText('39.20× less than self-attention’s QKᵀ and A·V (15,366,400)');
    await expect(headline).toContainText('5.676× less than self-attention with its Q, K, V and output projections (46,726,400)');
    // The unfair 119.2× (self-attention with projections ÷ DFC without) is gone.
    await expect(root).not.toContainText('119.2');
    expectClean(problems);
  });

  test('a 7 × 7 input: the 3 × 3 branch costs more with DFC than with full FC attention, and says so', async ({ page, problems }) => {
    await open(page, '/ghostnet-v2/?H=7&W=7&C=160&KH=5&KW=5');
    const root = await ready(page, '[data-dfc-calculator]');
    await expect(root.getByTestId('ds-size')).toHaveText('3 × 3');
    const ds = dfc(3, 3, 160, 5, 5);
    expect([ds.dfc, ds.fc]).toEqual([14_400, 12_960]);
    expect(await value(root, 'ds-flops-dfc')).toBe(ds.dfc);
    expect(await value(root, 'ds-flops-fc')).toBe(ds.fc);
    const warning = root.getByTestId('dfc-costlier');
    await expect(warning).toBeVisible();
    await expect(warning).toContainText('down-sampled branch (3 × 3, from 7 × 7), DFC costs more than full FC attention: 14,400 against 12,960 MACs');
    // Moving to 8 × 8 (a 4 × 4 branch: 16 positions > 10 taps) clears it, by keyboard.
    await root.getByTestId('slider-H').focus();
    await page.keyboard.press('ArrowRight');
    await root.getByTestId('slider-W').focus();
    await page.keyboard.press('ArrowRight');
    await expect(root.getByTestId('ds-size')).toHaveText('4 × 4');
    await expect(warning).toBeHidden();
    // At full size, 2 × 2 with 5 + 5 taps: DFC costs more than FC attention there too.
    await root.getByTestId('input-H').fill('2');
    await root.getByTestId('input-W').fill('2');
    await expect(warning).toContainText('At 2 × 2, DFC costs more than full FC attention');
    await expect(root.getByTestId('dfc-headline')).toContainText('more than full FC attention');
    expectClean(problems);
  });

  test('Chinese: the same like-for-like comparison and the warning in Chinese', async ({ page, problems }) => {
    await open(page, '/zh/ghostnet-v2/?H=7&W=7&C=160&KH=5&KW=5');
    const root = await ready(page, '[data-dfc-calculator]');
    await expect(root.getByTestId('dfc-costlier')).toContainText('在下采样支路上（由 7 × 7 池化为 3 × 3），DFC 的计算量超过了全连接注意力：14,400 对 12,960 次乘加');
    await expect(root).toContainText('仅计混合');
    await expect(root).toContainText('计入投影');
    await open(page, '/zh/ghostnet-v2/');
    const again = await ready(page, '[data-dfc-calculator]');
    await expect(again.getByTestId('dfc-headline')).toContainText('只需自注意力的 QKᵀ 与 A·V（15,366,400）的 1/39.20');
    expectClean(problems);
  });

  test('the calculator and the chapter use the same kernel notation (K_H × 1 along H, 1 × K_W along W)', async ({ page, problems }) => {
    for (const [prefix, along] of [['', 'pass along H'], ['/zh', '沿 H 方向']] as const) {
      await open(page, `${prefix}/ghostnet-v2/`);
      const root = await ready(page, '[data-dfc-calculator]');
      await expect(root.locator('label[for$="-KH"]')).toContainText('K_H × 1');
      await expect(root.locator('label[for$="-KH"]')).toContainText(along);
      await expect(root.locator('label[for$="-KW"]')).toContainText('1 × K_W');
      // The chapter's prose says the same (KaTeX renders K_H × 1 as "K_H×1" in its MathML annotation).
      const tex = await page.locator('#dfc-convolution ~ p annotation, #dfc-convolution ~ ol annotation').allTextContents();
      expect(tex.some((x) => /K_H\s*\\times\s*1/.test(x)), 'chapter writes K_H \\times 1').toBe(true);
      expect(tex.some((x) => /1\s*\\times\s*K_W/.test(x)), 'chapter writes 1 \\times K_W').toBe(true);
    }
    expectClean(problems);
  });

  test('the receptive field follows a click, the implementation and the order; state is in the URL', async ({ page, problems }) => {
    await open(page, '/ghostnet-v2/?H=12&W=10&C=8&KH=3&KW=5');
    const root = await ready(page, '[data-dfc-calculator]');
    const g1 = root.getByTestId('rf-grid-1');
    const g2 = root.getByTestId('rf-grid-2');
    await expect(g1.locator('rect.cell')).toHaveCount(120);

    await g2.locator('rect[data-row="6"][data-col="4"]').click();
    await expect(g2.locator('rect[data-row="6"][data-col="4"]')).toHaveAttribute('data-state', 'selected');
    await expect(g1.locator('rect[data-row="6"][data-col="4"]')).toHaveAttribute('data-state', 'selected');
    // Depthwise, paper order: first a K_H = 3 column segment, then a 3 × 5 rectangle.
    await expect(g1).toHaveAttribute('data-reached', '3');
    await expect(g2).toHaveAttribute('data-reached', '15');
    await expect(g1.locator('rect[data-row="5"][data-col="4"]')).toHaveAttribute('data-state', 'reached');
    await expect(g1.locator('rect[data-row="6"][data-col="5"]')).toHaveAttribute('data-state', 'none');
    await expect(g2.locator('rect[data-row="7"][data-col="6"]')).toHaveAttribute('data-state', 'reached');
    await expect(g2.locator('rect[data-row="8"][data-col="4"]')).toHaveAttribute('data-state', 'none');
    await expect.poll(() => [query(page).get('row'), query(page).get('col')]).toEqual(['6', '4']);

    // Official-code order: a K_W = 5 row segment first, the same rectangle after.
    await root.getByTestId('rf-order-code').check();
    await expect(g1).toHaveAttribute('data-reached', '5');
    await expect(g1.locator('rect[data-row="6"][data-col="6"]')).toHaveAttribute('data-state', 'reached');
    await expect(g2).toHaveAttribute('data-reached', '15');

    // FC layers: the whole row, then the whole map.
    await root.getByTestId('rf-mode-fc').check();
    await expect(g1).toHaveAttribute('data-reached', '10');
    await expect(g2).toHaveAttribute('data-reached', '120');
    await expect(root.getByTestId('rf-status')).toContainText('120');

    // Keyboard: focus the grids, move the pixel.
    await root.getByTestId('rf-grids').focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowLeft');
    await expect(g2.locator('rect[data-row="7"][data-col="3"]')).toHaveAttribute('data-state', 'selected');
    await expect.poll(() => Object.fromEntries(query(page))).toMatchObject({ rf: 'fc', order: 'code', row: '7', col: '3', H: '12' });

    await page.reload({ waitUntil: 'networkidle' });
    const again = await ready(page, '[data-dfc-calculator]');
    await expect(again.getByTestId('rf-mode-fc')).toBeChecked();
    await expect(again.getByTestId('rf-order-code')).toBeChecked();
    await expect(again.getByTestId('rf-grid-2').locator('rect[data-row="7"][data-col="3"]')).toHaveAttribute('data-state', 'selected');
    expectClean(problems);
  });

  test('a slider changes the costs and the URL; big maps are drawn capped, with a note', async ({ page, problems }) => {
    await open(page, '/ghostnet-v2/');
    const root = await ready(page, '[data-dfc-calculator]');
    const before = await value(root, 'flops-dfc');
    await root.getByTestId('slider-KH').focus();
    await page.keyboard.press('ArrowRight');
    await expect(root.getByTestId('input-KH')).toHaveValue('6');
    expect(await value(root, 'flops-dfc')).toBe(dfc(14, 14, 200, 6, 5).dfc);
    expect(await value(root, 'flops-dfc')).not.toBe(before);
    await expect.poll(() => query(page).get('KH')).toBe('6');

    await expect(root.getByTestId('rf-cap-note')).toBeHidden();
    await root.getByTestId('input-H').fill('56');
    await root.getByTestId('input-H').press('Tab');
    await expect(root.getByTestId('rf-cap-note')).toBeVisible();
    await expect(root.getByTestId('rf-grid-1').locator('rect.cell')).toHaveCount(32 * 14);
    // (A number box cannot hold letters; a negative width is the worst a reader can type.)
    await root.getByTestId('input-W').fill('-3');
    await root.getByTestId('input-W').press('Tab');
    await expect(root.getByTestId('input-W')).toHaveValue('1');
    await expect(root.getByTestId('clamp-notes')).toContainText('-3');
    await expect(root.getByTestId('ds-size')).toHaveText('n/a (H or W < 2)');
    expect(await value(root, 'flops-fc')).toBe(dfc(56, 1, 200, 6, 5).fc);
    await root.getByTestId('input-C').fill('');
    await expect(root.getByTestId('clamp-notes').locator('p')).toHaveCount(2);
    expect(Number.isFinite(await value(root, 'flops-fc'))).toBe(true);
    expectClean(problems);
  });

  test('Chinese page loads cleanly', async ({ page, problems }) => {
    await open(page, '/zh/ghostnet-v2/');
    const root = await ready(page, '[data-dfc-calculator]');
    await expect(root).toContainText('感受野');
    await expect(root.getByTestId('dfc-headline')).toContainText('只需');
    expectClean(problems);
    expectNoTf(problems);
  });
});

// --- Layout and dark mode ------------------------------------------------------------------------
for (const [path, sel, chart] of [
  ['/ghostnet-v1/', '[data-ghost-speedup]', 'rs-plot'],
  ['/ghostnet-v2/', '[data-dfc-calculator]', 'dfc-bars'],
] as const) {
  test(`a 360-px phone: no horizontal overflow, the chart fits (${path})`, async ({ page, problems }) => {
    await page.setViewportSize({ width: 360, height: 740 });
    await open(page, path);
    await ready(page, sel);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    const box = await page.locator(sel).boundingBox();
    expect(box!.x + box!.width).toBeLessThanOrEqual(360);
    const svg = await page.getByTestId(chart).locator('svg').boundingBox();
    expect(svg!.width).toBeGreaterThan(200);
    expect(svg!.x + svg!.width).toBeLessThanOrEqual(360);
    expectClean(problems);
  });
}

test('dark mode: results and chart text stay legible', async ({ page, problems }) => {
  await page.addInitScript(() => localStorage.setItem('ghostlab-theme', 'dark'));
  await open(page, '/ghostnet-v1/');
  await ready(page, '[data-ghost-speedup]');
  expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
  const contrast = await page.evaluate(() => {
    const rgb = (c: string) => (c.match(/[\d.]+/g) ?? ['0', '0', '0']).slice(0, 3).map(Number);
    const lum = ([r, g, b]: number[]) =>
      [r, g, b].map((v) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4)).reduce((a, v, i) => a + v * [0.2126, 0.7152, 0.0722][i], 0);
    const ratio = (a: string, b: string) => {
      const [x, y] = [lum(rgb(a)), lum(rgb(b))].sort((p, q) => q - p);
      return (x + 0.05) / (y + 0.05);
    };
    const result = document.querySelector('[data-testid="rs-exact"]')!;
    const box = result.closest('.result')!;
    const axisText = document.querySelector('[data-testid="rs-plot"] .axis text')!;
    const figure = document.querySelector('[data-ghost-speedup]')!;
    return {
      result: ratio(getComputedStyle(result).color, getComputedStyle(box).backgroundColor),
      axis: ratio(getComputedStyle(axisText).fill, getComputedStyle(figure).backgroundColor),
    };
  });
  expect(contrast.result).toBeGreaterThan(4.5);
  expect(contrast.axis).toBeGreaterThan(4.5);
  expectClean(problems);
});

// --- Embedded in the chapters -------------------------------------------------------------------
const CHAPTERS = [
  { path: '/ghostnet-v1/', root: '[data-ghost-speedup]', query: '?s=4&d=3&c=32&k=1&n=60&h=14&w=14', check: async (root: Locator) => expectNear(await value(root, 'rs-exact'), ghostRatio(4, 3, 32, 1, 60)) },
  { path: '/ghostnet-v2/', root: '[data-dfc-calculator]', query: '?H=16&W=16&C=40&KH=5&KW=5', check: async (root: Locator) => expect(await value(root, 'flops-dfc')).toBe(dfc(16, 16, 40, 5, 5).dfc) },
];
for (const prefix of ['', '/zh']) {
  for (const ch of CHAPTERS) {
    test(`${prefix}${ch.path}: the embedded calculator reads the URL, works, loads no tfjs`, async ({ page, problems, request }) => {
      const res = await request.get(`${prefix}${ch.path}`);
      test.skip(res.status() !== 200 || !(await res.text()).includes(ch.root.slice(1, -1)), 'chapter not built with the calculator yet');
      await open(page, `${prefix}${ch.path}${ch.query}`);
      const root = await ready(page, ch.root);
      await ch.check(root);
      expectClean(problems);
      expectNoTf(problems);
    });
  }
}
