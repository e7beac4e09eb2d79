import { mkdirSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { startApi } from './apiProcess';
import { ConsolePage, liveTextStates, recordLiveTexts, workload, workloadEvents } from './console';
import { TcpProxy } from './tcpProxy';

/** Screenshots for people to look at (clients/web/artifacts, gitignored); no test compares them. */
function artifact(name: string): string {
  const dir = new URL('../artifacts/', import.meta.url);
  mkdirSync(dir, { recursive: true });
  return new URL(name, dir).pathname;
}

test('a real run shows every event type as it arrives and ends completed, the same as the server', async ({ page, request }) => {
  const console = new ConsolePage(page);
  const urls: string[] = [];
  const errors: string[] = [];
  page.on('request', r => urls.push(r.url()));
  // A Content-Security-Policy violation or a script error shows here.
  page.on('console', m => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', e => errors.push(e.message));
  await console.signIn('e2e-complete');
  const id = await console.start('Create a landing page for a coffee shop');
  await console.waitForStatus('completed');

  // execution:started and execution:complete: the task as title, the completed state and its result.
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Create a landing page for a coffee shop');
  await expect(page.getByTestId('status')).toHaveText('Completed');
  await expect(page.getByTestId('outcome')).toContainText('Completed.');
  await expect(page.getByTestId('outcome')).toContainText('index.html');
  // plan:created, phase:start, phase:complete: three phases, all completed.
  await expect(page.getByTestId('phase')).toHaveCount(3);
  await expect(page.locator('[data-testid=phase][data-status=completed]')).toHaveCount(3);
  // thinking: numbered steps.
  const iterations = await console.thinkingIterations();
  expect(iterations.length).toBeGreaterThan(0);
  expect(iterations).toEqual(iterations.map((_, i) => i + 1));
  // tool:start and tool:complete: each call with its duration.
  const calls = page.getByTestId('tool-call');
  await expect(calls.filter({ hasText: 'create_file' })).toHaveCount(2);
  for (const duration of await page.getByTestId('duration').allTextContents()) {
    expect(duration).toMatch(/^\d+(\.\d)? (ms|s)$/);
  }
  // An ended run has nothing to cancel and no stream to speak of: neither a dead button nor a "closed" badge.
  await expect(page.getByTestId('cancel')).toHaveCount(0);
  await expect(console.connection()).toHaveCount(0);
  await console.expectSameAsServer(request, 'e2e-complete', id);

  // The bearer token never appears in a URL; the stream is opened with a stream token only.
  const bearer = await console.bearerToken();
  expect(urls.filter(u => u.includes(bearer))).toEqual([]);
  expect(urls.some(u => u.includes(`/api/agent/stream/${id}?access_token=`))).toBe(true);
  // The page ran under the strict policy the API sends with it, without a single violation or error.
  const index = await request.get(`${console.baseUrl}/`);
  expect(index.headers()['content-security-policy']).toContain("script-src 'self'");
  expect(errors).toEqual([]);

  await page.screenshot({ path: artifact('finished-run.png') });
});

test('cutting every connection mid-run: the page shows reconnecting n/5, resumes, and misses or repeats nothing', async ({ browser, request }) => {
  const proxy = await TcpProxy.start(new URL(process.env.AGENT_API_URL!));
  try {
    const page = await browser.newPage();
    const console = new ConsolePage(page, proxy.url);
    await console.signIn('e2e-cut');
    // 1,000 steps, 250 ms apart: the run goes on far longer than any wait here (a starved page once found a 10 s run
    // already over when it first looked); the test ends it with Cancel once the page has resumed.
    const id = await console.start('cut me', workload(1, 1000, 250));
    await expect(console.connection()).toHaveAttribute('data-state', 'open');

    // A blip: every socket dies and the next connection works.
    await console.waitForSequence(8);
    proxy.cut();
    await console.waitForSequence(20);

    // An outage: the API cannot be reached until the page has shown that it is retrying.
    proxy.refuse(true);
    proxy.cut();
    await expect(console.connection()).toHaveText(/reconnecting [1-5]\/5/);
    await page.screenshot({ path: artifact('reconnecting-run.png') });
    proxy.refuse(false);
    await expect(console.connection()).toHaveAttribute('data-state', 'open');
    const resumedAt = Number(await console.execution().getAttribute('data-last-sequence'));
    await console.waitForSequence(resumedAt + 6); // live again, not just reconnected

    await page.getByTestId('cancel').click();
    await console.waitForStatus('cancelled');
    const server = await console.expectSameAsServer(request, 'e2e-cut', id);
    expect(server.status).toBe('cancelled');
    const iterations = await console.thinkingIterations();
    expect(iterations).toEqual(Array.from({ length: iterations.length }, (_, i) => i + 1));
    await page.close();
  } finally {
    await proxy.close();
  }
});

test('reloading the page mid-run resumes the same execution without loss or duplicates', async ({ page, request }) => {
  const console = new ConsolePage(page);
  await console.signIn('e2e-reload');
  const id = await console.start('reload me', workload(2, 15, 250));
  await console.waitForSequence(10);
  expect(new URL(page.url()).searchParams.get('execution')).toBe(id);

  await page.reload();
  await expect(console.execution()).toHaveAttribute('data-execution-id', id);
  await console.waitForStatus('completed');
  const server = await console.expectSameAsServer(request, 'e2e-reload', id);
  expect(server.lastSequence).toBe(workloadEvents(2, 15));
});

test('a thought grows on the page as the model writes it, before its thinking event arrives, which then replaces it', async ({ page, request }) => {
  const console = new ConsolePage(page);
  await recordLiveTexts(page); // every state the page renders, whenever the test looks
  await console.signIn('e2e-live-text');
  // Thoughts of 3,000 characters written in pieces of 20, one every 20 ms: three seconds each.
  const id = await console.start('write slowly', { workload: { phases: 1, steps: 2, delayMs: 0, thoughtBytes: 3000, deltaChars: 20, deltaDelayMs: 20 } });
  await console.waitForStatus('completed');
  await expect(page.getByTestId('thinking-live')).toHaveCount(0);
  await console.expectSameAsServer(request, 'e2e-live-text', id);

  // Read the page's record twice over: the same thought, growing, each state before its thinking event was shown;
  // and the event's thought begins with every state shown.
  const durable = (await page.locator('[data-testid=thinking][data-iteration="1"] .thought').textContent())!;
  const shown = (await liveTextStates(page)).filter(s => s.key === 'thinking:1' && s.text.length > 0);
  expect(shown.length).toBeGreaterThanOrEqual(2);
  shown.forEach((state, i) => {
    expect(state.durableShown).toBe(false);
    expect(durable.startsWith(state.text)).toBe(true);
    expect(i === 0 || state.text.length > shown[i - 1].text.length).toBe(true);
  });
});

test('the final answer grows in the outcome line as the model writes it, then the completed outcome holds all of it', async ({ browser }) => {
  // The builtin model at a slow model's pace: three words every 200 ms, its answer in about 2 s.
  const api = await startApi(['--Model:BuiltinChunkDelay=00:00:00.200']);
  const page = await browser.newPage();
  try {
    const console = new ConsolePage(page, api.baseUrl);
    await recordLiveTexts(page);
    await console.signIn('e2e-live-answer');
    await console.start('Create a landing page for a coffee shop');
    await console.waitForStatus('completed');
    await expect(page.getByTestId('answer-live')).toHaveCount(0);

    const outcome = (await page.getByTestId('outcome').textContent())!;
    const shown = (await liveTextStates(page)).filter(s => s.key === 'result' && s.text.length > 0);
    expect(shown.length).toBeGreaterThanOrEqual(2);
    shown.forEach((state, i) => {
      expect(state.durableShown).toBe(false);
      expect(outcome).toContain(state.text);
      expect(i === 0 || state.text.startsWith(shown[i - 1].text)).toBe(true);
    });
  } finally {
    await page.close(); // its stream would retry against the stopped API in the next tests' browser
    await api.stop();
  }
});

test('cancel ends the run in the cancelled state, not failed', async ({ page, request }) => {
  const console = new ConsolePage(page);
  await console.signIn('e2e-cancel');
  const id = await console.start('cancel me', workload(3, 1000, 200)); // far longer than any wait before the click
  await console.waitForSequence(6);
  // By test id: a role query computes the accessible name of every button on a page of hundreds of steps, and on a
  // starved CPU it took minutes while the run went on to complete.
  await page.getByTestId('cancel').click();

  await console.waitForStatus('cancelled');
  await expect(page.getByTestId('status')).toHaveText('Cancelled');
  await expect(page.getByTestId('outcome')).toHaveText('Cancelled by e2e-cancel. Cancelled from the console.');
  await expect(page.getByTestId('cancel')).toHaveCount(0);
  await expect(console.connection()).toHaveCount(0);
  const server = await console.expectSameAsServer(request, 'e2e-cancel', id);
  expect(server.status).toBe('cancelled');
  await page.screenshot({ path: artifact('cancelled-run.png') });
});

test('an execution that is not there (or not yours) says so and stops retrying', async ({ page }) => {
  const console = new ConsolePage(page);
  await console.signIn('e2e-missing');
  await page.goto(`${console.baseUrl}/?execution=${'0'.repeat(32)}`);
  await expect(console.connection()).toHaveAttribute('data-state', 'failed');
  await expect(page.getByRole('alert')).toContainText('cannot be shown');
});

test('a run that fails shows the failed state with its code, not cancelled or completed', async ({ browser }) => {
  // One model call per execution: the built-in model's second call breaks the limit, a real execution:error.
  const api = await startApi(['--Model:MaxIterations=1']);
  const page = await browser.newPage();
  try {
    const console = new ConsolePage(page, api.baseUrl);
    await console.signIn('e2e-failed');
    await console.start('Create a landing page for a coffee shop');
    await console.waitForStatus('failed');
    await expect(page.getByTestId('status')).toHaveText('Failed');
    await expect(page.getByTestId('outcome')).toContainText('Failed (iteration_limit).');
    await expect(console.connection()).toHaveCount(0);
  } finally {
    await page.close();
    await api.stop();
  }
});

test('a tool call too large for its event shows a preview and a link that opens the whole value', async ({ page }) => {
  const console = new ConsolePage(page);
  await console.signIn('e2e-artifact');
  // Each tool call's params carry 20,000 characters: over the 8 KiB an event holds, so they travel by reference.
  await console.start('big params', { workload: { phases: 1, steps: 1, delayMs: 0, thoughtBytes: 80, toolBytes: 20_000 } });
  await console.waitForStatus('completed');

  const call = page.getByTestId('tool-call');
  await expect(call).toHaveCount(1);
  await expect(call.locator('.params')).toContainText('phase: 1, step: 1, data: "ddd'); // the preview, as any params
  const link = call.getByTestId('artifact-link');
  await expect(link).toHaveText('whole params (19.6 KB) ↗'); // 20,031 bytes of JSON
  const [tab] = await Promise.all([page.waitForEvent('popup'), link.click()]);
  await tab.waitForURL(/^blob:/);
  // The blob holds exactly what the tool took, fetched with the session's bearer token, which is in no URL.
  await tab.waitForLoadState();
  const shown = await tab.evaluate(() => document.querySelector('pre')?.textContent ?? document.body.innerText);
  const whole = JSON.parse(shown) as { phase: number; step: number; data: string };
  expect(whole).toEqual({ phase: 1, step: 1, data: 'd'.repeat(20_000) });
  await tab.close();
});

test('a long run renders its latest 200 steps; the earlier ones come on request, in order', async ({ page, request }) => {
  const console = new ConsolePage(page);
  await console.signIn('e2e-long');
  // 150 steps of a thought and a tool call each: 300 timeline rows.
  const id = await console.start('long run', workload(1, 150, 0));
  await console.waitForStatus('completed');
  await console.expectSameAsServer(request, 'e2e-long', id); // every event arrived, whatever is rendered
  const rows = page.getByTestId('timeline').locator('li.step');
  await expect(rows).toHaveCount(200);
  expect(await rows.first().getAttribute('data-seq')).toBe(String(4 + 50 * 3)); // step 51's thought: the rows of steps 1-50 are not shown
  await page.getByRole('button', { name: 'Show earlier steps (100 not shown)' }).click();
  await expect(rows).toHaveCount(300);
  expect(await console.thinkingIterations()).toEqual(Array.from({ length: 150 }, (_, i) => i + 1));
  await expect(page.getByRole('button', { name: /Show earlier steps/ })).toHaveCount(0);
});
