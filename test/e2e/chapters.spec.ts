import { readFileSync } from 'node:fs';
import { test, expect, expectClean, open } from './fixtures';

// The formulas each chapter must typeset, tagged in the MDX with \htmlData{formula=ID}{...}.
const required: Record<string, string[]> = JSON.parse(readFileSync('test/e2e/required-formulas.json', 'utf8'));
const LANGS = [
  { lang: 'en', prefix: '' },
  { lang: 'zh', prefix: '/zh' },
];

for (const [chapter, ids] of Object.entries(required)) {
  for (const { lang, prefix } of LANGS) {
    test(`${lang} ${chapter}: every required formula is typeset in the static HTML`, async ({ page, problems, request }) => {
      // The static HTML itself (before any script runs) must hold the rendered math.
      const html = await (await request.get(`${prefix}/${chapter}/`)).text();
      for (const id of ids) expect(html, `formula ${id}`).toContain(`data-formula="${id}"`);
      expect(html).not.toContain('katex-error');

      await open(page, `${prefix}/${chapter}/`);
      for (const id of ids) await expect(page.locator(`.katex [data-formula="${id}"]`).first()).toBeVisible();
      expect(await page.locator('.katex').count()).toBeGreaterThanOrEqual(ids.length);
      expectClean(problems);
    });
  }
}

test('both languages have the same sections in the same order', async ({ request }) => {
  for (const chapter of ['', ...Object.keys(required)]) {
    const ids = async (url: string) => {
      const html = await (await request.get(url)).text();
      const main = html.slice(html.indexOf('<main'));
      return [...main.matchAll(/<h[23][^>]*\bid="([^"]+)"/g)].map((m) => m[1]);
    };
    const en = await ids(`/${chapter ? chapter + '/' : ''}`);
    const zh = await ids(`/zh/${chapter ? chapter + '/' : ''}`);
    expect(en.length, `sections of /${chapter}`).toBeGreaterThan(0);
    expect(zh, `sections of /zh/${chapter}`).toEqual(en);
  }
});

test('the language switch lands on the section being read', async ({ page }) => {
  const chapter = Object.keys(required)[0];
  await open(page, `/${chapter}/`);
  const sections = await page.locator('main h2[id]').evaluateAll((els) => els.map((e) => e.id));
  const target = sections[Math.min(2, sections.length - 1)];
  await page.locator(`#${target}`).scrollIntoViewIfNeeded();
  await page.evaluate((id) => document.getElementById(id)!.scrollIntoView({ block: 'start' }), target);
  await page.locator('#lang-switch').click();
  await page.waitForURL(`**/zh/${chapter}/**`);
  expect(new URL(page.url()).hash).toBe(`#${target}`);
  // And back again, from the Chinese page.
  await page.evaluate((id) => document.getElementById(id)!.scrollIntoView({ block: 'start' }), target);
  await page.locator('#lang-switch').click();
  await page.waitForURL((url) => !url.pathname.startsWith('/zh/'));
  expect(new URL(page.url()).pathname).toBe(`/${chapter}/`);
  expect(new URL(page.url()).hash).toBe(`#${target}`);
});

test('previous/next links and the table of contents lead somewhere real', async ({ page, request }) => {
  for (const path of ['/', ...Object.keys(required).map((c) => `/${c}/`)]) {
    await open(page, path);
    const links = await page.locator('.prev-next a, .toc a, .site-nav a').evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).href));
    expect(links.length).toBeGreaterThan(0);
    for (const href of links) {
      const url = new URL(href);
      if (url.hash && url.pathname === new URL(page.url()).pathname) {
        await expect(page.locator(`[id="${url.hash.slice(1)}"]`)).toHaveCount(1);
      } else {
        expect((await request.get(url.pathname)).status(), href).toBe(200);
      }
    }
  }
});

test('text-only pages load no TensorFlow.js code', async ({ page, problems }) => {
  for (const path of ['/', '/zh/']) {
    problems.requests.length = 0;
    await open(page, path);
    const scripts = problems.requests.filter((u) => u.endsWith('.js'));
    // tfjs chunks are recognisable by their content, not only their names: fetch each script.
    for (const url of scripts) {
      const body = await (await page.request.get(url)).text();
      expect(body.includes('tfjs') || body.includes('webgl2') && body.includes('Tensor'), `${url} carries tfjs`).toBe(false);
    }
  }
});

// --- What a reader reads: terms, counts and no production notes ------------------------------
const CHAPTER_PAGES = ['', ...Object.keys(required)];

test('one word for multiply-accumulates: MACs (乘加次数), and "FLOPs" only where it says the papers use it', async ({ page, problems }) => {
  for (const { lang, prefix } of LANGS) {
    for (const chapter of CHAPTER_PAGES) {
      await open(page, `${prefix}/${chapter ? chapter + '/' : ''}`);
      // The prose as rendered, formulas included (KaTeX's glyphs and its TeX annotation); the
      // figures (calculators, lab) carry their own one mention.
      const text = await page.locator('article.chapter').evaluate((el) => {
        const copy = el.cloneNode(true) as HTMLElement;
        copy.querySelectorAll('figure, .lab').forEach((f) => f.remove());
        return copy.textContent ?? '';
      });
      const sentences = text.split(/(?<=[.。])\s*/);
      const flops = sentences.filter((s) => /FLOPs?\b/.test(s));
      expect(flops.length, `${lang} /${chapter}: sentences naming FLOPs: ${flops.join(' | ')}`).toBeLessThanOrEqual(1);
      for (const s of flops) expect(s, `${lang} /${chapter}`).toMatch(lang === 'en' ? /papers? call/ : /论文(把它)?称为 FLOPs/);
      if (lang === 'en') expect(text, `/${chapter}`).not.toMatch(/multiply-adds?\b/i);
      if (chapter) expect(text).toContain(lang === 'en' ? 'MACs' : '乘加次数');
    }
  }
  expectClean(problems);
});

test('the chapters never call the cheap operation (with its ReLU) affine, and carry no production notes', async ({ page, problems }) => {
  for (const { lang, prefix } of LANGS) {
    for (const chapter of Object.keys(required)) {
      await open(page, `${prefix}/${chapter}/`);
      const text = await page.locator('article.chapter').innerText();
      // Affine appears only as one of the paper's examples of cheap linear maps.
      const affine = text.split(/(?<=[.。])\s*/).filter((s) => /affine|仿射/.test(s));
      for (const s of affine) expect(s, `${lang} ${chapter}`).toMatch(/affine transforms, wavelets|仿射变换、小波变换/);
      expect(text).not.toMatch(/course's plan|this course's plan was drawn|据以规划/);
    }
  }
  // The cheap operation's note says what BatchNorm and ReLU do instead.
  await open(page, '/ghostnet-v1/');
  await expect(page.locator('article.chapter')).toContainText('Strictly it is therefore not linear: BatchNorm adds a shift, and the ReLU zeroes every');
  await open(page, '/zh/ghostnet-v1/');
  await expect(page.locator('article.chapter')).toContainText('因此严格说来它不是线性的');
  expectClean(problems);
});

test('Chinese pages use 幻影特征图 and 本征特征图, never the old variants', async ({ page, problems }) => {
  for (const path of ['/zh/', '/zh/ghostnet-v1/', '/zh/ghostnet-v2/']) {
    await open(page, path);
    const text = await page.locator('main').innerText();
    expect(text, path).not.toMatch(/幽灵|幻影图|Ghost\s*特征图|本征图/);
    expect(text, path).toContain('幻影特征图');
  }
  expectClean(problems);
});
