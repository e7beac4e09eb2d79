import type { AgentEvent, ExecutionPlan, ExecutionSnapshot, PhaseStatus } from './events.js';

/**
 * The server's fold from an event log to a snapshot (src/Grains/Executions/ExecutionSnapshotFold.cs), ported
 * line for line. The store folds every event it receives with it, so what the page shows after event n is
 * exactly what `GET /api/agent/executions/{id}` answers at lastSequence n. Change both or neither.
 */

/** The snapshot of an execution that has no events yet. */
export const initialSnapshot = (executionId: string, task = '', createdAt = new Date(0).toISOString()): ExecutionSnapshot => ({
  executionId,
  status: 'pending',
  task,
  createdAt,
  lastSequence: 0,
  startedAt: null,
  completedAt: null,
  plan: null,
  currentPhaseId: null,
  toolCalls: 0,
  tokensUsed: null,
  result: null,
  error: null,
});

/** The snapshot after `e`. */
export function applyToSnapshot(snapshot: ExecutionSnapshot, e: AgentEvent): ExecutionSnapshot {
  const s = { ...snapshot, lastSequence: e.sequence };
  switch (e.type) {
    case 'execution:started':
      return { ...s, status: 'running', startedAt: e.data.startedAt };
    case 'plan:created':
      return { ...s, plan: e.data.plan };
    case 'phase:start':
      return { ...s, plan: withPhaseStatus(s.plan, e.data.phaseId, 'running'), currentPhaseId: e.data.phaseId };
    case 'phase:complete':
      return { ...s, plan: withPhaseStatus(s.plan, e.data.phaseId, 'completed'), currentPhaseId: null };
    case 'tool:start':
      return { ...s, toolCalls: s.toolCalls + 1 };
    case 'execution:complete':
      return { ...s, status: 'completed', completedAt: e.timestamp, result: e.data.result, tokensUsed: e.data.tokensUsed };
    case 'execution:error':
      return { ...s, status: 'failed', completedAt: e.timestamp, error: e.data.error };
    case 'execution:cancelled':
      return { ...s, status: 'cancelled', completedAt: e.timestamp, error: e.data.reason };
    default:
      return s;
  }
}

/** Folds a whole log. */
export const replay = (initial: ExecutionSnapshot, events: Iterable<AgentEvent>): ExecutionSnapshot =>
  [...events].reduce(applyToSnapshot, initial);

export const isTerminalStatus = (status: ExecutionSnapshot['status']): boolean =>
  status === 'completed' || status === 'failed' || status === 'cancelled';

function withPhaseStatus(plan: ExecutionPlan | null, phaseId: string, status: PhaseStatus): ExecutionPlan | null {
  return plan === null
    ? null
    : { ...plan, phases: plan.phases.map(p => (p.id === phaseId ? { ...p, status } : p)) };
}
