import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { eventTypes, isAgentEvent, isExecutionSnapshot, isStreamReset, parseAgentEvent } from '../src/core/events';

// docs/events.md is the contract; its JSON examples are also the server's contract-test fixtures.
const contract = readFileSync(new URL('../../../../../docs/events.md', import.meta.url), 'utf8');
const examples = [...contract.matchAll(/```json\n([\s\S]*?)```/g)].map(m => JSON.parse(m[1]) as Record<string, unknown>);

describe('the event contract of docs/events.md', () => {
  it('has an example of every event type', () => {
    expect(examples.length).toBeGreaterThanOrEqual(eventTypes.length);
    expect(new Set(examples.map(e => e.type))).toEqual(new Set(eventTypes));
  });

  it.each(examples.map(e => [`${String(e.type)} #${String(e.sequence)}`, e]))('accepts the example %s', (_, example) => {
    expect(isAgentEvent(example)).toBe(true);
    expect(parseAgentEvent(JSON.stringify(example))).toEqual(example);
  });

  it('refuses an event with a missing, mistyped or unknown field', () => {
    const started = examples.find(e => e.type === 'execution:started')!;
    const data = started.data as Record<string, unknown>;
    const { task: _task, ...withoutTask } = data;
    expect(isAgentEvent({ ...started, data: withoutTask })).toBe(false);
    expect(isAgentEvent({ ...started, sequence: '1' })).toBe(false);
    expect(isAgentEvent({ ...started, sequence: 0 })).toBe(false);
    expect(isAgentEvent({ ...started, type: 'execution:paused' })).toBe(false);
    expect(isAgentEvent({ ...started, data: { ...data, extra: true } })).toBe(false);
    expect(isAgentEvent({ ...started, timestamp: '2026-11-24 10:15' })).toBe(false);
    expect(() => parseAgentEvent('{"sequence":1}')).toThrow(/Not an event/);
  });

  it('accepts a stream:reset frame and a snapshot of the documented shape', () => {
    const snapshot = {
      executionId: 'e', status: 'completed', task: 't', createdAt: '2026-11-24T10:15:00.000Z', lastSequence: 99,
      startedAt: '2026-11-24T10:15:00.100Z', completedAt: '2026-11-24T10:15:09.000Z',
      plan: { goal: 'g', phases: [{ id: 'p', name: 'P', status: 'completed' }] },
      currentPhaseId: null, toolCalls: 30, tokensUsed: { input: 0, output: 0, total: 0 }, result: 'r', error: null,
    };
    expect(isExecutionSnapshot(snapshot)).toBe(true);
    expect(isStreamReset({ reason: 'retention', requestedCursor: '5', snapshot })).toBe(true);
    expect(isStreamReset({ reason: 'lost', requestedCursor: '5', snapshot })).toBe(false);
    expect(isExecutionSnapshot({ ...snapshot, status: 'paused' })).toBe(false);
  });
});
