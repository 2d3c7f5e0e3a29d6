#!/usr/bin/env node
// `npm test`: every test of the project, the type check (tsc), unit (Vitest), then browser
// (Playwright on the built site), with one summary line at the end. It checks the machine first and says exactly what
// is missing instead of failing halfway.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const missing = [];
if (!existsSync(chromium)) missing.push(['a Chromium for the browser tests', 'apt-get install -y chromium (or set CHROMIUM_PATH)']);
const torch = spawnSync('/usr/bin/python3', ['-c', 'import torch, numpy'], { stdio: 'ignore' });
if (torch.status !== 0) missing.push(["Debian's PyTorch (training and the parity tests)", 'apt-get install -y python3-torch python3-numpy']);
if (!existsSync('/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz')) {
  missing.push(['the Fashion-MNIST data set', 'apt-get install -y dataset-fashion-mnist']);
}
if (missing.length) {
  console.error('Cannot run the tests, this machine lacks:');
  for (const [what, fix] of missing) console.error(`  - ${what}: ${fix}`);
  process.exit(1);
}
if (!existsSync('node_modules/.bin/astro')) {
  console.log('node_modules missing: running npm ci');
  run('npm', ['ci', '--no-audit', '--no-fund']);
}

const out = mkdtempSync(join(tmpdir(), 'ghostlab-test-'));
const unitJson = join(out, 'unit.json');
const e2eJson = join(out, 'e2e.json');

// The TypeScript (strict) type check of src, tools and test, first: it takes seconds.
const types = run('npx', ['tsc', '--noEmit', '-p', 'tsconfig.json']);
if (types !== 0) console.log('the type check failed (see above)');
const unit = run('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${unitJson}`]);
const build = run('npx', ['astro', 'build']);
const e2e = build === 0
  ? run('npx', ['playwright', 'test', '--reporter=list,json'], { PLAYWRIGHT_JSON_OUTPUT_NAME: e2eJson })
  : 1;

const counts = { passed: 0, failed: 0, skipped: 0 };
if (existsSync(unitJson)) {
  const r = JSON.parse(readFileSync(unitJson, 'utf8'));
  counts.passed += r.numPassedTests ?? 0;
  counts.failed += (r.numFailedTests ?? 0) + (r.numRuntimeErrorTestSuites ?? 0);
  counts.skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
} else counts.failed += 1;
if (existsSync(e2eJson)) {
  const s = JSON.parse(readFileSync(e2eJson, 'utf8')).stats ?? {};
  counts.passed += (s.expected ?? 0) + (s.flaky ?? 0);
  counts.failed += s.unexpected ?? 0;
  counts.skipped += s.skipped ?? 0;
} else counts.failed += 1;

if (types !== 0) counts.failed += 1;
const ok = types === 0 && unit === 0 && build === 0 && e2e === 0 && counts.failed === 0;
if (build !== 0) console.log('the site did not build: browser tests not run');
console.log(`Tests: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
process.exit(ok ? 0 : 1);

function run(cmd, args, env = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  return r.status ?? 1;
}
