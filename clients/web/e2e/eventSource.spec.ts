import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { startApi } from './apiProcess';
import { apiUrl, workload, workloadEvents } from './console';
import { TcpProxy } from './tcpProxy';

// The stream as a client we did not write meets it: Chromium's own EventSource, no application code reconnecting,
// closing or reading ids. The page only records what the browser dispatches.

const eventTypes = [
  'execution:started', 'plan:created', 'phase:start', 'thinking', 'tool:start', 'tool:complete', 'phase:complete',
  'execution:complete', 'execution:error', 'execution:cancelled', 'stream:reset',
];

interface Recorded { ids: number[]; types: string[]; opens: number; errors: number; readyState: number }

/** Starts a run for `userId` and returns the stream URL with a stream token (the one credential allowed in a URL). */
async function startRun(request: APIRequestContext, baseUrl: string, userId: string, context: object): Promise<{ id: string; url: string }> {
  const { token } = await (await request.post(`${baseUrl}/api/dev/token`, { data: { userId } })).json() as { token: string };
  const headers = { Authorization: `Bearer ${token}` };
  const started = await request.post(`${baseUrl}/api/agent/execute`, { headers, data: { task: 'native EventSource', context } });
  expect(started.status()).toBe(202);
  const { executionId } = await started.json() as { executionId: string };
  const streamToken = await request.post(`${baseUrl}/api/agent/executions/${executionId}/stream-token`, { headers });
  const { token: scoped } = await streamToken.json() as { token: string };
  return { id: executionId, url: `${baseUrl}/api/agent/stream/${executionId}?access_token=${encodeURIComponent(scoped)}` };
}

async function openNativeEventSource(page: Page, url: string): Promise<void> {
  await page.evaluate(([streamUrl, types]) => {
    const w = window as unknown as { recorded: Recorded; source: EventSource };
    w.recorded = { ids: [], types: [], opens: 0, errors: 0, readyState: 0 };
    const source = new EventSource(streamUrl);
    w.source = source;
    source.onopen = () => { w.recorded.opens += 1; };
    source.onerror = () => { w.recorded.errors += 1; };
    for (const type of types) {
      source.addEventListener(type, message => {
        w.recorded.ids.push(Number((message as MessageEvent).lastEventId));
        w.recorded.types.push(type);
      });
    }
  }, [url, eventTypes] as const);
}

const recorded = (page: Page): Promise<Recorded> =>
  page.evaluate(() => {
    const w = window as unknown as { recorded: Recorded; source: EventSource };
    return { ...w.recorded, readyState: w.source.readyState };
  });

/** Every request the browser made for the stream, and the status it got. */
function streamRequests(page: Page, id: string): { statuses: number[]; lastEventIds: (string | null)[]; encodings: (string | null)[] } {
  const seen = { statuses: [] as number[], lastEventIds: [] as (string | null)[], encodings: [] as (string | null)[] };
  page.on('response', async response => {
    if (response.url().includes(`/api/agent/stream/${id}`)) {
      seen.statuses.push(response.status());
      seen.encodings.push(response.headers()['content-encoding'] ?? null);
      seen.lastEventIds.push(await response.request().headerValue('last-event-id'));
    }
  });
  return seen;
}

const closed = 2; // EventSource.CLOSED: the browser will not reconnect again

test('after the terminal event a native EventSource opens once more, gets 204 and stops', async ({ page, request }) => {
  const baseUrl = apiUrl();
  await page.goto(`${baseUrl}/`);
  const run = await startRun(request, baseUrl, 'e2e-native-end', workload(1, 5, 100));
  const requests = streamRequests(page, run.id);

  await openNativeEventSource(page, run.url);
  await expect.poll(async () => (await recorded(page)).readyState).toBe(closed);

  const result = await recorded(page);
  const expected = workloadEvents(1, 5);
  expect(result.ids).toEqual(Array.from({ length: expected }, (_, i) => i + 1));
  expect(result.types.at(-1)).toBe('execution:complete');
  // The stream, then exactly one reconnect with the terminal id, answered 204: then nothing more.
  await expect.poll(() => requests.statuses.length).toBe(2);
  expect(requests.statuses).toEqual([200, 204]);
  expect(requests.lastEventIds).toEqual([null, String(expected)]);
});

test('a native EventSource whose connection drops resumes with Last-Event-ID and misses or repeats nothing', async ({ browser, request }) => {
  const proxy = await TcpProxy.start(new URL(apiUrl()));
  try {
    const page = await browser.newPage();
    await page.goto(`${proxy.url}/`); // same origin as the stream, as a page served by the API is
    const [phases, steps] = [2, 15];
    const run = await startRun(request, proxy.url, 'e2e-native-drop', workload(phases, steps, 150));
    const requests = streamRequests(page, run.id);

    await openNativeEventSource(page, run.url);
    await expect.poll(async () => (await recorded(page)).ids.length).toBeGreaterThanOrEqual(8);
    proxy.cut();
    await expect.poll(async () => (await recorded(page)).readyState, { timeout: 120_000 }).toBe(closed);

    const result = await recorded(page);
    const expected = workloadEvents(phases, steps);
    expect(result.ids).toEqual(Array.from({ length: expected }, (_, i) => i + 1));
    expect(result.opens).toBeGreaterThanOrEqual(2);
    await expect.poll(() => requests.statuses.at(-1)).toBe(204);
    // The reconnect after the cut carried the last id the browser had seen.
    expect(requests.lastEventIds[1]).not.toBeNull();
    expect(Number(requests.lastEventIds[1])).toBeGreaterThanOrEqual(8);
  } finally {
    await proxy.close();
  }
});

test('a native EventSource refused with 401 or 404 makes one request and does not retry', async ({ page, request }) => {
  const baseUrl = apiUrl();
  await page.goto(`${baseUrl}/`);
  const owner = await startRun(request, baseUrl, 'e2e-native-owner', workload(1, 1, 0));
  const stranger = await startRun(request, baseUrl, 'e2e-native-stranger', workload(1, 1, 0));
  const requests = streamRequests(page, owner.id);
  const cases: [string, number][] = [
    [`${baseUrl}/api/agent/stream/${owner.id}`, 401], // no credential at all
    [stranger.url.replace(stranger.id, owner.id), 404], // the stranger's stream token, on the owner's execution
  ];

  for (const [url, status] of cases) {
    await openNativeEventSource(page, url);
    await expect.poll(async () => (await recorded(page)).readyState).toBe(closed);
    const result = await recorded(page);
    expect(result.ids).toEqual([]);
    expect(result.errors).toBe(1);
    await expect.poll(() => requests.statuses.at(-1)).toBe(status);
  }

  expect(requests.statuses).toEqual([401, 404]);
});

test('a native EventSource reads a compressed stream live, and resumes it compressed after a cut', async ({ browser, request }) => {
  const api = await startApi(['--Compression:Streams=true']);
  const proxy = await TcpProxy.start(new URL(api.baseUrl));
  const page = await browser.newPage();
  try {
    await page.goto(`${proxy.url}/`);
    // Three events, then the run waits an hour for its first step: whatever arrives, arrives while it runs.
    const run = await startRun(request, proxy.url, 'e2e-native-compressed', workload(1, 1, 3_600_000));
    const requests = streamRequests(page, run.id);

    await openNativeEventSource(page, run.url);
    await expect.poll(async () => (await recorded(page)).ids).toEqual([1, 2, 3]);
    proxy.cut();
    await expect.poll(() => requests.lastEventIds.length).toBe(2); // the browser came back on its own
    const { token } = await (await request.post(`${api.baseUrl}/api/dev/token`, { data: { userId: 'e2e-native-compressed' } })).json() as { token: string };
    await request.post(`${api.baseUrl}/api/agent/executions/${run.id}/cancel`, { headers: { Authorization: `Bearer ${token}` } });
    await expect.poll(async () => (await recorded(page)).readyState).toBe(closed);

    const result = await recorded(page);
    expect(result.ids).toEqual([1, 2, 3, 4]);
    expect(result.types.at(-1)).toBe('execution:cancelled');
    expect(requests.lastEventIds.slice(0, 2)).toEqual([null, '3']);
    // Both streams came compressed (Chromium asks for it), and each event was readable as soon as it was written.
    expect(requests.statuses.slice(0, 2)).toEqual([200, 200]);
    for (const encoding of requests.encodings.slice(0, 2)) {
      expect(encoding).toMatch(/^(br|gzip)$/);
    }
  } finally {
    await page.close();
    await proxy.close();
    await api.stop();
  }
});
