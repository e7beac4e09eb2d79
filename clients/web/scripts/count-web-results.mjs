// Reads the JSON reports of Vitest and Playwright and prints "web-results: passed failed skipped" per runner, for
// the summary line of scripts/test.sh. A missing or unreadable report counts as one failure: a runner that crashed
// before reporting must not look like a pass.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2] ?? 'test-results';

const runners = {
  'vitest-results.json': r => [r.numPassedTests, r.numFailedTests, r.numPendingTests + r.numTodoTests],
  'e2e-results.json': r => [r.stats.expected + r.stats.flaky, r.stats.unexpected, r.stats.skipped],
};

for (const [file, count] of Object.entries(runners)) {
  let counts;
  try {
    counts = count(JSON.parse(readFileSync(join(dir, file), 'utf8')));
  } catch (error) {
    console.error(`${file}: no report (${error.message}); counted as one failure`);
    counts = [0, 1, 0];
  }
  console.log(`web-results: ${counts.join(' ')}`);
}
