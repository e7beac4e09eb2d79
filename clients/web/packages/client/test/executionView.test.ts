import { describe, expect, it } from 'vitest';
import { applyEvent, applyReset, emptyView, eventHandlers, type ExecutionView, type ToolCall } from '../src/core/executionView';
import { eventTypes, type AgentEvent } from '../src/core/events';
import { completedRun, event, executionId } from './fakes';

const fold = (events: AgentEvent[], view: ExecutionView = emptyView(executionId)) => events.reduce(applyEvent, view);
const run = completedRun();

describe('execution view: one handler per event type', () => {
  it('has a handler for every type of the contract', () => {
    expect(Object.keys(eventHandlers).sort()).toEqual([...eventTypes].sort());
  });

  it('execution:started: running, with the task', () => {
    const v = fold(run.slice(0, 1));
    expect(v.snapshot).toMatchObject({ status: 'running', task: 'Coffee', startedAt: '2026-11-24T10:15:00.000Z' });
  });

  it('plan:created: the plan with every phase pending', () => {
    expect(fold(run.slice(0, 2)).snapshot.plan!.phases.map(p => p.status)).toEqual(['pending', 'pending']);
  });

  it('phase:start and phase:complete: the phase statuses move', () => {
    expect(fold(run.slice(0, 4)).snapshot.plan!.phases.map(p => p.status)).toEqual(['running', 'pending']);
    expect(fold(run.slice(0, 8)).snapshot.plan!.phases.map(p => p.status)).toEqual(['completed', 'pending']);
  });

  it('thinking: a step in the running phase (none while planning)', () => {
    const steps = fold(run.slice(0, 5)).steps;
    expect(steps).toEqual([
      { kind: 'thinking', sequence: 3, timestamp: run[2].timestamp, phaseId: null, iteration: 1, thought: 'Planning thought' },
      { kind: 'thinking', sequence: 5, timestamp: run[4].timestamp, phaseId: 'understand', iteration: 2, thought: 'Look around' },
    ]);
  });

  it('tool:start: a running call with no duration yet', () => {
    const call = fold(run.slice(0, 6)).steps[2] as ToolCall;
    expect(call).toMatchObject({ kind: 'tool', callId: 'call_1', toolName: 'list_files', phaseId: 'understand', completedSequence: null, durationMs: null });
  });

  it('tool:complete: the call gets its result and duration, or its error', () => {
    const steps = fold(run.slice(0, 11)).steps as ToolCall[];
    expect(steps[2]).toMatchObject({ callId: 'call_1', completedSequence: 7, result: { files: [] }, error: null, durationMs: 3 });
    expect(steps[3]).toMatchObject({ callId: 'call_2', phaseId: 'draft', completedSequence: 11, result: null, error: 'missing', durationMs: 1 });
    expect(steps).toHaveLength(4);
  });

  it('tool:complete without its start (trimmed by a reset) still shows the call', () => {
    const v = applyEvent(emptyView(executionId), event(7, 'tool:complete', { toolName: 'x', callId: 'c9', result: 1, durationMs: 4 }));
    expect(v.steps).toMatchObject([{ kind: 'tool', callId: 'c9', completedSequence: 7, durationMs: 4 }]);
  });

  it('execution:complete: completed, with duration, result and tokens', () => {
    const v = fold(run);
    expect(v.snapshot).toMatchObject({ status: 'completed', result: 'Done', tokensUsed: { total: 145 }, toolCalls: 2 });
    expect(v.durationMs).toBe(180);
    expect(v.sequences).toEqual(run.map(e => e.sequence));
  });

  it('execution:error: failed, with the code and message', () => {
    const v = fold([...run.slice(0, 6), event(7, 'execution:error', { error: 'The model failed.', code: 'model_failed' })]);
    expect(v.snapshot).toMatchObject({ status: 'failed', error: 'The model failed.' });
    expect(v.failureCode).toBe('model_failed');
  });

  it('execution:cancelled: cancelled (not failed), by whom and why', () => {
    const v = fold([...run.slice(0, 6), event(7, 'execution:cancelled', { reason: 'enough', by: 'alice' })]);
    expect(v.snapshot).toMatchObject({ status: 'cancelled', error: 'enough' });
    expect(v.cancelledBy).toBe('alice');
    expect(v.failureCode).toBeNull();
  });

  it('ignores a replayed event: the same view comes back, nothing is shown twice', () => {
    const once = fold(run.slice(0, 7));
    const twice = fold(run.slice(3, 7), once);
    expect(twice).toBe(once);
  });

  it('stream:reset: the server snapshot replaces the folded one and the view says events may be missing', () => {
    const v = fold(run.slice(0, 5));
    const snapshot = { ...v.snapshot, lastSequence: 40, status: 'completed' as const };
    const reset = applyReset(v, { reason: 'retention', requestedCursor: '5', snapshot });
    expect(reset.snapshot).toBe(snapshot);
    expect(reset.reset).toEqual({ reason: 'retention', atSequence: 40 });
    expect(reset.steps).toBe(v.steps);
    expect(applyEvent(reset, event(40, 'thinking', { thought: 'old', iteration: 9 }))).toBe(reset);
  });
});

describe('execution view: values too large for their events', () => {
  const ref = (n: number) => ({ size: 1_048_605, sha256: String(n).repeat(64), url: `/api/agent/executions/${executionId}/artifacts/${String(n).repeat(64)}` });

  it('keeps the preview and the reference of params and of a result', () => {
    const v = fold([
      event(1, 'execution:started', { task: 'Big', startedAt: '2026-11-24T10:15:00.000Z' }),
      event(2, 'tool:start', { toolName: 'create_file', params: { path: 'big.txt', content: 'abc…' }, callId: 'c1', paramsRef: ref(1) }),
      event(3, 'tool:complete', { toolName: 'create_file', callId: 'c1', result: { path: 'big.txt', bytes: 1 }, durationMs: 2 }),
      event(4, 'tool:start', { toolName: 'read_file', params: { path: 'big.txt' }, callId: 'c2' }),
      event(5, 'tool:complete', { toolName: 'read_file', callId: 'c2', result: { content: 'abc…' }, durationMs: 3, resultRef: ref(2) }),
    ]);

    expect(v.steps).toMatchObject([
      { callId: 'c1', params: { path: 'big.txt', content: 'abc…' }, paramsRef: ref(1), resultRef: null },
      { callId: 'c2', paramsRef: null, result: { content: 'abc…' }, resultRef: ref(2) },
    ]);
  });
});
