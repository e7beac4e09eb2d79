/**
 * The event contract: the types are the API's own (generated from its OpenAPI document), and the runtime guards
 * check anything read off the wire before the store trusts it. test/eventContract.test.ts validates every JSON
 * example of docs/events.md with these guards.
 */

import type { components } from './generated/openapi.js';

/** The API's schemas, generated from its OpenAPI document (src/core/generated/openapi.ts). */
export type Schemas = components['schemas'];

export type PhaseStatus = Schemas['PhaseStatus'];
export type ExecutionStatus = Schemas['ExecutionStatus'];
export type PlanPhase = Schemas['PlanPhase'];
export type ExecutionPlan = Schemas['ExecutionPlan'];
export type TokenUsage = Schemas['TokenUsage'];
/** Where a value too large for its event is kept whole (docs/events.md, "Large values"); the event holds a preview. */
export type ArtifactRef = NonNullable<Schemas['ToolStartData']['paramsRef']>;

/** Any durable event; its `type` tells which (the document's discriminator). */
type AnyAgentEvent = Schemas['AgentEvent'];
export type AgentEventType = AnyAgentEvent['type'];

/** One event: the envelope with the payload its type names. */
export type AgentEvent<T extends AgentEventType = AgentEventType> = Extract<AnyAgentEvent, { type: T }>;

/** The payload of each event type, keyed by the envelope's `type`. */
export type EventPayloads = { [K in AgentEventType]: AgentEvent<K>['data'] };

export const eventTypes: readonly AgentEventType[] = [
  'execution:started', 'plan:created', 'phase:start', 'thinking', 'tool:start', 'tool:complete',
  'phase:complete', 'execution:complete', 'execution:error', 'execution:cancelled',
];

export const terminalEventTypes: readonly AgentEventType[] = ['execution:complete', 'execution:error', 'execution:cancelled'];

export const isTerminalEvent = (event: AgentEvent): boolean => terminalEventTypes.includes(event.type);

/** `GET /api/agent/executions/{id}`, and the snapshot inside `stream:reset`. */
export type ExecutionSnapshot = Schemas['ExecutionSnapshot'];

/** The `stream:reset` frame: the cursor could not be served, here is the state instead. */
export type StreamReset = Schemas['StreamReset'];

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
