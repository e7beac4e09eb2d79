/**
 * The event contract of docs/events.md as TypeScript types, with runtime guards so that anything read off the
 * wire is checked before the store trusts it. test/eventContract.test.ts validates every JSON example of that
 * page with these guards, so the types cannot drift from the documented contract unnoticed.
 */

export type PhaseStatus = 'pending' | 'running' | 'completed';
export type ExecutionStatus = 'pending' | 'running' | 'completed' | 'failed' | 'cancelled';

export interface PlanPhase { id: string; name: string; status: PhaseStatus }
export interface ExecutionPlan { goal: string; phases: PlanPhase[] }
export interface TokenUsage { input: number; output: number; total: number }
/** Where a value too large for its event is kept whole (docs/events.md, "Large values"); the event holds a preview. */
export interface ArtifactRef { size: number; sha256: string; url: string }

/** The payload of each event type, keyed by the envelope's `type`. */
export interface EventPayloads {
  'execution:started': { task: string; startedAt: string; traceId?: string };
  'plan:created': { plan: ExecutionPlan };
  'phase:start': { phaseId: string; phaseName: string; phaseIndex: number };
  thinking: { thought: string; iteration: number };
  'tool:start': { toolName: string; params: unknown; callId: string; paramsRef?: ArtifactRef };
  'tool:complete': { toolName: string; callId: string; result: unknown; error?: string; durationMs: number; resultRef?: ArtifactRef };
  'phase:complete': { phaseId: string; phaseName: string };
  'execution:complete': { result: string; durationMs: number; tokensUsed: TokenUsage };
  'execution:error': { error: string; code: string; stack?: string };
  'execution:cancelled': { reason: string; by: string };
}

export type AgentEventType = keyof EventPayloads;

/** One event: the envelope with the payload its type names. */
export type AgentEvent<T extends AgentEventType = AgentEventType> = {
  [K in T]: { executionId: string; sequence: number; type: K; timestamp: string; data: EventPayloads[K] };
}[T];

export const eventTypes: readonly AgentEventType[] = [
  'execution:started', 'plan:created', 'phase:start', 'thinking', 'tool:start', 'tool:complete',
  'phase:complete', 'execution:complete', 'execution:error', 'execution:cancelled',
];

export const terminalEventTypes: readonly AgentEventType[] = ['execution:complete', 'execution:error', 'execution:cancelled'];

export const isTerminalEvent = (event: AgentEvent): boolean => terminalEventTypes.includes(event.type);

/** `GET /api/agent/executions/{id}`, and the snapshot inside `stream:reset`. */
export interface ExecutionSnapshot {
  executionId: string;
  status: ExecutionStatus;
  task: string;
  createdAt: string;
  lastSequence: number;
  startedAt: string | null;
  completedAt: string | null;
  plan: ExecutionPlan | null;
  currentPhaseId: string | null;
  toolCalls: number;
  tokensUsed: TokenUsage | null;
  result: string | null;
  error: string | null;
  /** The execution's trace (W3C trace id) when the server records traces. */
  traceId?: string;
}

/** The `stream:reset` frame: the cursor could not be served, here is the state instead. */
export interface StreamReset {
  reason: 'retention' | 'ahead' | 'malformed';
  requestedCursor: string;
  snapshot: ExecutionSnapshot;
}

type Check = (value: unknown) => boolean;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str: Check = v => typeof v === 'string';
const int: Check = v => Number.isInteger(v);
const anyJson: Check = v => v !== undefined;
const traceId: Check = v => typeof v === 'string' && /^[0-9a-f]{32}$/.test(v);
const timestamp: Check = v => typeof v === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/.test(v);
const optional = (check: Check): Check => v => v === undefined || check(v);
const nullable = (check: Check): Check => v => v === null || check(v);
const oneOf = (...values: string[]): Check => v => typeof v === 'string' && values.includes(v);
const shape = (fields: Record<string, Check>, exact = true): Check => v =>
  isObject(v)
  && Object.entries(fields).every(([name, check]) => check(v[name]))
  && (!exact || Object.keys(v).every(name => name in fields));
const list = (check: Check): Check => v => Array.isArray(v) && v.every(check);

const phase = shape({ id: str, name: str, status: oneOf('pending', 'running', 'completed') });
const plan = shape({ goal: str, phases: list(phase) });
const tokens = shape({ input: int, output: int, total: int });
const artifactRef = shape({ size: int, sha256: v => typeof v === 'string' && /^[0-9a-f]{64}$/.test(v), url: str });

/** The exact shape of each payload: a missing, mistyped or unknown field fails the guard. */
const payloadShapes: Record<AgentEventType, Check> = {
  'execution:started': shape({ task: str, startedAt: timestamp, traceId: optional(traceId) }),
  'plan:created': shape({ plan }),
  'phase:start': shape({ phaseId: str, phaseName: str, phaseIndex: int }),
  thinking: shape({ thought: str, iteration: int }),
  'tool:start': shape({ toolName: str, params: anyJson, callId: str, paramsRef: optional(artifactRef) }),
  'tool:complete': shape({ toolName: str, callId: str, result: anyJson, error: optional(str), durationMs: int, resultRef: optional(artifactRef) }),
  'phase:complete': shape({ phaseId: str, phaseName: str }),
  'execution:complete': shape({ result: str, durationMs: int, tokensUsed: tokens }),
  'execution:error': shape({ error: str, code: str, stack: optional(str) }),
  'execution:cancelled': shape({ reason: str, by: str }),
};

export const isAgentEventType = (v: unknown): v is AgentEventType => typeof v === 'string' && v in payloadShapes;

/** True when `value` is an event of the contract: envelope and payload both exactly as documented. */
export function isAgentEvent(value: unknown): value is AgentEvent {
  return isObject(value)
    && shape({ executionId: str, sequence: int, type: isAgentEventType, timestamp, data: isObject })(value)
    && (value.sequence as number) >= 1
    && payloadShapes[value.type as AgentEventType](value.data);
}

const snapshotShape = shape({
  executionId: str,
  status: oneOf('pending', 'running', 'completed', 'failed', 'cancelled'),
  task: str,
  createdAt: timestamp,
  lastSequence: int,
  startedAt: nullable(timestamp),
  completedAt: nullable(timestamp),
  plan: nullable(plan),
  currentPhaseId: nullable(str),
  toolCalls: int,
  tokensUsed: nullable(tokens),
  result: nullable(str),
  error: nullable(str),
  traceId: optional(traceId),
}, false);

export const isExecutionSnapshot = (value: unknown): value is ExecutionSnapshot => snapshotShape(value);

export const isStreamReset = (value: unknown): value is StreamReset =>
  shape({ reason: oneOf('retention', 'ahead', 'malformed'), requestedCursor: str, snapshot: snapshotShape })(value);

/** Reads one SSE `data:` line; throws on anything that is not a contract event, so bad data never reaches the UI. */
export function parseAgentEvent(json: string): AgentEvent {
  const value: unknown = JSON.parse(json);
  if (!isAgentEvent(value)) {
    throw new Error(`Not an event of the contract: ${json.slice(0, 200)}`);
  }
  return value;
}
