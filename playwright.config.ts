import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './tools/chromium';

const PORT = Number(process.env.E2E_PORT ?? 4329);

export default defineConfig({
  testDir: 'test/e2e',
  timeout: 60_000,
  expect: { timeout: 15_000 },
  // Files run on two workers (tests inside a file in order): every test has its own browser context
  // and the preview server is static, so they do not meet; on two cores the suite takes about 9
  // minutes instead of 13. CI retries a failed test once (the report marks it flaky); a real
  // failure fails twice.
  fullyParallel: false,
  workers: 2,
  retries: process.env.CI ? 1 : 0,
  reporter: process.env.CI ? [['list']] : [['list']],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    browserName: 'chromium',
    headless: true,
    // The site's service worker would answer requests that tests intercept with page.route;
    // test/e2e/offline.spec.ts allows it where it is what is tested.
    serviceWorkers: 'block',
    launchOptions: {
      executablePath: CHROMIUM_PATH,
      args: CHROMIUM_ARGS,
    },
  },
  webServer: {
    // Tests run against the production build, as a reader gets it.
    command: `npx astro preview --host 127.0.0.1 --port ${PORT}`,
    url: `http://127.0.0.1:${PORT}/`,
    reuseExistingServer: !process.env.CI,
    // A busy two-core machine can take a while to start the server.
    timeout: 180_000,
  },
});
