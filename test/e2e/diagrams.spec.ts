import type { Locator, Page } from '@playwright/test';
import { test, expect, expectClean, open } from './fixtures';
import { readFileSync } from 'node:fs';
import { nearestIndices } from '../../src/model/dfc-attention';

// The chapter diagrams (src/components/diagrams) and the predict-then-check questions
// (src/components/PredictCheck.astro), in both languages.
const DIAGRAMS: Record<string, string[]> = {
  'ghostnet-v1': ['ghost-module', 'ghost-bottleneck', 'ghostnet-layout'],
  'ghostnet-v2': ['dfc-branch', 'ghostnetv2-bottleneck'],
};
const QUESTIONS: Record<string, string[]> = {
  'ghostnet-v1': ['ghost-source', 'speedup-k1'],
  'ghostnet-v2': ['dfc-reach', 'gate-rows'],
};
const LANGS = ['', '/zh'];
// The labs on these pages stay idle unless scrolled to; wasm keeps them cheap if they start.
const url = (prefix: string, chapter: string, query = '') => `${prefix}/${chapter}/?backend=wasm${query}`;

const litTerms = (page: Page) =>
  page
    .locator('.katex .term-lit')
    .evaluateAll((els) => [...new Set(els.map((e) => [...e.classList].find((c) => c.startsWith('term-') && c !== 'term-lit')!.slice('term-'.length)))]);

for (const [chapter, names] of Object.entries(DIAGRAMS)) {
  for (const prefix of LANGS) {
    test(`${prefix}/${chapter}/: every diagram is in the static HTML, captioned, and each part names a term of the page`, async ({ page, problems, request }) => {
      const html = await (await request.get(`${prefix}/${chapter}/`)).text();
      for (const name of names) expect(html, name).toContain(`data-diagram="${name}"`);
      await open(page, url(prefix, chapter));
      for (const name of names) {
        const fig = page.locator(`figure[data-diagram="${name}"]`);
        await expect(fig).toHaveCount(1);
        await expect(fig.locator('figcaption')).not.toBeEmpty();
        const terms = await fig.locator('[data-term]').evaluateAll((els) => [...new Set(els.map((e) => (e as SVGElement).dataset.term!))]);
        expect(terms.length, `${name} has linked parts`).toBeGreaterThan(0);
        for (const t of terms) expect(await page.locator(`.katex .term-${t}`).count(), `${name}: term ${t} in a formula`).toBeGreaterThan(0);
        // Every focusable part has a name for screen readers.
        for (const label of await fig.locator('[tabindex="0"]').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''))) {
          expect(label.trim().length).toBeGreaterThan(0);
        }
      }
      expectClean(problems);
    });

    test(`${prefix}/${chapter}/: hovering a part lights its term, hovering a term lights its parts`, async ({ page, problems }) => {
      await open(page, url(prefix, chapter));
      for (const name of names) {
        const fig = page.locator(`figure[data-diagram="${name}"]`);
        const part = fig.locator('.part[tabindex="0"]').first();
        const term = (await part.getAttribute('data-term'))!;
        await part.scrollIntoViewIfNeeded();
        await part.hover();
        await expect(part).toHaveClass(/term-lit/);
        expect(await litTerms(page), `${name}: hovering the ${term} part`).toEqual([term]);
        await page.mouse.move(1, 1);
        expect(await litTerms(page)).toEqual([]);
        await expect(part).not.toHaveClass(/term-lit/);

        // The last occurrence: earlier ones may hold nested terms (Concat([Y′, …])).
        const formulaTerm = page.locator(`.katex .term-${term}`).last();
        await formulaTerm.scrollIntoViewIfNeeded();
        await formulaTerm.hover();
        const lit = await fig.locator(`[data-term="${term}"]`).evaluateAll((els) => els.map((e) => e.classList.contains('term-lit')));
        expect(lit.length).toBeGreaterThan(0);
        expect(lit.every(Boolean), `${name}: hovering the ${term} term lights all its parts`).toBe(true);
        await expect(fig.locator('.term-lit:not([data-term="' + term + '"])')).toHaveCount(0);
        await page.mouse.move(1, 1);
      }
      expectClean(problems);
    });

    test(`${prefix}/${chapter}/: parts are reached with Tab and focus lights their term`, async ({ page, problems }) => {
      await open(page, url(prefix, chapter));
      for (const name of names) {
        const fig = page.locator(`figure[data-diagram="${name}"]`);
        const parts = fig.locator('.part[tabindex="0"]');
        const count = await parts.count();
        expect(count).toBeGreaterThanOrEqual(2);
        // Start from the diagram's title (not focusable), then walk the parts with the keyboard.
        await fig.locator('.d-title').first().click();
        // Park the pointer off the figure: Tab scrolls the page, and a part sliding under a still
        // pointer is hovered, which rightly lights its own term instead of the focused one.
        await page.mouse.move(1, 1);
        for (let i = 0; i < Math.min(count, 4); i++) {
          await page.keyboard.press('Tab');
          const focused = await page.evaluate(() => {
            const a = document.activeElement as SVGElement | null;
            return a?.closest('[data-diagram]') ? a.dataset.term ?? null : null;
          });
          expect(focused, `${name}: Tab #${i + 1} lands on a part`).not.toBeNull();
          expect(await litTerms(page)).toEqual([focused]);
          const visible = await page.evaluate(() => getComputedStyle(document.activeElement!.querySelector('.d-focus')!).stroke);
          expect(visible, 'a visible focus ring').not.toBe('none');
        }
        await page.keyboard.press('Shift+Tab');
        await expect(parts.nth(Math.min(count, 4) - 2)).toBeFocused();
      }
      expectClean(problems);
    });

    test(`${prefix}/${chapter}/: on a 390-px phone the diagrams fit, text stays ≥ 11 px and inside its box`, async ({ page, problems }) => {
      await page.setViewportSize({ width: 390, height: 844 });
      await open(page, url(prefix, chapter));
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      for (const name of names) {
        const report = await page.locator(`figure[data-diagram="${name}"]`).evaluate((fig) => {
          const out: string[] = [];
          let smallest = Infinity;
          // Chinese labels must fit even where the test machine has no CJK font (it draws narrower
          // boxes then): widen each CJK or full-width character to a full em, as CJK fonts draw it.
          const widest = (text: SVGTextElement): DOMRect => {
            const box = text.getBBox();
            const chars = [...(text.textContent ?? '')];
            const em = parseFloat(getComputedStyle(text).fontSize);
            let extra = 0;
            let i = 0;
            for (const ch of chars) {
              if (/[\u3000-\u9fff\uff00-\uffef]/.test(ch)) extra += Math.max(0, em - text.getSubStringLength(i, ch.length));
              i += ch.length;
            }
            const anchor = getComputedStyle(text).textAnchor;
            const x = anchor === 'middle' ? box.x - extra / 2 : anchor === 'end' ? box.x - extra : box.x;
            return new DOMRect(x, box.y, box.width + extra, box.height);
          };
          const figBox = fig.getBoundingClientRect();
          for (const svg of fig.querySelectorAll<SVGSVGElement>('svg.diagram-svg')) {
            const box = svg.getBoundingClientRect();
            if (box.right > figBox.right + 0.5 || box.left < figBox.left - 0.5) out.push('svg wider than its figure');
            const vb = svg.viewBox.baseVal;
            for (const text of svg.querySelectorAll<SVGTextElement>('text, tspan')) {
              const px = parseFloat(getComputedStyle(text).fontSize) * (svg.getScreenCTM()?.a ?? 1);
              smallest = Math.min(smallest, px);
              if (text.tagName !== 'text') continue;
              const t = widest(text);
              const rotated = text.hasAttribute('transform');
              if (!rotated && (t.x < vb.x - 0.5 || t.x + t.width > vb.x + vb.width + 0.5)) out.push(`"${text.textContent}" leaves the drawing`);
              // Text drawn in a card must stay inside the card's shape.
              const shape = text.parentElement?.querySelector(':scope > .d-shape') as SVGGraphicsElement | null;
              if (shape && !text.parentElement!.classList.contains('d-container')) {
                const s = shape.getBBox();
                if (t.x < s.x - 0.5 || t.x + t.width > s.x + s.width + 0.5) out.push(`"${text.textContent}" overflows its box (${t.width.toFixed(0)} > ${s.width.toFixed(0)})`);
              }
            }
          }
          return { out, smallest };
        });
        expect(report.out, name).toEqual([]);
        expect(report.smallest, `${name}: smallest text in px`).toBeGreaterThanOrEqual(11);
      }
      expectClean(problems);
    });
  }
}

test('the layout picture is ghostnet_100’s config table', async ({ page, problems }) => {
  const table = JSON.parse(readFileSync('src/model/configs/architectures.json', 'utf8'));
  const model = table.models.ghostnet_100;
  const rows: number[][] = table.layouts[model.layout].stages.flat();
  // At width 1.0 make_divisible(v, 4) keeps every width of the table (all are multiples of 4).
  expect(model.width).toBe(1);
  const scaled = (v: number) => {
    expect(v % 4).toBe(0);
    return v;
  };
  await open(page, url('', 'ghostnet-v1'));
  const fig = page.locator('figure[data-diagram="ghostnet-layout"]');
  const texts = (await fig.locator('svg text').allTextContents()).filter((t) => /^\d+ → \d+$/.test(t));
  expect(texts).toEqual(rows.map(([, exp, out]) => `${scaled(exp!)} → ${scaled(out!)}`));
  await expect(fig.locator('.d-bar[data-term="se"]')).toHaveCount(rows.filter((r) => r[3]! > 0).length);
  // One resolution band for the input, one after the stem, one after each stride-2 block, one after pooling.
  await expect(fig.locator('[data-term="resolution"]')).toHaveCount(2 + rows.filter((r) => r[4] === 2).length + 1);
  expectClean(problems);
});

// Contrast of every diagram text against what it is drawn on, and of part outlines against the figure.
async function contrasts(page: Page): Promise<{ text: number; stroke: number; where: string }> {
  return page.evaluate(() => {
    const probe = document.createElement('canvas').getContext('2d')!;
    // Computed colours may come as rgb() or color(srgb …) (color-mix): let the canvas normalise them.
    const rgb = (c: string): number[] => {
      probe.clearRect(0, 0, 1, 1);
      probe.fillStyle = '#000';
      probe.fillStyle = c;
      probe.fillRect(0, 0, 1, 1);
      return [...probe.getImageData(0, 0, 1, 1).data.slice(0, 3)];
    };
    const lum = (c: string) =>
      rgb(c).map((v) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4)).reduce((a, v, i) => a + v * [0.2126, 0.7152, 0.0722][i]!, 0);
    const ratio = (a: string, b: string) => {
      const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
      return (x! + 0.05) / (y! + 0.05);
    };
    let text = Infinity;
    let stroke = Infinity;
    let where = '';
    for (const fig of document.querySelectorAll<HTMLElement>('figure[data-diagram]')) {
      const figBg = getComputedStyle(fig).backgroundColor;
      for (const t of fig.querySelectorAll<SVGTextElement>('svg text')) {
        const shape = t.parentElement?.querySelector(':scope > .d-shape');
        const onCard = shape && !t.parentElement!.classList.contains('d-container');
        const bg = onCard ? getComputedStyle(shape).fill : figBg;
        const r = ratio(getComputedStyle(t).fill, bg);
        if (r < text) [text, where] = [r, `${fig.dataset.diagram}: "${t.textContent}"`];
      }
      for (const s of fig.querySelectorAll<SVGElement>('.part > .d-shape')) stroke = Math.min(stroke, ratio(getComputedStyle(s).stroke, figBg));
    }
    return { text, stroke, where };
  });
}

for (const theme of ['light', 'dark']) {
  for (const chapter of Object.keys(DIAGRAMS)) {
    test(`${theme} theme, /${chapter}/: diagram text ≥ 4.5:1 and part outlines ≥ 3:1, also when lit`, async ({ page, problems }) => {
      await page.addInitScript((t) => localStorage.setItem('ghostlab-theme', t), theme);
      await open(page, url('', chapter));
      expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe(theme);
      const c = await contrasts(page);
      expect(c.text, c.where).toBeGreaterThanOrEqual(4.5);
      expect(c.stroke).toBeGreaterThanOrEqual(3);
      // Lit parts get a stronger tint: text must stay legible on it.
      await page.evaluate(() => document.querySelectorAll('[data-diagram] .part').forEach((p) => p.classList.add('term-lit')));
      const lit = await contrasts(page);
      expect(lit.text, lit.where).toBeGreaterThanOrEqual(4.5);
      expectClean(problems);
    });
  }
}

// --- Predict, then check --------------------------------------------------------------------------

async function correctValue(q: Locator): Promise<number> {
  return Number(await q.locator('[data-correct="true"]').getAttribute('data-value'));
}

for (const [chapter, ids] of Object.entries(QUESTIONS)) {
  for (const prefix of LANGS) {
    test(`${prefix}/${chapter}/: predict-then-check questions work by keyboard`, async ({ page, problems }) => {
      await open(page, url(prefix, chapter));
      for (const [n, id] of ids.entries()) {
        const q = page.locator(`[data-predict="${id}"]`);
        await expect(q).toHaveCount(1);
        const answer = q.locator('[data-role=answer]');
        const summary = answer.locator('summary');
        const options = q.locator('[data-option]');
        expect(await options.count()).toBeGreaterThanOrEqual(3);
        await expect(q.locator('[data-correct="true"]')).toHaveCount(1);

        // The answer stays shut until the reader commits to a guess.
        await summary.focus();
        await page.keyboard.press('Enter');
        expect(await answer.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(false);
        await expect(q.locator('[data-role=hint]')).toBeVisible();

        // Reach an option with the keyboard: alternate right and wrong guesses over the questions.
        await options.first().focus();
        const target = n % 2 === 0 ? Number(await q.locator('[data-correct="true"]').getAttribute('data-option')) : await options.evaluateAll((els) => els.findIndex((e) => !e.hasAttribute('data-correct')));
        for (let i = 0; i < target; i++) await page.keyboard.press('Tab');
        await expect(options.nth(target)).toBeFocused();
        await page.keyboard.press(n % 2 === 0 ? 'Enter' : 'Space');

        expect(await answer.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(true);
        await expect(q).toHaveAttribute('data-result', n % 2 === 0 ? 'right' : 'wrong');
        await expect(q.locator('[data-role=verdict]')).not.toBeEmpty();
        await expect(options.nth(target)).toHaveAttribute('aria-pressed', 'true');
        await expect(summary).toBeFocused();
        await expect(q.locator('.predict-body')).toBeVisible();
        // The guess is committed: another option does not change it.
        await options.nth((target + 1) % (await options.count())).click({ force: true });
        await expect(q).toHaveAttribute('data-guess', String(target));
        // And the answer folds and unfolds like any <details>.
        await summary.focus();
        await page.keyboard.press('Enter');
        expect(await answer.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(false);
      }
      expectClean(problems);
    });
  }
}

test('the speed-up question’s answer is what the calculator shows for its numbers', async ({ page, problems }) => {
  await open(page, url('', 'ghostnet-v1', '&s=2&d=3&c=16&k=1'));
  const calc = page.locator('[data-ghost-speedup]').first();
  await expect(calc).toHaveAttribute('data-ready', 'true');
  const shown = Number(await calc.getByTestId('rs-exact').getAttribute('data-value'));
  expect(await correctValue(page.locator('[data-predict="speedup-k1"]'))).toBeCloseTo(shown, 2);
  expectClean(problems);
});

test('the DFC reach question’s answer is what the receptive-field picture shows', async ({ page, problems }) => {
  await open(page, url('', 'ghostnet-v2', '&rf=dw&KH=5&KW=5'));
  const calc = page.locator('[data-dfc-calculator]').first();
  await expect(calc).toHaveAttribute('data-ready', 'true');
  const reached = Number(await calc.getByTestId('rf-grid-2').getAttribute('data-reached'));
  expect(await correctValue(page.locator('[data-predict="dfc-reach"]'))).toBe(reached);
  expectClean(problems);
});

test('the gate-rows question’s answer is how the model up-samples 3 → 7', async ({ page }) => {
  await open(page, url('', 'ghostnet-v2'));
  const topRow = [...nearestIndices(3, 7)].filter((i) => i === 0).length;
  expect(await correctValue(page.locator('[data-predict="gate-rows"]'))).toBe(topRow);
});
