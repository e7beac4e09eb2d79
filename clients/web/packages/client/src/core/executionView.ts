import { isTerminalEvent, type AgentEvent, type AgentEventType, type ArtifactRef, type ExecutionSnapshot, type StreamReset } from './events.js';
import { applyDelta, completeTexts, noTexts, withdraw, type LiveTexts, type TextDelta } from './liveText.js';
import { applyToSnapshot, initialSnapshot, isTerminalStatus } from './snapshotFold.js';

/** A model thought, in the phase it happened in. */
export interface ThinkingStep {
  kind: 'thinking';
  sequence: number;
  timestamp: string;
  phaseId: string | null;
  iteration: number;
  thought: string;
}

/** A tool call, from its `tool:start` to its `tool:complete` (null fields while it runs). */
export interface ToolCall {
  kind: 'tool';
  sequence: number;
  timestamp: string;
  phaseId: string | null;
  callId: string;
  toolName: string;
  /** The params, or only their preview when `paramsRef` says where the whole value is. */
  params: unknown;
  paramsRef: ArtifactRef | null;
  completedSequence: number | null;
  /** The result, or only its preview when `resultRef` says where the whole value is. */
  result: unknown;
  resultRef: ArtifactRef | null;
  error: string | null;
  durationMs: number | null;
}

export type TimelineStep = ThinkingStep | ToolCall;

/** What the page shows of one execution: the server's snapshot plus the details the snapshot leaves out. */
export interface ExecutionView {
  snapshot: ExecutionSnapshot;
  /** Thinking steps and tool calls in sequence order. */
  steps: TimelineStep[];
  /** Every sequence applied, in order: the page renders them and the tests compare them with the server's log. */
  sequences: number[];
  durationMs: number | null;
  failureCode: string | null;
  cancelledBy: string | null;
  /** Set when the server answered a cursor with `stream:reset`: events before the snapshot may be missing here. */
  reset: { reason: StreamReset['reason']; atSequence: number } | null;
  /** Thoughts and the answer being written (`thinking:{iteration}`, `result`), until their events replace them. */
  texts: LiveTexts;
}

export const emptyView = (executionId: string, task = ''): ExecutionView => ({
  snapshot: initialSnapshot(executionId, task),
  steps: [],
  sequences: [],
  durationMs: null,
  failureCode: null,
  cancelledBy: null,
  reset: null,
  texts: noTexts,
});

type Handler<K extends AgentEventType> = (view: ExecutionView, event: AgentEvent<K>) => ExecutionView;

/**
 * One handler per event type for what the UI needs beyond the snapshot. Each receives the view whose snapshot
 * already includes the event (the shared fold ran first), so a handler never re-derives status or plan.
 */
export const eventHandlers: { [K in AgentEventType]: Handler<K> } = {
  'execution:started': (view, e) => ({ ...view, snapshot: { ...view.snapshot, task: e.data.task } }),
  'plan:created': view => view,
  'phase:start': view => view,
  thinking: (view, e) => ({
    ...view,
    steps: [...view.steps, {
      kind: 'thinking', sequence: e.sequence, timestamp: e.timestamp, phaseId: phaseOf(view),
      iteration: e.data.iteration, thought: e.data.thought,
    }],
  }),
  'tool:start': (view, e) => ({
    ...view,
    steps: [...view.steps, {
      kind: 'tool', sequence: e.sequence, timestamp: e.timestamp, phaseId: phaseOf(view), callId: e.data.callId,
      toolName: e.data.toolName, params: e.data.params, paramsRef: e.data.paramsRef ?? null, completedSequence: null, result: null,
      resultRef: null, error: null, durationMs: null,
    }],
  }),
  'tool:complete': (view, e) => ({ ...view, steps: completeToolCall(view, e) }),
  'phase:complete': view => view,
  'execution:complete': (view, e) => ({ ...view, durationMs: e.data.durationMs }),
  'execution:error': (view, e) => ({ ...view, failureCode: e.data.code }),
  'execution:cancelled': (view, e) => ({ ...view, cancelledBy: e.data.by }),
};

/**
 * Applies one event: the shared snapshot fold, then its type's handler. An event at or below the last applied
 * sequence is a duplicate (a replay after reconnecting) and leaves the view unchanged, so the view never shows
 * an event twice whatever the transport does.
 */
export function applyEvent(view: ExecutionView, event: AgentEvent): ExecutionView {
  if (event.sequence <= view.snapshot.lastSequence) {
    return view;
  }
  const folded: ExecutionView = {
    ...view,
    snapshot: applyToSnapshot(view.snapshot, event),
    sequences: [...view.sequences, event.sequence],
    texts: completeTexts(view.texts, event, isTerminalEvent(event)),
  };
  return (eventHandlers[event.type] as Handler<AgentEventType>)(folded, event);
}

/** `stream:reset`: the server's snapshot replaces ours; the steps seen so far stay, marked as possibly incomplete. */
export const applyReset = (view: ExecutionView, reset: StreamReset): ExecutionView => ({
  ...view,
  snapshot: reset.snapshot,
  reset: { reason: reset.reason, atSequence: reset.snapshot.lastSequence },
});

/** A piece of a text being written; ignored once the execution has ended (its terminal event ended every text). */
export const applyText = (view: ExecutionView, delta: TextDelta): ExecutionView =>
  isTerminalStatus(view.snapshot.status) ? view : { ...view, texts: applyDelta(view.texts, delta) };

export const applyTextReset = (view: ExecutionView, textId: string): ExecutionView => ({ ...view, texts: withdraw(view.texts, textId) });

/** A new connection: the texts start over (each still being written comes again whole). */
export const restartTexts = (view: ExecutionView): ExecutionView =>
  (Object.keys(view.texts).length === 0 ? view : { ...view, texts: noTexts });

/** The phase a step belongs to: the running one when it arrived (the snapshot fold tracks it). */
const phaseOf = (view: ExecutionView): string | null => view.snapshot.currentPhaseId;

function completeToolCall(view: ExecutionView, { sequence, timestamp, data }: AgentEvent<'tool:complete'>): TimelineStep[] {
  const steps = [...view.steps];
  // Search from the end: a call usually completes right after it starts.
  for (let i = steps.length - 1; i >= 0; i--) {
    const step = steps[i];
    if (step.kind === 'tool' && step.callId === data.callId && step.completedSequence === null) {
      steps[i] = {
        ...step, completedSequence: sequence, result: data.result, resultRef: data.resultRef ?? null, error: data.error ?? null, durationMs: data.durationMs,
      };
      return steps;
    }
  }
  // A completion whose start was trimmed away (after a stream:reset): still show it.
  steps.push({
    kind: 'tool', sequence, timestamp, phaseId: phaseOf(view), callId: data.callId, toolName: data.toolName,
    params: null, paramsRef: null, completedSequence: sequence, result: data.result, resultRef: data.resultRef ?? null, error: data.error ?? null,
    durationMs: data.durationMs,
  });
  return steps;
}
