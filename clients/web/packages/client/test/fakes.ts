import { AgentApi } from '../src/core/agentApi';
import type { EventSourceLike } from '../src/core/executionStream';
import type { AgentEvent, AgentEventType, EventPayloads } from '../src/core/events';

export const executionId = '0193a4f2c1d27b3c8e5f6a7b8c9d0e1f';

/** An event of the contract with the given sequence and payload. */
export function event<K extends AgentEventType>(sequence: number, type: K, data: EventPayloads[K]): AgentEvent<K> {
  return { executionId, sequence, type, timestamp: `2026-11-24T10:15:${String(sequence % 60).padStart(2, '0')}.000Z`, data } as AgentEvent<K>;
}

/** The event log of a small complete run: every type but error and cancelled. */
export function completedRun(): AgentEvent[] {
  return [
    event(1, 'execution:started', { task: 'Coffee', startedAt: '2026-11-24T10:15:00.000Z' }),
    event(2, 'plan:created', { plan: { goal: 'Coffee', phases: [
      { id: 'understand', name: 'Understand', status: 'pending' },
      { id: 'draft', name: 'Draft', status: 'pending' },
    ] } }),
    event(3, 'thinking', { thought: 'Planning thought', iteration: 1 }),
    event(4, 'phase:start', { phaseId: 'understand', phaseName: 'Understand', phaseIndex: 0 }),
    event(5, 'thinking', { thought: 'Look around', iteration: 2 }),
    event(6, 'tool:start', { toolName: 'list_files', params: {}, callId: 'call_1' }),
    event(7, 'tool:complete', { toolName: 'list_files', callId: 'call_1', result: { files: [] }, durationMs: 3 }),
    event(8, 'phase:complete', { phaseId: 'understand', phaseName: 'Understand' }),
    event(9, 'phase:start', { phaseId: 'draft', phaseName: 'Draft', phaseIndex: 1 }),
    event(10, 'tool:start', { toolName: 'read_file', params: { path: 'x' }, callId: 'call_2' }),
    event(11, 'tool:complete', { toolName: 'read_file', callId: 'call_2', result: null, error: 'missing', durationMs: 1 }),
    event(12, 'phase:complete', { phaseId: 'draft', phaseName: 'Draft' }),
    event(13, 'execution:complete', { result: 'Done', durationMs: 180, tokensUsed: { input: 8, output: 137, total: 145 } }),
  ];
}

/** A scripted EventSource: the test opens, fails and feeds it. */
export class FakeEventSource implements EventSourceLike {
  onopen: EventSourceLike['onopen'] = null;
  onerror: EventSourceLike['onerror'] = null;
  closed = false;
  readyState = 0;
  private readonly listeners = new Map<string, ((ev: MessageEvent<string>) => void)[]>();

  constructor(readonly url: string) {}

  addEventListener(type: string, listener: (ev: MessageEvent<string>) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }

  close(): void {
    this.closed = true;
  }

  open(): void {
    (this.onopen as ((ev: Event) => void) | null)?.(new Event('open'));
  }

  /** The server answered 204 (or another non-stream answer): the browser closes the source and reports an error. */
  answerWithoutStream(): void {
    this.readyState = 2;
    this.fail();
  }

  fail(): void {
    (this.onerror as ((ev: Event) => void) | null)?.(new Event('error'));
  }

  send(...events: AgentEvent[]): void {
    for (const e of events) {
      this.emit(e.type, JSON.stringify(e));
    }
  }

  emit(type: string, data: string): void {
    for (const listener of this.listeners.get(type) ?? []) {
      listener({ data } as MessageEvent<string>);
    }
  }

  get lastEventId(): number {
    return Number(new URL(this.url, 'http://x').searchParams.get('lastEventId') ?? 0);
  }

  get accessToken(): string | null {
    return new URL(this.url, 'http://x').searchParams.get('access_token');
  }
}

/** Timers the test fires by hand, so nothing depends on the clock. */
export class ManualTimers {
  private pending: { run: () => void; ms: number }[] = [];
  readonly delays: number[] = [];

  setTimer = (run: () => void, ms: number): unknown => {
    const timer = { run, ms };
    this.pending.push(timer);
    this.delays.push(ms);
    return timer;
  };

  clearTimer = (timer: unknown): void => {
    this.pending = this.pending.filter(t => t !== timer);
  };

  get count(): number {
    return this.pending.length;
  }

  /** Fires every pending timer. */
  fire(): void {
    const due = this.pending;
    this.pending = [];
    due.forEach(t => t.run());
  }
}

/**
 * An API on a fake fetch: stream tokens t1, t2, ... (or the scripted failure), and the other endpoints answering
 * what the test put in `responses`.
 */
export class FakeBackend {
  tokensIssued = 0;
  streamTokenFailure: { status: number; detail: string } | null = null;
  readonly requests: { method: string; url: string; body: unknown; authorization: string | null }[] = [];
  responses: Record<string, { status: number; body: unknown }> = {};
  readonly sources: FakeEventSource[] = [];
  readonly timers = new ManualTimers();

  readonly api = new AgentApi({
    getToken: () => 'user-jwt',
    fetch: async (input, init) => {
      const url = String(input);
      const headers = (init?.headers ?? {}) as Record<string, string>;
      this.requests.push({ method: init?.method ?? 'GET', url, body: init?.body ? JSON.parse(String(init.body)) : undefined, authorization: headers.Authorization ?? null });
      if (url.endsWith('/stream-token')) {
        if (this.streamTokenFailure) {
          return json(this.streamTokenFailure.status, { detail: this.streamTokenFailure.detail });
        }
        this.tokensIssued += 1;
        return json(200, { token: `t${this.tokensIssued}`, expiresAt: '2026-11-24T10:20:00Z', streamUrl: '' });
      }
      const scripted = Object.entries(this.responses).find(([suffix]) => url.endsWith(suffix));
      return scripted ? json(scripted[1].status, scripted[1].body) : json(404, { title: 'Not found' });
    },
  });

  readonly streamOptions = {
    createEventSource: (url: string) => {
      const source = new FakeEventSource(url);
      this.sources.push(source);
      return source;
    },
    random: () => 0,
    setTimer: this.timers.setTimer,
    clearTimer: this.timers.clearTimer,
  };

  get source(): FakeEventSource {
    return this.sources[this.sources.length - 1];
  }
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

/** Lets the stream's awaited token request settle. */
export const settle = async (): Promise<void> => {
  for (let i = 0; i < 5; i++) {
    await new Promise(resolve => setTimeout(resolve, 0));
  }
};
