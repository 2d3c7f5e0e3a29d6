import { PNG } from 'pngjs';
import type { Page } from '@playwright/test';
import { test, expect, expectClean, open } from './fixtures';
import { flatPng } from './images';
import { buildVizDemo, serveVizDemo, VIZ_DEMO_PATH } from './viz-demo-site';

// The bench is a test-only site (test/viz-demo), built here and served under /__test__/ beside
// the production build, which does not contain it.
const PATH = VIZ_DEMO_PATH;

test.beforeAll(() => {
  test.setTimeout(300_000);
  buildVizDemo();
});
test.beforeEach(async ({ context }) => {
  await serveVizDemo(context);
});

test('the production build has no /figures/viz-demo/ page (404)', async ({ request }) => {
  expect((await request.get('/figures/viz-demo/')).status()).toBe(404);
  expect((await request.get('/__test__/viz-demo/')).status()).toBe(404);
});

// ---------------------------------------------------------------------------------------------
// Files to upload, made here

/** A small RGB test card: a bright square on black. */
function cardPng(width = 64, height = 48): Buffer {
  const png = new PNG({ width, height });
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 4;
      const on = x > width / 4 && x < (3 * width) / 4 && y > height / 4 && y < (3 * height) / 4;
      png.data[o] = on ? 240 : 0;
      png.data[o + 1] = on ? 220 : 0;
      png.data[o + 2] = on ? 200 : 0;
      png.data[o + 3] = 255;
    }
  }
  return PNG.sync.write(png);
}

// ---------------------------------------------------------------------------------------------

async function ready(page: Page, path = PATH): Promise<void> {
  await open(page, path);
  await page.waitForFunction(() => (window as unknown as { __vizDemo?: { ready: boolean } }).__vizDemo?.ready === true);
}

/** For each canvas (optionally under a selector): its id path, how many pixels are not transparent and how many distinct colours it has. */
async function canvasStats(page: Page, scope = 'body') {
  return page.evaluate((sel) => {
    return Array.from(document.querySelectorAll<HTMLCanvasElement>(`${sel} canvas`)).map((c) => {
      const ctx = c.getContext('2d');
      const where = (c.closest('[data-id]') as HTMLElement | null)?.dataset.id ?? c.closest('[id]')?.id ?? '?';
      if (!ctx || c.width === 0 || c.height === 0) return { where, opaque: 0, colours: 0, w: c.width, h: c.height, strip: false };
      const d = ctx.getImageData(0, 0, c.width, c.height).data;
      let opaque = 0;
      const colours = new Set<number>();
      for (let i = 0; i < d.length; i += 4) {
        if (d[i + 3] > 0) opaque++;
        if (colours.size < 64) colours.add((d[i] << 24) | (d[i + 1] << 16) | (d[i + 2] << 8) | d[i + 3]);
      }
      return { where, opaque, colours: colours.size, w: c.width, h: c.height, strip: !!c.closest('#strip') };
    });
  }, scope);
}

async function demo<T>(page: Page, key: string): Promise<T> {
  return page.evaluate((k) => (window as unknown as { __vizDemo: Record<string, unknown> }).__vizDemo[k], key) as Promise<T>;
}

test.describe('viz demo page', () => {
  test('every canvas has non-blank pixels, the page loads cleanly', async ({ page, problems }) => {
    await ready(page);
    const stats = await canvasStats(page);
    // 16 + 480 grid maps, the strip, the similarity matrix and pairs, 4 overlays, the draw pad
    expect(stats.length).toBeGreaterThan(16 + 480 + 20 + 1 + 10 + 4);
    for (const s of stats) {
      expect(s.opaque, `canvas in #${s.where} (${s.w}×${s.h}) is blank`).toBeGreaterThan(0);
      // everything shows some structure except the untouched draw pad, the constant map b5 (on
      // purpose) and the strip's thumbnails (pooled 1×1 maps, 4×4 samples of a sine can be flat)
      if (s.where !== 'pad' && s.where !== 'b5' && !s.strip) {
        expect(s.colours, `canvas in #${s.where} (${s.w}×${s.h}) is a single colour`).toBeGreaterThan(1);
      }
    }
    // the SVG pieces
    await expect(page.locator('#legend svg[role="img"]')).toHaveAttribute('aria-label', /Colour scale: -?\d/);
    await expect(page.locator('#k3 svg text')).toHaveCount(9);
    await expect(page.locator('#k5 svg text')).toHaveCount(25);
    await expect(page.locator('#probs-10 li')).toHaveCount(10);
    await expect(page.locator('#probs-10 li.gv-top')).toHaveCount(1);
    await expect(page.locator('#probs-1000 li')).toHaveCount(6); // top 5 + the rest
    await expect(page.locator('#probs-1000 li.gv-rest')).toContainText('995 other classes');
    await expect(page.locator('#grid-a [role="option"]')).toHaveCount(16);
    await expect(page.locator('#grid-b [role="option"]')).toHaveCount(480);
    expectClean(problems);
  });

  test('hovering a map reports its row, column and value', async ({ page, problems }) => {
    await ready(page);
    const canvas = page.locator('#grid-a [data-id="a3"] canvas');
    await canvas.scrollIntoViewIfNeeded();
    const box = (await canvas.boundingBox())!;
    const border = await canvas.evaluate((c) => c.clientLeft);
    const scale = (box.width - 2 * border) / 112;
    const row = 40;
    const col = 70;
    await page.mouse.move(box.x + border + (col + 0.5) * scale, box.y + border + (row + 0.5) * scale);
    await expect.poll(() => demo<{ id: string; row: number; col: number } | null>(page, 'hover')).toMatchObject({ id: 'a3', row, col });
    const hover = await demo<{ value: number }>(page, 'hover');
    const expected = await page.evaluate(([r, c]) => (window as unknown as { __vizDemo: { valueAt(id: string, r: number, c: number): number } }).__vizDemo.valueAt('a3', r, c), [row, col]);
    expect(hover.value).toBeCloseTo(expected, 6);
    await expect(page.locator('#grid-a .gv-tip')).toBeVisible();
    await expect(page.locator('#grid-a .gv-tip')).toContainText(`(${row}, ${col})`);
    await expect(page.locator('#hover-readout')).toContainText(`a3 (${row}, ${col})`);
    // leaving clears it
    await page.mouse.move(2, 2);
    await expect.poll(() => demo(page, 'hover')).toBeNull();
    await expect(page.locator('#grid-a .gv-tip')).toBeHidden();

    // the 7×7 grid too: a NaN value is reported as such, without errors
    const small = page.locator('#grid-b [data-id="b6"] canvas');
    await small.scrollIntoViewIfNeeded();
    const sb = (await small.boundingBox())!;
    await page.mouse.move(sb.x + 4, sb.y + 4);
    await expect(page.locator('#hover-b')).toHaveText('b6 (0, 0) = NaN');
    expectClean(problems);
  });

  test('the grid is keyboard-operable: arrows move, Enter selects', async ({ page, problems }) => {
    await ready(page);
    const first = page.locator('#grid-a [data-id="a0"]');
    await expect(first).toHaveAttribute('tabindex', '0');
    await expect(page.locator('#grid-a [tabindex="0"]')).toHaveCount(1);
    await first.focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await expect(page.locator('#grid-a [data-id="a2"]')).toBeFocused();
    await page.keyboard.press('Enter');
    await expect.poll(() => demo(page, 'selected')).toBe('a2');
    await expect(page.locator('#grid-a [data-id="a2"]')).toHaveAttribute('aria-selected', 'true');
    await expect(page.locator('#select-readout')).toContainText('a2');
    const cols = await page.locator('#grid-a [role="option"]').evaluateAll((els) => els.filter((e) => (e as HTMLElement).offsetTop === (els[0] as HTMLElement).offsetTop).length);
    await page.keyboard.press('ArrowDown');
    await expect(page.locator(`#grid-a [data-id="a${2 + cols}"]`)).toBeFocused();
    await page.keyboard.press('Home');
    await expect(first).toBeFocused();
    await page.keyboard.press('End');
    await expect(page.locator('#grid-a [data-id="a15"]')).toBeFocused();
    await page.keyboard.press(' ');
    await expect.poll(() => demo(page, 'selected')).toBe('a15');
    await expect(page.locator('#grid-a [aria-selected="true"]')).toHaveCount(1);
    // the accessible names carry the group in the page's language, and the map's value range
    await expect(page.locator('#grid-a [data-id="a9"]')).toHaveAttribute('aria-label', /^#9 \(ghost\): -?[\d.]+ … -?[\d.]+$/);
    expectClean(problems);
  });

  test('the network strip selects on click and on Enter', async ({ page, problems }) => {
    await ready(page);
    const col = (id: string) => page.locator(`#strip [data-id="${id}"]`);
    await col('blocks.1').click();
    await expect.poll(() => demo(page, 'stripSelected')).toBe('blocks.1');
    await expect(col('blocks.1')).toHaveAttribute('aria-selected', 'true');
    await expect(col('blocks.1')).toBeFocused();
    await page.keyboard.press('ArrowRight');
    await expect(col('blocks.2')).toBeFocused();
    await page.keyboard.press('Enter');
    await expect.poll(() => demo(page, 'stripSelected')).toBe('blocks.2');
    await expect(col('blocks.2')).toHaveAttribute('aria-selected', 'true');
    await expect(col('blocks.1')).toHaveAttribute('aria-selected', 'false');
    await expect(page.locator('#strip [aria-selected="true"]')).toHaveCount(1);
    await expect(col('blocks.2')).toHaveAttribute('aria-label', /blocks\.2, Ghost bottleneck, out 7×7×24, params 3\.82k, MACs 122k/);
    await expect(page.locator('#strip-readout')).toContainText('blocks.2');
    expectClean(problems);
  });

  test('similar pairs highlight their maps; the matrix answers the keyboard', async ({ page, problems }) => {
    await ready(page);
    const pairs = await demo<{ i: number; j: number; similarity: number }[]>(page, 'topPairs');
    expect(pairs[0].similarity).toBeGreaterThan(0.9);
    // every ghost map's nearest twin is its intrinsic map (i, i + 8)
    for (const p of pairs) expect(p.j - p.i).toBe(8);
    await page.locator('#sim li button').first().click();
    await expect(page.locator('#grid-a .gv-hl')).toHaveCount(2);
    await expect(page.locator(`#grid-a [data-id="a${pairs[0].i}"]`)).toHaveClass(/gv-hl/);
    // the matrix cursor sits on the chosen pair; arrows move it and announce the cell
    await page.locator('#sim canvas[role="img"]').focus();
    await expect(page.locator('#sim .gv-sim-readout')).toContainText(`#${pairs[0].i} ~ #${pairs[0].j}: ${pairs[0].similarity.toFixed(3)}`);
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('Home');
    await expect(page.locator('#sim .gv-sim-readout')).toContainText('#0 ~ #0: 1.000');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Enter');
    await expect.poll(() => demo<{ i: number; j: number }>(page, 'pair')).toMatchObject({ i: 0, j: 1 });
    expectClean(problems);
  });

  test('bad uploads give clear messages and the page keeps working', async ({ page, problems }) => {
    test.setTimeout(120_000);
    await ready(page);
    const input = page.locator('#file');
    const message = page.locator('#upload-message');
    const status = () => demo<{ status: string; code?: string }>(page, 'upload');

    await input.setInputFiles({ name: 'x.png', mimeType: 'image/png', buffer: Buffer.from('this is a text file, not a picture\n') });
    await expect.poll(status).toMatchObject({ status: 'error', code: 'not-image' });
    await expect(message).toHaveText(/not an image/);
    await expect(message).toHaveClass(/error/);

    await input.setInputFiles({ name: 'empty.png', mimeType: 'image/png', buffer: Buffer.alloc(0) });
    await expect.poll(status).toMatchObject({ status: 'error', code: 'empty' });
    await expect(message).toHaveText(/empty \(0 bytes\)/);

    const huge = flatPng(12000, 12000);
    expect(huge.length).toBeLessThan(1_000_000);
    await input.setInputFiles({ name: 'huge.png', mimeType: 'image/png', buffer: huge });
    await expect.poll(status).toMatchObject({ status: 'error', code: 'too-large' });
    await expect(message).toHaveText(/12000 × 12000 pixels, too large/);

    // a PNG whose header is fine and whose data is not
    const broken = Buffer.concat([flatPng(32, 32).subarray(0, 40), Buffer.from('garbage garbage garbage')]);
    await input.setInputFiles({ name: 'broken.png', mimeType: 'image/png', buffer: broken });
    await expect.poll(status).toMatchObject({ status: 'error', code: 'decode-failed' });
    await expect(message).toHaveText(/could not be decoded/);

    // a valid image works after all that
    await input.setInputFiles({ name: 'card.png', mimeType: 'image/png', buffer: cardPng() });
    await expect.poll(status).toMatchObject({ status: 'ok', width: 28, height: 28, originalWidth: 64, originalHeight: 48 });
    await expect(message).toHaveText(/64 × 48 → 28 × 28/);
    await expect(message).not.toHaveClass(/error/);
    const up = await canvasStats(page, '#upload-tensor');
    expect(up).toHaveLength(1);
    expect(up[0].colours).toBeGreaterThan(1);
    expect((await status()) as unknown as { sum: number }).toMatchObject({ sum: expect.any(Number) });
    expect(((await status()) as unknown as { sum: number }).sum).toBeGreaterThan(10);

    // a large but acceptable image is shrunk in steps
    await input.setInputFiles({ name: 'big.png', mimeType: 'image/png', buffer: flatPng(4000, 3000, 200) });
    await expect.poll(status, { timeout: 30_000 }).toMatchObject({ status: 'ok', originalWidth: 4000, originalHeight: 3000, width: 28, height: 28 });

    // and the rest of the page still answers
    const canvas = page.locator('#grid-a [data-id="a0"] canvas');
    await canvas.scrollIntoViewIfNeeded();
    const box = (await canvas.boundingBox())!;
    await page.mouse.move(box.x + 10, box.y + 10);
    await expect.poll(() => demo<{ id: string } | null>(page, 'hover')).toMatchObject({ id: 'a0' });
    expectClean(problems);
  });

  test('upload messages come in Chinese on ?lang=zh', async ({ page, problems }) => {
    await ready(page, `${PATH}?lang=zh`);
    await page.locator('#file').setInputFiles({ name: 'x.png', mimeType: 'image/png', buffer: Buffer.from('plain text') });
    await expect(page.locator('#upload-message')).toHaveText(/不是图片/);
    await page.locator('#file').setInputFiles({ name: 'huge.png', mimeType: 'image/png', buffer: flatPng(12000, 12000) });
    await expect(page.locator('#upload-message')).toHaveText(/12000 × 12000 像素/);
    await expect(page.locator('#probs-1000 li.gv-rest')).toContainText('其余 995 类');
    await expect(page.locator('#grid-a [data-id="a9"]')).toHaveAttribute('aria-label', /^#9 \(幻影\): /);
    expectClean(problems);
  });

  test('drawing with the mouse, and with the keyboard, gives a non-blank tensor', async ({ page, problems }) => {
    await ready(page);
    const pad = page.locator('#pad canvas');
    await pad.scrollIntoViewIfNeeded();
    const b = (await pad.boundingBox())!;
    await page.mouse.move(b.x + b.width * 0.3, b.y + b.height * 0.3);
    await page.mouse.down();
    for (let i = 1; i <= 10; i++) await page.mouse.move(b.x + b.width * (0.3 + i * 0.04), b.y + b.height * (0.3 + i * 0.03));
    await page.mouse.up();
    await expect.poll(() => demo<{ sum: number }>(page, 'pad').then((p) => p.sum)).toBeGreaterThan(5);
    const t = await canvasStats(page, '#pad-tensor');
    expect(t).toHaveLength(1);
    expect(t[0].w).toBe(28);
    expect(t[0].colours).toBeGreaterThan(1);
    // the pad's own pixels show the stroke
    const padStats = await canvasStats(page, '#pad');
    expect(padStats[0].colours).toBeGreaterThan(1);

    await page.locator('#pad-clear').click();
    await expect.poll(() => demo<{ sum: number }>(page, 'pad').then((p) => p.sum)).toBe(0);

    // keyboard pen: Space lowers it, arrows draw, Space lifts it
    await pad.focus();
    await page.keyboard.press('Space');
    for (let i = 0; i < 8; i++) await page.keyboard.press('Shift+ArrowRight');
    await page.keyboard.press('Space');
    await expect.poll(() => demo<{ sum: number }>(page, 'pad').then((p) => p.sum)).toBeGreaterThan(5);
    await page.keyboard.press('Delete');
    await expect.poll(() => demo<{ sum: number }>(page, 'pad').then((p) => p.sum)).toBe(0);

    // dark-on-light drawing still gives a light-on-black tensor
    await page.locator('#pad-mode').selectOption('dark-on-light');
    await page.mouse.move(b.x + b.width * 0.5, b.y + b.height * 0.2);
    await page.mouse.down();
    await page.mouse.move(b.x + b.width * 0.5, b.y + b.height * 0.8, { steps: 8 });
    await page.mouse.up();
    await expect.poll(() => demo<{ sum: number }>(page, 'pad').then((p) => p.sum)).toBeGreaterThan(5);
    const sum = await demo<{ sum: number }>(page, 'pad').then((p) => p.sum);
    expect(sum).toBeLessThan(28 * 28 * 0.5); // mostly black, not inverted
    expectClean(problems);
  });

  test('dark mode: borders follow the theme, canvases stay drawn', async ({ page, problems }) => {
    await ready(page);
    const border = () => page.locator('#grid-a [data-id="a0"] canvas').evaluate((c) => getComputedStyle(c).borderTopColor);
    const ghost = () => page.locator('#grid-a [data-id="a8"] canvas').evaluate((c) => getComputedStyle(c).borderTopStyle);
    expect(await border()).toBe('rgb(47, 111, 209)'); // --intrinsic, light
    expect(await ghost()).toBe('dashed');
    await page.locator('#theme').click();
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    expect(await border()).toBe('rgb(115, 165, 245)'); // --intrinsic, dark
    const legendText = await page.locator('#legend svg g text').first().evaluate((t) => getComputedStyle(t).fill);
    expect(legendText).toBe('rgb(227, 232, 229)'); // --fg, dark
    const stats = await canvasStats(page, '#grid-a');
    expect(stats.every((s) => s.opaque > 0)).toBe(true);
    expectClean(problems);
  });

  test('the colour range modes change the drawing and the legend', async ({ page, problems }) => {
    await ready(page);
    const legend = page.locator('#legend svg');
    const layerLabel = await legend.getAttribute('aria-label');
    const before = await page.locator('#grid-a [data-id="a0"] canvas').evaluate((c) => (c as HTMLCanvasElement).toDataURL());
    await page.locator('#scale-mode').selectOption('local');
    await expect(legend).toHaveAttribute('aria-label', /−max … 0 … max/);
    const after = await page.locator('#grid-a [data-id="a0"] canvas').evaluate((c) => (c as HTMLCanvasElement).toDataURL());
    expect(after).not.toBe(before); // map a0 is weaker than the layer's strongest: its own range is narrower
    await page.locator('#scale-mode').selectOption('global');
    const globalLabel = await legend.getAttribute('aria-label');
    expect(globalLabel).not.toBe(layerLabel);
    expectClean(problems);
  });

  test('draw times (480 maps of 7×7, 16 of 112×112)', async ({ page, problems }, info) => {
    await ready(page);
    const onLoad = await demo<Record<string, number>>(page, 'timings');
    const bench = await page.evaluate(() => (window as unknown as { __vizDemo: { bench(n: number): Record<string, number> } }).__vizDemo.bench(7));
    const report = { onLoad, bench };
    await info.attach('viz-timings.json', { body: JSON.stringify(report, null, 2), contentType: 'application/json' });
    console.log(`viz timings (ms): ${JSON.stringify(report)}`);
    // generous bounds: the machine is shared; these catch a regression of an order of magnitude
    expect(bench['480x7x7 draw+layout']).toBeLessThan(1000);
    expect(bench['16x112x112 draw+layout']).toBeLessThan(500);
    expect(bench['480x7x7 update']).toBeLessThan(500);
    expectClean(problems);
  });
});

test.describe('viz demo page on a high-density screen', () => {
  test.use({ deviceScaleFactor: 2 });
  test('canvases are drawn at twice their CSS size and hover still maps to the right pixel', async ({ page, problems }) => {
    await ready(page);
    const size = await page.locator('#grid-a [data-id="a3"] canvas').evaluate((c) => {
      const cv = c as HTMLCanvasElement;
      return { w: cv.width, h: cv.height, cssW: cv.clientWidth, dpr: devicePixelRatio };
    });
    expect(size).toEqual({ w: 224, h: 224, cssW: 112, dpr: 2 });
    // crisp: each map pixel is a 2 × 2 block of identical device pixels
    const crisp = await page.locator('#grid-b [data-id="b0"] canvas').evaluate((c) => {
      const cv = c as HTMLCanvasElement;
      const d = cv.getContext('2d')!.getImageData(0, 0, cv.width, cv.height).data;
      const px = (x: number, y: number) => d.slice((y * cv.width + x) * 4, (y * cv.width + x) * 4 + 4).join();
      const step = cv.width / 7;
      let same = true;
      for (let y = 0; y < 7; y++) for (let x = 0; x < 7; x++) {
        const x0 = Math.floor(x * step), y0 = Math.floor(y * step);
        same &&= px(x0, y0) === px(Math.floor((x + 1) * step) - 1, Math.floor((y + 1) * step) - 1);
      }
      return { same, width: cv.width };
    });
    expect(crisp).toEqual({ same: true, width: 56 });
    const canvas = page.locator('#grid-a [data-id="a3"] canvas');
    const box = (await canvas.boundingBox())!;
    await page.mouse.move(box.x + 2 + 10.5, box.y + 2 + 100.5);
    await expect.poll(() => demo(page, 'hover')).toMatchObject({ id: 'a3', row: 100, col: 10 });
    const overlay = await page.locator('#ov-nearest canvas').evaluate((c) => (c as HTMLCanvasElement).width);
    expect(overlay).toBe(392);
    expectClean(problems);
  });
});

test.describe('viz demo page on a phone', () => {
  test.use({ viewport: { width: 375, height: 740 }, hasTouch: true, isMobile: true });
  test('nothing overflows the page; the strip scrolls sideways; touch and pen draw', async ({ page, problems }) => {
    await ready(page);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    const strip = await page.locator('#strip [role="listbox"]').evaluate((s) => ({ scroll: s.scrollWidth, client: s.clientWidth }));
    expect(strip.scroll).toBeGreaterThan(strip.client);
    // selecting the last column scrolls it into view
    await page.locator('#strip [data-id="blocks.0"]').focus();
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    await expect.poll(() => demo(page, 'stripSelected')).toBe('classifier');
    await expect(page.locator('#strip [data-id="classifier"]')).toBeInViewport();

    // touch and pen strokes (pointer events as the browser sends them)
    const pad = page.locator('#pad canvas');
    await pad.scrollIntoViewIfNeeded();
    const b = (await pad.boundingBox())!;
    for (const [pointerType, y] of [['touch', 0.3], ['pen', 0.7]] as const) {
      await pad.evaluate((el, a) => {
        const r = el.getBoundingClientRect();
        const at = (type: string, fx: number) =>
          el.dispatchEvent(new PointerEvent(type, { bubbles: true, cancelable: true, pointerId: 7, pointerType: a.pointerType, isPrimary: true, pressure: 0.6, clientX: r.left + r.width * fx, clientY: r.top + r.height * a.y }));
        at('pointerdown', 0.2);
        for (let i = 1; i <= 6; i++) at('pointermove', 0.2 + i * 0.1);
        at('pointerup', 0.8);
      }, { pointerType, y });
    }
    void b;
    await expect.poll(() => demo<{ sum: number }>(page, 'pad').then((p) => p.sum)).toBeGreaterThan(10);
    expectClean(problems);
  });
});

test.describe('viz demo page with reduced motion', () => {
  test('probability bars animate only when the reader allows motion', async ({ page, problems }) => {
    await ready(page);
    const transition = () => page.locator('#probs-10 .gv-prob-bar').first().evaluate((e) => (e as HTMLElement).style.transition);
    expect(await transition()).toContain('width');
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await page.locator('#reroll').click();
    expect(await transition()).toBe('none');
    expectClean(problems);
  });
});
