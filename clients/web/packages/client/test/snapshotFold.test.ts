import { describe, expect, it } from 'vitest';
import { applyToSnapshot, initialSnapshot, replay } from '../src/core/snapshotFold';
import { completedRun, event, executionId } from './fakes';

// The same cases as the server's fold (src/Grains/Executions/ExecutionSnapshotFold.cs): what each event changes.
describe('snapshot fold (port of ExecutionSnapshotFold)', () => {
  const initial = initialSnapshot(executionId, 'Coffee', '2026-11-24T10:14:59.000Z');

  it('folds a completed run to the snapshot the server answers', () => {
    expect(replay(initial, completedRun())).toEqual({
      executionId, status: 'completed', task: 'Coffee', createdAt: '2026-11-24T10:14:59.000Z', lastSequence: 13,
      startedAt: '2026-11-24T10:15:00.000Z', completedAt: '2026-11-24T10:15:13.000Z',
      plan: { goal: 'Coffee', phases: [
        { id: 'understand', name: 'Understand', status: 'completed' },
        { id: 'draft', name: 'Draft', status: 'completed' },
      ] },
      currentPhaseId: null, toolCalls: 2, tokensUsed: { input: 8, output: 137, total: 145 }, result: 'Done', error: null,
    });
  });

  it('marks the running phase and its id while it runs', () => {
    const s = replay(initial, completedRun().slice(0, 4));
    expect(s.status).toBe('running');
    expect(s.currentPhaseId).toBe('understand');
    expect(s.plan!.phases.map(p => p.status)).toEqual(['running', 'pending']);
    expect(s.lastSequence).toBe(4);
  });

  it('ignores a phase event before any plan, as the server does', () => {
    const s = applyToSnapshot(initial, event(1, 'phase:start', { phaseId: 'x', phaseName: 'X', phaseIndex: 0 }));
    expect(s.plan).toBeNull();
    expect(s.currentPhaseId).toBe('x');
  });

  it('fails with the error message on execution:error', () => {
    const s = applyToSnapshot(initial, event(9, 'execution:error', { error: 'No answer.', code: 'model_failed' }));
    expect(s).toMatchObject({ status: 'failed', error: 'No answer.', completedAt: '2026-11-24T10:15:09.000Z', lastSequence: 9 });
  });

  it('records the reason as the error on execution:cancelled, never as failed', () => {
    const s = applyToSnapshot(initial, event(12, 'execution:cancelled', { reason: 'enough', by: 'alice' }));
    expect(s).toMatchObject({ status: 'cancelled', error: 'enough', completedAt: '2026-11-24T10:15:12.000Z' });
  });

  it('changes only lastSequence for thinking and tool:complete', () => {
    for (const e of [event(5, 'thinking', { thought: 't', iteration: 1 }),
      event(5, 'tool:complete', { toolName: 'x', callId: 'c', result: 1, durationMs: 1 })]) {
      expect(applyToSnapshot(initial, e)).toEqual({ ...initial, lastSequence: 5 });
    }
  });
});
