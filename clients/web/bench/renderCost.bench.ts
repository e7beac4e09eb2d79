import { test, type Browser, type Page } from '@playwright/test';
import { ConsolePage } from '../e2e/console';

// What the console costs the browser, at a model's event rate and far above it: for each profile a run streams for
// `seconds`, and each 5 s window reports the events the page showed, its main thread's busy share (traced: every
// task, so rendering and paint count too), split into script, style, layout and paint, the longest a click would
// have waited (input delay) and the DOM's size. `npm run bench:render` (API and console built first); figures in
// docs/benchmarks.md, "Console render cost".

interface Profile { name: string; workload: object; seconds: number }
const profiles: Profile[] = [
  // A model's pace: a step every 200 ms, 3 events each.
  { name: 'events-15/s', workload: { phases: 1, steps: 5000, delayMs: 200, thoughtBytes: 80 }, seconds: 30 },
  // Ten times that.
  { name: 'events-150/s', workload: { phases: 1, steps: 5000, delayMs: 20, thoughtBytes: 80 }, seconds: 30 },
  // Each 400-character thought written in 20-character pieces 5 ms apart, then its step: ~170 deltas and ~20 events/s.
  { name: 'deltas-170/s', workload: { phases: 1, steps: 5000, delayMs: 0, thoughtBytes: 400, deltaChars: 20, deltaDelayMs: 5 }, seconds: 30 },
];
const windowMs = 5000;
const answerWithinMs = 5000;

/** Resolves with the promise's value, or null when the page took longer than `answerWithinMs` (it is starved). */
const within = <T>(promise: Promise<T>): Promise<T | null> =>
  Promise.race([promise, new Promise<null>(resolve => setTimeout(() => resolve(null), answerWithinMs))]);

const lastShown = (page: Page): Promise<number | null> =>
  within(page.evaluate(() => Number(document.querySelector('[data-testid=execution]')?.getAttribute('data-last-sequence') ?? 0)));

interface Busy { total: number; script: number; style: number; layout: number; paint: number; nodes: number }

/** The renderer main thread's time in a trace, in ms: all top-level tasks, and what some kinds of work took. */
function busyOf(trace: Buffer): Busy {
  const { traceEvents } = JSON.parse(trace.toString()) as { traceEvents: { name: string; ph: string; pid: number; tid: number; dur?: number; args?: { name?: string; data?: { nodes?: number } } }[] };
  const main = traceEvents.find(e => e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  const busy: Busy = { total: 0, script: 0, style: 0, layout: 0, paint: 0, nodes: 0 };
  const kinds: Record<string, keyof Busy> = {
    RunTask: 'total', FunctionCall: 'script', EvaluateScript: 'script',
    UpdateLayoutTree: 'style', Layout: 'layout', Paint: 'paint', PrePaint: 'paint',
  };
  for (const e of traceEvents) {
    if (e.pid === main?.pid && e.tid === main?.tid && e.ph === 'X' && kinds[e.name]) {
      busy[kinds[e.name]] += (e.dur ?? 0) / 1000;
    }
    if (e.name === 'UpdateCounters' && e.args?.data?.nodes) {
      busy.nodes = e.args.data.nodes;
    }
  }
  return busy;
}

async function measureWindow(browser: Browser, page: Page): Promise<{ busy: Busy; worstDelay: number } | null> {
  await browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline'] });
  const started = Date.now();
  let worstDelay = 0;
  while (Date.now() - started < windowMs) {
    const asked = Date.now();
    if (await lastShown(page) === null) {
      return null;
    }
    worstDelay = Math.max(worstDelay, Date.now() - asked);
    await new Promise(resolve => setTimeout(resolve, 500));
  }
  const trace = await within(browser.stopTracing());
  return trace && { busy: busyOf(trace), worstDelay };
}

for (const profile of profiles) {
  // A browser of its own each: a starved page can leave its browser tracing.
  test(profile.name, async ({ playwright, launchOptions }) => {
    const browser = await playwright.chromium.launch(launchOptions);
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const console_ = new ConsolePage(page);
    await console_.signIn(`bench-render-${Date.now()}`);
    // Started over HTTP and opened by its URL, as a link would: the page then only renders, however starved.
    const token = await console_.bearerToken();
    const headers = { Authorization: `Bearer ${token}` };
    const answer = await page.request.post(`${console_.baseUrl}/api/agent/execute`, { headers, data: { task: `render cost ${profile.name}`, context: { workload: profile.workload } } });
    const { executionId } = await answer.json() as { executionId: string };
    await page.goto(`${console_.baseUrl}/?execution=${executionId}`, { waitUntil: 'commit' });
    try {
      let shownBefore = 0;
      for (let at = windowMs; at <= profile.seconds * 1000; at += windowMs) {
        const started = Date.now();
        const window = await measureWindow(browser, page);
        const shown = await lastShown(page);
        if (!window || shown === null) {
          console.log(`${profile.name} ${at / 1000}s: the page did not answer within ${answerWithinMs / 1000} s (starved); stopped`);
          return;
        }
        const seconds = (Date.now() - started) / 1000;
        const { busy, worstDelay } = window;
        const share = (ms: number) => `${(ms / seconds / 10).toFixed(0)}%`;
        console.log(`${profile.name} ${at / 1000}s: #${shown}, ${((shown - shownBefore) / seconds).toFixed(0)} events/s shown; main thread ${share(busy.total)} busy `
          + `(script ${share(busy.script)}, style ${share(busy.style)}, layout ${share(busy.layout)}, paint ${share(busy.paint)}); `
          + `worst input delay ${worstDelay} ms; ${busy.nodes} DOM nodes`);
        shownBefore = shown;
      }
    } finally {
      await page.request.post(`${console_.baseUrl}/api/agent/executions/${executionId}/cancel`, { headers, data: { reason: 'benchmark over' } });
      await browser.close();
    }
  });
}
