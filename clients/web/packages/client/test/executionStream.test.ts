import { describe, expect, it } from 'vitest';
import type { ConnectionStatus } from '../src/core/connectionStatus';
import type { AgentEvent, AgentEventType, StreamReset } from '../src/core/events';
import { ExecutionStream } from '../src/core/executionStream';
import { completedRun, event, executionId, FakeBackend, settle } from './fakes';

function open(afterSequence = 0, configure: (backend: FakeBackend) => void = () => {}, deltas?: boolean, types?: AgentEventType[]) {
  const backend = new FakeBackend();
  configure(backend);
  const events: AgentEvent[] = [];
  const resets: StreamReset[] = [];
  const statuses: ConnectionStatus[] = [];
  const texts: string[] = [];
  const stream = new ExecutionStream(backend.api, executionId, {
    onEvent: e => events.push(e),
    onReset: r => resets.push(r),
    onStatus: s => statuses.push(s),
    onText: d => texts.push(`${d.textId}@${d.offset}:${d.text}`),
    onTextReset: id => texts.push(`reset ${id}`),
    onTextsRestart: () => texts.push('restart'),
  }, { ...backend.streamOptions, afterSequence, deltas, types });
  stream.start();
  return { backend, stream, events, resets, statuses, texts, states: () => statuses.map(s => s.state) };
}

const run = completedRun();

describe('execution stream: resume, dedupe and reconnect', () => {
  it('opens with a stream token in the URL and the bearer token only in a header', async () => {
    const { backend, statuses } = open();
    await settle();
    expect(backend.source.url).toBe(`/api/agent/stream/${executionId}?access_token=t1&deltas=true`);
    expect(backend.requests[0]).toMatchObject({ method: 'POST', authorization: 'Bearer user-jwt' });
    expect(backend.sources.every(s => !s.url.includes('user-jwt'))).toBe(true);
    backend.source.open();
    expect(statuses.map(s => s.state)).toEqual(['connecting', 'open']);
  });

  it('resumes after its last sequence with a fresh token on every reconnect, and delivers each event once', async () => {
    const { backend, events, statuses } = open();
    await settle();
    backend.source.open();
    backend.source.send(...run.slice(0, 5));
    backend.source.fail();
    expect(statuses.at(-1)).toEqual({ state: 'reconnecting', attempt: 1, maxAttempts: 5, retryInMs: 500, cause: 'the connection was lost' });
    expect(backend.sources[0].closed).toBe(true);

    backend.timers.fire();
    await settle();
    expect(backend.source.lastEventId).toBe(5);
    expect(backend.source.accessToken).toBe('t2');
    backend.source.open();
    // A server (or proxy) replaying what was already delivered: dropped.
    backend.source.send(...run.slice(3, 13));
    expect(events.map(e => e.sequence)).toEqual(run.map(e => e.sequence));
    expect(statuses.at(-1)).toEqual({ state: 'closed' });
    expect(backend.source.closed).toBe(true);
  });

  it('backs off 500, 1000, 2000, 4000, 8000 ms and fails after the fifth attempt', async () => {
    const { backend, statuses, states } = open();
    await settle();
    for (let attempt = 1; attempt <= 5; attempt++) {
      backend.source.fail();
      expect(statuses.at(-1)).toMatchObject({ state: 'reconnecting', attempt, maxAttempts: 5 });
      backend.timers.fire();
      await settle();
    }
    backend.source.fail();
    expect(backend.timers.delays).toEqual([500, 1000, 2000, 4000, 8000]);
    expect(statuses.at(-1)).toEqual({ state: 'failed', error: 'Gave up after 5 attempts: the connection was lost.' });
    expect(states().filter(s => s === 'failed')).toHaveLength(1);
    expect(backend.timers.count).toBe(0);
  });

  it('starts counting again after a connection opens: the budget is per outage', async () => {
    const { backend, statuses } = open();
    await settle();
    for (let outage = 0; outage < 3; outage++) {
      for (let attempt = 1; attempt <= 4; attempt++) {
        backend.source.fail();
        backend.timers.fire();
        await settle();
      }
      backend.source.open();
      expect(statuses.at(-1)).toEqual({ state: 'open' });
    }
    expect(backend.sources).toHaveLength(13);
  });

  it('counts a failed stream-token request as an attempt when it may pass later (network, 5xx, 429)', async () => {
    const { backend, statuses } = open(0, b => { b.streamTokenFailure = { status: 503, detail: 'moving' }; });
    await settle();
    expect(statuses.at(-1)).toMatchObject({ state: 'reconnecting', attempt: 1, cause: 'moving' });
    backend.streamTokenFailure = null;
    backend.timers.fire();
    await settle();
    backend.source.open();
    expect(statuses.at(-1)).toEqual({ state: 'open' });
  });

  it('fails at once when the API says the execution is not there (404): retrying cannot help', async () => {
    const { backend, statuses } = open(0, b => { b.streamTokenFailure = { status: 404, detail: 'Execution not found.' }; });
    await settle();
    expect(statuses.at(-1)).toEqual({ state: 'failed', error: 'Execution not found.' });
    expect(backend.sources).toHaveLength(0);
  });

  it('asks the server for the types it wants (and the terminal ones) and takes their skipped sequences as the filter, not a gap', async () => {
    const { backend, events, states } = open(0, () => {}, false, ['thinking', 'tool:complete']);
    await settle();
    const types = new URL(backend.source.url, 'http://x').searchParams.get('types');
    expect(types).toBe('thinking,tool:complete,execution:complete,execution:error,execution:cancelled');
    backend.source.open();
    const wanted = run.filter(e => ['thinking', 'tool:complete', 'execution:complete'].includes(e.type));
    backend.source.send(...wanted.slice(0, 2));
    backend.source.fail(); // a drop: it resumes after the last one it delivered
    backend.timers.fire();
    await settle();
    expect(backend.source.lastEventId).toBe(wanted[1].sequence);
    backend.source.open();
    backend.source.send(...wanted.slice(1)); // one already delivered, then the rest
    expect(events.map(e => e.sequence)).toEqual(wanted.map(e => e.sequence));
    expect(events.at(-1)?.type).toBe('execution:complete');
    expect(states()).toEqual(['connecting', 'open', 'reconnecting', 'open', 'closed']);
  });

  it('reconnects from its last sequence instead of delivering after a gap', async () => {
    const { backend, events, statuses } = open();
    await settle();
    backend.source.open();
    backend.source.send(run[0], run[1], run[3]);
    expect(events.map(e => e.sequence)).toEqual([1, 2]);
    expect(statuses.at(-1)).toMatchObject({ state: 'reconnecting', cause: 'sequence 3 was skipped' });
    backend.timers.fire();
    await settle();
    expect(backend.source.lastEventId).toBe(2);
  });

  it('takes a stream:reset as the new cursor and closes when its snapshot is terminal', async () => {
    const { backend, resets, statuses } = open(5);
    await settle();
    expect(backend.source.lastEventId).toBe(5);
    const snapshot = {
      executionId, status: 'completed', task: 't', createdAt: '2026-11-24T10:15:00.000Z', lastSequence: 99, startedAt: null,
      completedAt: null, plan: null, currentPhaseId: null, toolCalls: 0, tokensUsed: null, result: 'r', error: null,
    };
    backend.source.emit('stream:reset', JSON.stringify({ reason: 'retention', requestedCursor: '5', snapshot }));
    expect(resets).toHaveLength(1);
    expect(statuses.at(-1)).toEqual({ state: 'closed' });
  });

  it('continues after a stream:reset of a running execution from the snapshot sequence', async () => {
    const { backend, events } = open(500);
    await settle();
    const snapshot = {
      executionId, status: 'running', task: 't', createdAt: '2026-11-24T10:15:00.000Z', lastSequence: 20, startedAt: null,
      completedAt: null, plan: null, currentPhaseId: null, toolCalls: 0, tokensUsed: null, result: null, error: null,
    };
    backend.source.emit('stream:reset', JSON.stringify({ reason: 'ahead', requestedCursor: '500', snapshot }));
    backend.source.send(event(21, 'thinking', { thought: 'next', iteration: 7 }));
    expect(events.map(e => e.sequence)).toEqual([21]);
  });

  it('ends, without reconnecting, when the server answers 204 at the terminal event', async () => {
    const snapshot = {
      executionId, status: 'completed', task: 't', createdAt: '2026-11-24T10:15:00.000Z', lastSequence: 13, startedAt: null,
      completedAt: null, plan: null, currentPhaseId: null, toolCalls: 0, tokensUsed: null, result: 'r', error: null,
    };
    const { backend, statuses } = open(13, b => { b.responses[`/executions/${executionId}`] = { status: 200, body: snapshot }; });
    await settle();
    backend.source.answerWithoutStream();
    await settle();
    expect(statuses.at(-1)).toEqual({ state: 'closed' });
    expect(backend.sources).toHaveLength(1);
    expect(backend.timers.count).toBe(0);
  });

  it('retries when the server answered without a stream but the execution goes on', async () => {
    const snapshot = {
      executionId, status: 'running', task: 't', createdAt: '2026-11-24T10:15:00.000Z', lastSequence: 20, startedAt: null,
      completedAt: null, plan: null, currentPhaseId: null, toolCalls: 0, tokensUsed: null, result: null, error: null,
    };
    const { backend, statuses } = open(13, b => { b.responses[`/executions/${executionId}`] = { status: 200, body: snapshot }; });
    await settle();
    backend.source.answerWithoutStream();
    await settle();
    expect(statuses.at(-1)).toMatchObject({ state: 'reconnecting', attempt: 1, cause: 'the server answered without a stream' });
    backend.timers.fire();
    await settle();
    expect(backend.source.lastEventId).toBe(13);
  });

  it('fails when the execution is gone after the server answered without a stream', async () => {
    const { backend, statuses } = open(13);
    await settle();
    backend.source.answerWithoutStream();
    await settle();
    expect(statuses.at(-1)).toMatchObject({ state: 'failed' });
  });

  it('fails on an event that breaks the contract instead of showing bad data', async () => {
    const { backend, statuses, events } = open();
    await settle();
    backend.source.emit('thinking', JSON.stringify({ ...run[4], data: { thought: 42 } }));
    expect(events).toHaveLength(0);
    expect(statuses.at(-1)).toMatchObject({ state: 'failed' });
  });

  it('is silent after close: no reconnect, no status', async () => {
    const { backend, stream, statuses } = open();
    await settle();
    stream.close();
    const count = statuses.length;
    backend.source.fail();
    backend.timers.fire();
    await settle();
    expect(statuses).toHaveLength(count);
    expect(backend.sources).toHaveLength(1);
  });

  it('asks for live text, restarts the texts at every connection, and passes deltas and resets on', async () => {
    const { backend, texts, events } = open();
    await settle();
    backend.source.open();
    backend.source.send(...run.slice(0, 4));
    backend.source.emit('text:delta', JSON.stringify({ textId: 'thinking:2', offset: 0, text: 'Look' }));
    backend.source.emit('text:delta', '{"textId":"thinking:2","offset":"4"}'); // malformed: ignored, the stream goes on
    backend.source.emit('text:delta', 'not json');
    backend.source.fail();
    backend.timers.fire();
    await settle();
    backend.source.open();
    backend.source.emit('text:reset', JSON.stringify({ textId: 'thinking:2' }));
    backend.source.send(run[4]);
    expect(texts).toEqual(['restart', 'thinking:2@0:Look', 'restart', 'reset thinking:2']);
    expect(events.map(e => e.sequence)).toEqual([1, 2, 3, 4, 5]);
  });

  it('without deltas asks for none and listens for none', async () => {
    const { backend, texts } = open(0, undefined, false);
    await settle();
    backend.source.open();
    backend.source.emit('text:delta', JSON.stringify({ textId: 'thinking:1', offset: 0, text: 'x' }));
    expect(backend.source.url).not.toContain('deltas');
    expect(texts).toEqual(['restart']);
  });
});
