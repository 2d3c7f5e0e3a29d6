import { test, expect, expectClean, open } from './fixtures';
import type { Page } from '@playwright/test';

/** The lab on WebAssembly (ready in about a second here), once its first pass is drawn. */
async function lab(page: Page, path: string, model = 'ghostnet-fmnist'): Promise<void> {
  await open(page, `${path}${path.includes('?') ? '&' : '?'}backend=wasm`);
  await page.waitForFunction((id) => window.ghostlab?.ready === true && window.ghostlab.modelId === id, model, { timeout: 90_000 });
  await expect(page.locator('[data-role="selection"]')).toBeVisible();
}

const channelInUrl = (page: Page) => new URL(page.url()).searchParams.get('channel') ?? '0';
const label = (cell: import('@playwright/test').Locator) => cell.locator('.gv-label').textContent();
/** The chapter's notation: y′_i and Φ_{i,j}(y′_i), written with subscript digits. */
const GHOST_NAME = /^Φ([₀-₉]+),([₀-₉]+)\(y′([₀-₉]+)\)$/;

for (const lang of ['en', 'zh'] as const) {
  const prefix = lang === 'zh' ? '/zh' : '';

  test(`${lang}: arrow keys on the ghost maps update the Φ readout as hover does, and Enter keeps focus on the chosen map`, async ({ page, problems }) => {
    await lab(page, `${prefix}/lab/?layer=blocks.2.0.ghost1`);
    const ghosts = page.locator('.lab-group-ghost [role="listbox"]');
    const phi = page.locator('[data-role="phi"]');
    await ghosts.locator('.gv-cell[tabindex="0"]').focus();
    for (let k = 0; k < 3; k++) await page.keyboard.press('ArrowRight');
    const focused = page.locator('.lab-group-ghost .gv-cell:focus');
    const id = (await focused.getAttribute('data-id'))!;
    const name = (await label(focused))!;
    expect(name).toMatch(GHOST_NAME);
    // Keyboard focus: the readout names the focused ghost and its source is outlined.
    await expect(phi).toHaveAttribute('data-ghost', id.slice(1));
    await expect(phi).toContainText(name);
    const source = name.match(GHOST_NAME)![3]!;
    await expect(page.locator('.lab-group-intrinsic .gv-cell.gv-hl .gv-label')).toHaveText(`y′${source}`);
    const byKeyboard = await phi.textContent();
    // The pointer on the same map gives the same readout.
    await ghosts.locator('.gv-cell canvas').first().hover();
    await expect(phi).not.toHaveText(byKeyboard!);
    await ghosts.locator(`.gv-cell[data-id="${id}"] canvas`).hover();
    await expect(phi).toHaveText(byKeyboard!);
    await page.mouse.move(0, 0);

    await ghosts.locator(`.gv-cell[data-id="${id}"]`).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => channelInUrl(page)).toBe(id.slice(1));
    await expect(page.locator('[data-role="selection"]')).toContainText(name);
    // After the redraw the focus is on the chosen map (the new tile), still one Tab stop.
    await expect
      .poll(() => page.evaluate(() => {
        const a = document.activeElement as HTMLElement | null;
        return a?.isConnected && a.classList.contains('gv-cell') ? `${a.dataset.id}:${a.getAttribute('aria-selected')}:${a.tabIndex}` : 'lost';
      }))
      .toBe(`${id}:true:0`);
    expectClean(problems);
  });

  test(`${lang}: clicking a gate map selects its channel without moving the page`, async ({ page, problems }) => {
    await lab(page, `${prefix}/lab/?model=ghostnetv2-fmnist&layer=blocks.3.0.ghost1`, 'ghostnetv2-fmnist');
    const gate = page.locator('.lab-attn ~ section [role="listbox"] .gv-cell').nth(4);
    await gate.scrollIntoViewIfNeeded();
    await page.evaluate(() => window.scrollBy(0, 120));
    const before = await page.evaluate(() => window.scrollY);
    await gate.click();
    await expect.poll(() => channelInUrl(page)).toBe('4');
    await expect(page.locator('.lab-attn ~ section [role="listbox"] .gv-cell[data-id="c4"]')).toHaveAttribute('aria-selected', 'true');
    await page.waitForTimeout(300);
    expect(Math.abs((await page.evaluate(() => window.scrollY)) - before)).toBeLessThanOrEqual(1);
    expectClean(problems);
  });

  test(`${lang}: a most-similar pair, chosen from the keyboard, selects both maps and names both`, async ({ page, problems }) => {
    await lab(page, `${prefix}/lab/?layer=blocks.2.0.ghost1`);
    const button = page.locator('.gv-sim-pairs button').first();
    const [a, b] = (await button.locator('.gv-sim-names').textContent())!.split(' · ');
    await button.focus();
    await page.keyboard.press('Enter');
    const selection = page.locator('[data-role="selection"]');
    await expect(selection).toContainText(a!);
    await expect(selection).toContainText(b!);
    // Both tiles are selected (and only they), both drawn large.
    const selected = page.locator('.lab-split .gv-cell[aria-selected="true"] .gv-label');
    await expect(selected).toHaveCount(2);
    expect((await selected.allTextContents()).sort()).toEqual([a, b].sort());
    await expect(page.locator('.lab-detail figure')).toHaveCount(2);
    await expect(page.locator('.gv-sim-pairs button').first()).toHaveAttribute('aria-pressed', 'true');
    await expect.poll(() => page.evaluate(() => document.activeElement?.closest('.gv-sim-pairs') !== null && document.activeElement!.isConnected)).toBe(true);
    expectClean(problems);
  });
}

test('a map has one name everywhere: its tile, the selection, the Φ readout and the similarity pairs, uncut at index ≥ 10', async ({ page, problems }) => {
  await lab(page, '/lab/?layer=blocks.2.0.ghost1');
  const tiles = page.locator('.lab-split .gv-cell');
  const names = await tiles.locator('.gv-label').allTextContents();
  const intrinsic = await page.locator('.lab-group-intrinsic .gv-label').allTextContents();
  expect(intrinsic.length).toBeGreaterThan(10);
  intrinsic.forEach((n, i) => expect(n).toBe(`y′${String(i + 1).replace(/\d/g, (d) => '₀₁₂₃₄₅₆₇₈₉'[Number(d)]!)}`));
  for (const n of names.slice(intrinsic.length)) expect(n).toMatch(GHOST_NAME);
  // A ghost map past index 10: the selection readout names it as its tile does.
  const ghost = page.locator('.lab-group-ghost .gv-cell').nth(12);
  const name = (await label(ghost))!;
  await ghost.click();
  await expect(page.locator('[data-role="selection"]')).toHaveText(new RegExp(`: ${name.replace(/[()]/g, '\\$&')}$`));
  await expect(page.locator('[data-role="selection"]')).not.toContainText(/channel/i);
  await expect(page.locator('[data-role="phi"]')).toContainText(name);
  // Labels are whole: nothing clipped, every label inside its tile.
  const clipped = await page.evaluate(() =>
    Array.from(document.querySelectorAll<HTMLElement>('.lab-inspector .gv-label, .gv-sim-names')).filter((l) => {
      const box = l.parentElement!.getBoundingClientRect();
      const r = l.getBoundingClientRect();
      return l.scrollWidth > l.clientWidth + 1 || l.scrollHeight > l.clientHeight + 1 || r.left < box.left - 1 || r.right > box.right + 1;
    }).map((l) => l.textContent),
  );
  expect(clipped).toEqual([]);
  // The similarity pairs use the tiles' names.
  for (const pair of await page.locator('.gv-sim-names').allTextContents()) {
    for (const n of pair.split(' · ')) expect(names).toContain(n);
  }
  expectClean(problems);
});

test('colour means one thing: the large map uses its grid’s scale and legend, and zeros after a ReLU are the lowest colour', async ({ page, problems }) => {
  // ghost1 ends in a ReLU: every value is ≥ 0.
  await lab(page, '/lab/?layer=blocks.2.0.ghost1&channel=40');
  const range = (s: string | null) => s!.slice(s!.indexOf(':') + 1).trim();
  const gridLegend = range(await page.locator('[data-role="legend"] svg').getAttribute('aria-label'));
  expect(gridLegend).toMatch(/^0 … /);
  const detailLegend = page.locator('.lab-detail figure svg.gv-legend');
  await expect(detailLegend).toHaveCount(1);
  expect(range(await detailLegend.getAttribute('aria-label'))).toBe(gridLegend);
  // A sequential (grey) scale, as in the grid: no pixel is tinted as a signed value would be.
  const tinted = await page.locator('.lab-detail canvas').evaluate((c: HTMLCanvasElement) => {
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let k = 0; k < d.length; k += 4) if (Math.abs(d[k]! - d[k + 2]!) > 3 || Math.abs(d[k]! - d[k + 1]!) > 3) n++;
    return n;
  });
  expect(tinted).toBe(0);
  // Per-map colours: the large map follows its tile's own range.
  await page.locator('[data-role="scale"]').selectOption('local');
  await expect(page.locator('[data-role="legend"] svg')).toHaveAttribute('aria-label', /min/);
  await expect(page.locator('.lab-detail figure svg.gv-legend')).toHaveAttribute('aria-label', /: 0 … /);
  expectClean(problems);
});

test('every DFC stage and the sigmoid gate have a legend, and the gate grid says how many channels it shows', async ({ page, problems }) => {
  await lab(page, '/lab/?model=ghostnetv2-fmnist&layer=blocks.5.0.ghost1', 'ghostnetv2-fmnist');
  const figures = page.locator('.lab-attn figure');
  await expect(figures).toHaveCount(6);
  await expect(page.locator('.lab-attn figure svg.gv-legend')).toHaveCount(6);
  await expect(page.locator('.lab-attn figure[data-stage$=".attn.gate"] svg.gv-legend')).toHaveAttribute('aria-label', /: 0 … 1$/);
  const channels = Number((await page.locator('[data-role="layer-meta"]').textContent())!.match(/→ \d+×\d+×(\d+)/)![1]);
  expect(channels).toBeGreaterThan(96);
  await expect(page.locator('.lab-attn ~ section [role="listbox"] .gv-cell')).toHaveCount(96);
  await expect(page.locator('[data-role="gates-shown"]')).toContainText(`96`);
  await expect(page.locator('[data-role="gates-shown"]')).toContainText(String(channels));
  await expect(page.locator('.lab-attn ~ section svg.gv-legend')).toHaveAttribute('aria-label', /: 0 … 1$/);
  expectClean(problems);
});

test('zh: layer kinds are written in Chinese in the layer list and the layer line', async ({ page, problems }) => {
  await lab(page, '/zh/lab/?layer=blocks.2.0.ghost1');
  // "name — kind shape": the name is the model's own (blocks.1.0.shortcut), the kind is prose.
  const options = await page.locator('[data-role="layer"] option').allTextContents();
  const kinds = /ghost-module|dwconv|squeeze-excite|shortcut|\bconv\b|dfc/;
  expect(options.filter((o) => kinds.test(o.split(' — ')[1]!))).toEqual([]);
  expect(options.some((o) => o.includes('Ghost 模块'))).toBe(true);
  await expect(page.locator('[data-role="layer-meta"]')).toContainText('Ghost 模块');
  await expect(page.locator('[data-role="layer-meta"]')).not.toContainText(kinds);
  expectClean(problems);
});

for (const [lang, chapter, mode, model] of [
  ['en', '/ghostnet-v1/', 'ghost', 'ghostnet-fmnist'],
  ['zh', '/zh/ghostnet-v2/', 'attention', 'ghostnetv2-fmnist'],
] as const) {
  test(`${lang}: the embedded ${mode} lab offers a backend and opens the full lab on the same view`, async ({ page, problems }) => {
    await open(page, chapter);
    const embedded = page.locator(`[data-lab].lab-${mode}`).first();
    await embedded.scrollIntoViewIfNeeded();
    await page.waitForFunction(() => window.ghostlab?.ready === true, null, { timeout: 90_000 });
    await expect(embedded.locator('[data-role="backend"]')).toBeVisible();
    await embedded.locator('[data-role="backend"]').selectOption('wasm');
    await expect.poll(() => page.evaluate(() => window.ghostlab?.backend)).toBe('wasm');
    // Pick a sample and a map, then follow the link.
    await embedded.locator('[data-role="gallery"] [data-sample]').nth(3).click();
    const tile = embedded.locator('.gv-cell[data-group="ghost"], .lab-attn ~ section .gv-cell').nth(5);
    const id = (await tile.getAttribute('data-id'))!;
    await tile.click();
    const link = embedded.locator('[data-role="open-lab"]');
    await expect.poll(async () => new URL((await link.getAttribute('href'))!, page.url()).searchParams.get('channel')).toBe(id.slice(1));
    const href = new URL((await link.getAttribute('href'))!, page.url());
    expect(href.pathname).toBe(`${lang === 'zh' ? '/zh' : ''}/lab/`);
    const layer = href.searchParams.get('layer')!;
    const sample = href.searchParams.get('sample')!;
    expect(href.searchParams.get('model')).toBe(model);
    expect(href.searchParams.get('backend')).toBe('wasm');
    expect(layer).toMatch(/ghost1$/);
    expect(Number(sample)).toBeGreaterThan(0);
    await link.click();
    await page.waitForURL(/\/lab\//);
    await page.waitForFunction((m) => window.ghostlab?.ready === true && window.ghostlab.modelId === m, model, { timeout: 90_000 });
    const url = new URL(page.url());
    expect([url.searchParams.get('layer'), url.searchParams.get('channel'), url.searchParams.get('sample')]).toEqual([layer, id.slice(1), sample]);
    expect(await page.evaluate(() => window.ghostlab?.backend)).toBe('wasm');
    await expect(page.locator('[data-role="layer"]')).toHaveValue(layer);
    await expect(page.locator(`.gv-cell[data-id="${id}"][aria-selected="true"]`).first()).toBeVisible();
    expectClean(problems);
  });
}

for (const prefix of ['', '/zh'] as const) {
  test(`${prefix || 'en'}: the V2 chapter's "see it in the lab" link opens the V2 model`, async ({ page, problems }) => {
    await open(page, `${prefix}/ghostnet-v2/`);
    const link = page.locator('#lab ~ p a[href*="lab/"]').first();
    await link.click();
    await page.waitForURL(/\/lab\/\?/);
    await page.waitForFunction(() => window.ghostlab?.ready === true, null, { timeout: 90_000 });
    expect(await page.evaluate(() => window.ghostlab?.modelId)).toBe('ghostnetv2-fmnist');
    expectClean(problems);
  });
}

test.describe('phone 390 × 844', () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test('the inspector with legends, a chosen pair and the gate grid fits the screen; labels stay whole', async ({ page, problems }) => {
    await lab(page, '/zh/lab/?model=ghostnetv2-fmnist&layer=blocks.5.0.ghost1', 'ghostnetv2-fmnist');
    await page.locator('.gv-sim-pairs button').first().click();
    await expect(page.locator('.lab-detail figure')).toHaveCount(2);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    const clipped = await page.evaluate(() =>
      Array.from(document.querySelectorAll<HTMLElement>('.lab-inspector .gv-label, .gv-sim-names')).filter((l) => l.scrollWidth > l.clientWidth + 1).length,
    );
    expect(clipped).toBe(0);
    expectClean(problems);
  });
});
