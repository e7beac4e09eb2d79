import { expect, type APIRequestContext, type Page } from '@playwright/test';

export const apiUrl = (): string => {
  const url = process.env.AGENT_API_URL;
  if (!url) {
    throw new Error('AGENT_API_URL is not set: the global setup starts the API.');
  }
  return url;
};

export interface Snapshot { executionId: string; status: string; lastSequence: number; toolCalls: number; plan: { phases: { id: string; status: string }[] } | null }

/** What the console page shows, read the way a person would, plus the data attributes tests compare. */
export class ConsolePage {
  constructor(readonly page: Page, readonly baseUrl = apiUrl()) {}

  readonly execution = () => this.page.getByTestId('execution');
  readonly connection = () => this.page.getByTestId('connection');

  async signIn(userId: string): Promise<void> {
    await this.page.goto(`${this.baseUrl}/`);
    await this.page.getByLabel('User id').fill(userId);
    await this.page.getByRole('button', { name: 'Sign in' }).click();
    await expect(this.page.getByTestId('user')).toHaveText(userId);
  }

  /** Starts a task (with an optional context, e.g. a synthetic workload) and returns its execution id. */
  async start(task: string, context?: object): Promise<string> {
    const before = (await this.execution().count()) > 0 ? await this.execution().getAttribute('data-execution-id') : null;
    await this.page.getByLabel('Task', { exact: true }).fill(task);
    if (context) {
      if (!(await this.page.getByLabel('Context').isVisible())) {
        await this.page.getByText('Context (JSON, optional)').click(); // it stays open for the next start
      }
      await this.page.getByLabel('Context').fill(JSON.stringify(context));
    }
    await this.page.getByRole('button', { name: /^Start/ }).click();
    await expect(this.execution()).toHaveAttribute('data-execution-id', /^[0-9a-f]{32}$/);
    await expect.poll(() => this.execution().getAttribute('data-execution-id')).not.toBe(before); // this start's, not the last one's
    return (await this.execution().getAttribute('data-execution-id'))!;
  }

  /** The signed-in user's bearer token, as the page keeps it (sessionStorage, never a URL). */
  bearerToken(): Promise<string> {
    return this.page.evaluate(() => (JSON.parse(sessionStorage.getItem('orleans-agent.user')!) as { token: string }).token);
  }

  async waitForSequence(atLeast: number): Promise<void> {
    await expect.poll(async () => Number(await this.execution().getAttribute('data-last-sequence'))).toBeGreaterThanOrEqual(atLeast);
  }

  async waitForStatus(status: 'completed' | 'failed' | 'cancelled'): Promise<void> {
    await expect(this.execution()).toHaveAttribute('data-status', status, { timeout: 120_000 });
  }

  /** Every sequence the page received, in the order it rendered them (the page shows consecutive ones as a run). */
  async sequences(): Promise<number[]> {
    const runs = await this.page.getByTestId('sequences').locator('li')
      .evaluateAll(items => items.map(li => [Number(li.getAttribute('data-from')), Number(li.getAttribute('data-to'))]));
    return runs.flatMap(([from, to]) => Array.from({ length: to - from + 1 }, (_, i) => from + i));
  }

  thinkingIterations(): Promise<number[]> {
    return this.page.getByTestId('thinking').evaluateAll(items => items.map(li => Number(li.getAttribute('data-iteration'))));
  }

  /** The server's own snapshot, with a dev token of the same user. */
  async serverSnapshot(request: APIRequestContext, userId: string, executionId: string): Promise<Snapshot> {
    const { token } = await (await request.post(`${this.baseUrl}/api/dev/token`, { data: { userId } })).json() as { token: string };
    const response = await request.get(`${this.baseUrl}/api/agent/executions/${executionId}`, { headers: { Authorization: `Bearer ${token}` } });
    expect(response.status()).toBe(200);
    return await response.json() as Snapshot;
  }

  /** The page rendered exactly the server's log: 1..lastSequence, each once, in order, and the same summary. */
  async expectSameAsServer(request: APIRequestContext, userId: string, executionId: string): Promise<Snapshot> {
    const server = await this.serverSnapshot(request, userId, executionId);
    const expected = Array.from({ length: server.lastSequence }, (_, i) => i + 1);
    expect(await this.sequences()).toEqual(expected);
    await expect(this.execution()).toHaveAttribute('data-status', server.status);
    await expect(this.execution()).toHaveAttribute('data-last-sequence', String(server.lastSequence));
    await expect(this.execution()).toHaveAttribute('data-tool-calls', String(server.toolCalls));
    const phases = await this.page.getByTestId('phase').evaluateAll(items => items.map(li => ({ id: li.getAttribute('data-phase-id'), status: li.getAttribute('data-status') })));
    expect(phases).toEqual(server.plan?.phases.map(p => ({ id: p.id, status: p.status })) ?? []);
    return server;
  }
}

/** 3 + phases x (2 + 3 x steps) events, one step every delayMs. */
export const workload = (phases: number, steps: number, delayMs: number) => ({ workload: { phases, steps, delayMs, thoughtBytes: 80 } });
export const workloadEvents = (phases: number, steps: number) => 3 + phases * (2 + 3 * steps);

/** One state of a text being written, as the page showed it, and whether its durable event was on the page then. */
export interface LiveTextState { key: string; text: string; durableShown: boolean }

/**
 * Has the page record every state of every text being written (`thinking-live` rows by iteration, `answer-live`) as
 * it renders them, from a MutationObserver inside the page: the page's own record, so what it showed does not depend
 * on when the test looks. Call before the page loads; read with {@link liveTextStates}.
 */
export async function recordLiveTexts(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const states: { key: string; text: string; durableShown: boolean }[] = [];
    const last = new Map<string, string>();
    (window as unknown as { liveTextStates: typeof states }).liveTextStates = states;
    new MutationObserver(() => {
      for (const el of document.querySelectorAll<HTMLElement>('[data-testid=thinking-live], [data-testid=answer-live]')) {
        const iteration = el.dataset.iteration;
        const key = iteration ? `thinking:${iteration}` : 'result';
        const text = (iteration ? el.querySelector('.thought')?.textContent : el.textContent) ?? '';
        if (last.get(key) !== text) {
          last.set(key, text);
          const durableShown = iteration
            ? document.querySelector(`[data-testid=thinking][data-iteration="${iteration}"]`) !== null
            : document.querySelector('[data-testid=outcome].outcome-completed') !== null;
          states.push({ key, text, durableShown });
        }
      }
    }).observe(document, { subtree: true, childList: true, characterData: true });
  });
}

export const liveTextStates = (page: Page): Promise<LiveTextState[]> =>
  page.evaluate(() => (window as unknown as { liveTextStates: LiveTextState[] }).liveTextStates);

