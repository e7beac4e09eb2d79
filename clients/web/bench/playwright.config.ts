import { defineConfig } from '@playwright/test';
import base from '../playwright.config';

// The console's render cost (bench/renderCost.bench.ts): a program to rerun, not a test; `npm run bench:render`.
export default defineConfig({
  ...base,
  testDir: '.',
  testMatch: '*.bench.ts',
  globalSetup: '../e2e/global-setup.ts',
  timeout: 600_000,
  reporter: [['list']],
  outputDir: '../test-results/bench',
});
