import { execFileSync } from 'node:child_process';
import type { Locator, Page } from '@playwright/test';
import { test, expect, expectClean, open } from './fixtures';

// The network explorer (V1 chapter, #ghostify) and the page's one shared s/d state, in English and
// Chinese, against the built site. Totals are checked against the `ghostlab cost` command line.

interface CliReport {
  layers: { name: string; kind: string; params: number; macs: number }[];
  total: { params: number; macs: number };
}
const cost = (...args: string[]): CliReport => JSON.parse(execFileSync('node', ['bin/ghostlab.js', 'cost', ...args, '--json'], { encoding: 'utf8' })) as CliReport;
const query = (page: Page) => new URL(page.url()).searchParams;

async function explorer(page: Page): Promise<Locator> {
  const root = page.locator('[data-network-explorer]');
  await expect(root).toHaveAttribute('data-ready', 'true');
  await expect(root).toHaveAttribute('data-busy', 'false');
  return root;
}
async function calculator(page: Page): Promise<Locator> {
  const root = page.locator('[data-ghost-speedup]').first();
  await expect(root).toHaveAttribute('data-ready', 'true');
  return root;
}
const totals = (root: Locator) => ({
  params: root.locator('[data-ghostify-total="params"]'),
  macs: root.locator('[data-ghostify-total="macs"]'),
});
async function expectTotals(root: Locator, r: CliReport): Promise<void> {
  const t = totals(root);
  await expect(t.params).toHaveAttribute('data-value', String(r.total.params));
  await expect(t.macs).toHaveAttribute('data-value', String(r.total.macs));
}

for (const lang of ['en', 'zh'] as const) {
  const base = lang === 'en' ? '/ghostnet-v1/' : '/zh/ghostnet-v1/';

  test.describe(`network explorer (${lang})`, () => {
    test('?net=vgg16_cifar&s=3&d=3: the totals of `ghostlab cost --ghost --s 3 --d 3`, beside the paper’s 5.2 M / 107 M', async ({ page, problems }) => {
      await open(page, `${base}?net=vgg16_cifar&s=3&d=3`);
      const root = await explorer(page);
      const ghost = cost('--arch', 'vgg16_cifar', '--ghost', '--s', '3', '--d', '3');
      await expectTotals(root, ghost);
      // The paper's row, reproduced: 5.2 M parameters, 107 M FLOPs counting the convolutions only.
      expect((ghost.total.params / 1e6).toFixed(1)).toBe('5.2');
      const convMacs = ghost.layers.filter((l) => !l.kind.startsWith('linear')).reduce((a, l) => a + l.macs, 0);
      expect((convMacs / 1e6).toFixed(0)).toBe('107');
      await expect(root.getByTestId('totals-conv-only').locator('td[data-value]')).toHaveAttribute('data-value', String(convMacs));
      const paper = root.getByTestId('totals-paper-ghost');
      await expect(paper).toContainText('5.2');
      await expect(paper).toContainText('107');
      await expect(paper).toContainText('93.4');
      await expect(paper.locator('[data-match]')).toHaveCount(2);
      for (const m of await paper.locator('[data-match]').all()) await expect(m).toHaveAttribute('data-match', 'true');
      await expect(root.getByTestId('totals-plain')).toContainText(cost('--arch', 'vgg16_cifar').total.params.toLocaleString('en-US'));
      await expect(root.getByTestId('explorer-explain')).toContainText(lang === 'en' ? 'convolutions only' : '只计卷积');
      // The one shared s/d: the calculator on the same page took them too.
      const calc = await calculator(page);
      await expect(calc.getByTestId('input-s')).toHaveValue('3');
      await expect(calc.getByTestId('input-d')).toHaveValue('3');
      await expect(root.getByTestId('explorer-s')).toHaveValue('3');
      await expect(root.getByTestId('explorer-net')).toHaveValue('vgg16_cifar');
      await expect(root.getByTestId('ghostify-chart').getByTestId('ghostify-layer')).toHaveCount(15); // 13 convs + 2 linear
      if (lang === 'zh') {
        await expect(root).toContainText('把整个网络 Ghost 化');
        await expect(root).toContainText('本征特征图');
      }
      expectClean(problems);
    });

    test('moving the explorer’s s moves the calculator and the URL, and the other way round', async ({ page, problems }) => {
      await open(page, `${base}?net=vgg16_cifar`);
      const root = await explorer(page);
      const calc = await calculator(page);
      await root.getByTestId('explorer-s').focus();
      await page.keyboard.press('ArrowRight');
      await expect(root.getByTestId('explorer-s-value')).toHaveText('3');
      await expect(calc.getByTestId('input-s')).toHaveValue('3');
      await expect(calc.getByTestId('slider-s')).toHaveValue('3');
      await expect.poll(() => query(page).get('s')).toBe('3');
      await expectTotals(root, cost('--arch', 'vgg16_cifar', '--ghost', '--s', '3', '--d', '3'));

      // The explorer's d slider steps over 1, 3, 5, 7.
      await root.getByTestId('explorer-d').focus();
      await page.keyboard.press('ArrowRight');
      await expect(root.getByTestId('explorer-d-value')).toHaveText('5');
      await expect(calc.getByTestId('input-d')).toHaveValue('5');
      await expect.poll(() => query(page).get('d')).toBe('5');

      // The calculator drives the explorer.
      await calc.getByTestId('slider-s').focus();
      await page.keyboard.press('ArrowRight');
      await expect(calc.getByTestId('input-s')).toHaveValue('4');
      await expect(root.getByTestId('explorer-s')).toHaveValue('4');
      await expect(root).toHaveAttribute('data-s', '4');
      await expectTotals(root, cost('--arch', 'vgg16_cifar', '--ghost', '--s', '4', '--d', '5'));
      await expect.poll(() => query(page).get('s')).toBe('4');
      await expect(root.getByTestId('explorer-note')).toBeHidden();

      // A value outside the explorer's range: it shows the nearest and says so.
      await calc.getByTestId('input-s').fill('9');
      await calc.getByTestId('input-s').press('Tab');
      await expect(root.getByTestId('explorer-s')).toHaveValue('5');
      await expect(root.getByTestId('explorer-note')).toBeVisible();
      await expect(root.getByTestId('explorer-note')).toContainText('9');
      await expect.poll(() => query(page).get('s')).toBe('9');
      expectClean(problems);
    });

    test('one ?s=&d= restores every control; net is in the URL', async ({ page, problems }) => {
      await open(page, `${base}?net=resnet56_cifar&s=4&d=5&c=40`);
      const root = await explorer(page);
      const calc = await calculator(page);
      await expect(root.getByTestId('explorer-net')).toHaveValue('resnet56_cifar');
      await expect(root.getByTestId('explorer-s')).toHaveValue('4');
      await expect(root.getByTestId('explorer-d')).toHaveValue('5');
      await expect(calc.getByTestId('input-s')).toHaveValue('4');
      await expect(calc.getByTestId('input-d')).toHaveValue('5');
      await expect(calc.getByTestId('input-c')).toHaveValue('40');
      await expectTotals(root, cost('--arch', 'resnet56_cifar', '--ghost', '--s', '4', '--d', '5'));
      await expect(root.getByTestId('totals-paper-ghost')).toHaveCount(0);
      await expect(root.getByTestId('explorer-paper-note')).toContainText('Ghost-ResNet-56');

      await root.getByTestId('explorer-net').selectOption('resnet50');
      await expect(root).toHaveAttribute('data-net', 'resnet50');
      await expect.poll(() => query(page).get('net')).toBe('resnet50');
      await expectTotals(root, cost('--arch', 'resnet50', '--ghost', '--s', '4', '--d', '5'));
      await page.reload({ waitUntil: 'networkidle' });
      const again = await explorer(page);
      await expect(again.getByTestId('explorer-net')).toHaveValue('resnet50');
      await expectTotals(again, cost('--arch', 'resnet50', '--ghost', '--s', '4', '--d', '5'));
      expectClean(problems);
    });

    test('an invalid shared link is repaired and explained', async ({ page, problems }) => {
      await open(page, `${base}?net=alexnet&s=abc&d=7`);
      const root = await explorer(page);
      await expect(root.getByTestId('explorer-net')).toHaveValue('vgg16_cifar');
      await expect(root.getByTestId('explorer-note')).toContainText('alexnet');
      await expect.poll(() => query(page).get('net')).toBe('vgg16_cifar');
      await expect.poll(() => query(page).get('s')).toBe('2');
      await expect(root.getByTestId('explorer-d')).toHaveValue('7');
      await expectTotals(root, cost('--arch', 'vgg16_cifar', '--ghost', '--s', '2', '--d', '7'));
      // The paper's d = 7 row: the total prints one million above it, the convolutions alone match.
      const macs = root.getByTestId('totals-paper-ghost').locator('[data-match]').nth(1);
      await expect(macs).toHaveAttribute('data-match', 'true');
      await expect(macs).toContainText(lang === 'en' ? 'convolutions only' : '只计卷积');
      expectClean(problems);
    });

    test('hovering a layer shows its c, n, k, h′, w′ and r_s; clicking loads them into the calculator', async ({ page, problems }) => {
      await open(page, `${base}?net=resnet56_cifar&s=2&d=3`);
      const root = await explorer(page);
      const calc = await calculator(page);
      const details = root.getByTestId('layer-details');
      const band = root.locator('[data-testid="ghostify-layer"][data-layer="layer2.0.conv1"]');
      await band.hover();
      await expect(details).toHaveAttribute('data-layer', 'layer2.0.conv1');
      // 16 → 32 channels, stride 2: 32×32 → 16×16.
      for (const [k, v] of [['c', '16'], ['n', '32'], ['k', '3'], ['h', '16'], ['w', '16']]) await expect(details).toHaveAttribute(`data-${k}`, v);
      await expect(details.getByTestId('layer-geometry')).toContainText('16 × 16');
      const rs = Number(await details.getAttribute('data-rs'));
      // The test's own arithmetic: m = 16 intrinsic maps, 16 ghosts from 3×3 depthwise filters.
      expect(rs).toBeCloseTo((32 * 16 * 9) / (16 * 16 * 9 + 16 * 9), 12);
      // Paper's row for Ghost-ResNet-56: our d = 3 count differs, and the explanation says why.
      await expect(root.getByTestId('totals-paper-ghost')).toContainText('92.7');
      await expect(root.getByTestId('explorer-explain')).toContainText('d = 1');

      await band.click();
      for (const [k, v] of [['c', '16'], ['n', '32'], ['k', '3'], ['h', '16'], ['w', '16'], ['s', '2'], ['d', '3']]) await expect(calc.getByTestId(`input-${k}`)).toHaveValue(v);
      expect(Number(await calc.getByTestId('rs-exact').getAttribute('data-value'))).toBeCloseTo(rs, 12);
      await expect(root.getByTestId('layer-loaded')).toBeVisible();
      await expect(root.getByTestId('layer-loaded')).toContainText('layer2.0.conv1');
      await expect.poll(() => query(page).get('n')).toBe('32');
      await expect(band).toHaveAttribute('aria-selected', 'true');
      expectClean(problems);
    });

    test('keyboard: focus the chart, move with the arrows, load with Enter', async ({ page, problems }) => {
      await open(page, `${base}?net=vgg16_cifar&s=2&d=3`);
      const root = await explorer(page);
      const calc = await calculator(page);
      const details = root.getByTestId('layer-details');
      // Tab from the d slider past the metric radios to the chart.
      await root.getByTestId('explorer-d').focus();
      const chart = root.locator('svg.layer-cost-chart');
      for (let i = 0; i < 4 && !(await chart.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press('Tab');
      await expect(chart).toBeFocused();
      await expect(details).toHaveAttribute('data-layer', 'features.0');
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('ArrowRight');
      await expect(details).toHaveAttribute('data-layer', 'features.3'); // features.2 is a max-pool: no cost
      const active = await chart.getAttribute('aria-activedescendant');
      await expect(root.locator(`[id="${active}"]`)).toHaveAttribute('data-layer', 'features.3');
      await page.keyboard.press('End');
      await expect(details).toHaveAttribute('data-layer', 'classifier.3');
      expect(await details.getAttribute('data-c')).toBeNull(); // a linear layer stays
      await page.keyboard.press('Home');
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('Enter');
      // features.1: 64 → 64 channels at 32×32.
      for (const [k, v] of [['c', '64'], ['n', '64'], ['k', '3'], ['h', '32'], ['w', '32']]) await expect(calc.getByTestId(`input-${k}`)).toHaveValue(v);
      // The metric radios switch the chart to parameters.
      const before = await root.getByTestId('ghostify-plain').first().getAttribute('data-value');
      await root.locator('[data-testid="explorer-metric"][value="params"]').check();
      await expect(root.getByTestId('ghostify-plain').first()).not.toHaveAttribute('data-value', before!);
      expectClean(problems);
    });

    test('GhostNet 1.0×: its own Ghost modules at other s and d, against `ghostlab cost`', async ({ page, problems }) => {
      await open(page, `${base}?net=vgg16_cifar`);
      const root = await explorer(page);
      await root.getByTestId('explorer-net').selectOption('ghostnet_100');
      await expect(root).toHaveAttribute('data-net', 'ghostnet_100');
      const official = cost('--arch', 'ghostnet_100', '--s', '2', '--d', '3');
      expect(official.total).toEqual({ params: 5_182_508, macs: 141_150_512 });
      await expectTotals(root, official);
      await expect(root.getByTestId('totals-paper-ghost')).toContainText('73.9');
      await root.getByTestId('explorer-s').focus();
      await page.keyboard.press('ArrowRight');
      await expect(root).toHaveAttribute('data-s', '3');
      await expectTotals(root, cost('--arch', 'ghostnet_100', '--s', '3', '--d', '3'));
      await expect(root.getByTestId('totals-paper-ghost')).toHaveCount(0);
      // The compact Fashion-MNIST net.
      await root.getByTestId('explorer-net').selectOption('ghostnet-fmnist');
      await expect(root).toHaveAttribute('data-net', 'ghostnet-fmnist');
      await expectTotals(root, cost('--arch', 'ghostnet-fmnist', '--s', '3', '--d', '3'));
      const band = root.locator('[data-testid="ghostify-layer"][data-replaced="true"]').first();
      await band.hover();
      await expect(root.getByTestId('layer-details')).toHaveAttribute('data-k', '1');
      expectClean(problems);
    });

    test('a 390-px phone: no horizontal overflow, the chart fits, a tap loads a layer', async ({ page, problems }) => {
      await page.setViewportSize({ width: 390, height: 844 });
      await open(page, `${base}?net=resnet50&s=2&d=3`);
      const root = await explorer(page);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      // Nothing in the explorer reaches past the screen's edge, not even inside a scrolling box.
      const past = await root.evaluate((el) => {
        const w = document.documentElement.clientWidth;
        return [el, ...Array.from(el.querySelectorAll('*'))].filter((e) => e.getBoundingClientRect().right > w + 0.5).map((e) => e.outerHTML.slice(0, 80));
      });
      expect(past).toEqual([]);
      const box = await root.boundingBox();
      expect(box!.x + box!.width).toBeLessThanOrEqual(390);
      const svg = await root.locator('svg.layer-cost-chart').boundingBox();
      expect(svg!.width).toBeGreaterThan(250);
      expect(svg!.x + svg!.width).toBeLessThanOrEqual(390);
      const table = await root.getByTestId('ghostify-totals').boundingBox();
      expect(table!.x + table!.width).toBeLessThanOrEqual(390);
      const band = root.locator('[data-testid="ghostify-layer"][data-layer="layer4.0.conv2"]');
      await band.scrollIntoViewIfNeeded();
      await band.click();
      const calc = await calculator(page);
      for (const [k, v] of [['c', '512'], ['n', '512'], ['h', '7']]) await expect(calc.getByTestId(`input-${k}`)).toHaveValue(v);
      expectClean(problems);
    });
  });
}
