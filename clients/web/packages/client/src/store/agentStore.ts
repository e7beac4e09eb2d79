import { createStore, type StoreApi } from 'zustand/vanilla';
import type { AgentApi } from '../core/agentApi.js';
import type { ConnectionStatus } from '../core/connectionStatus.js';
import type { AgentEvent, StreamReset } from '../core/events.js';
import type { TextDelta } from '../core/liveText.js';
import { applyEvent, applyReset, applyText, applyTextReset, emptyView, restartTexts, type ExecutionView } from '../core/executionView.js';
import { ExecutionStream, type ExecutionStreamOptions } from '../core/executionStream.js';
import { isTerminalStatus } from '../core/snapshotFold.js';
import { scheduleUpdatePerFrame, type ScheduleUpdate } from './scheduleUpdate.js';

export interface AgentState {
  /** Every execution this page has watched, folded from its events. */
  executions: Record<string, ExecutionView>;
  /** The stream status of each execution (idle until subscribed). */
  connections: Record<string, ConnectionStatus>;
  /** The execution `useAgentExecution` works on. */
  currentExecutionId: string | null;
  /** The last failed start or cancel, for the UI; cleared by the next attempt. */
  error: string | null;

  /** Streams an execution's events into `executions[id]`, resuming after what the store already holds. Counted: each call needs its unsubscribe. */
  subscribeToExecution(executionId: string): void;
  unsubscribeFromExecution(executionId: string): void;
  /** Applies one event with the shared fold and its type's handler; duplicates are ignored. */
  handleEvent(event: AgentEvent): void;
  /** Applies a `stream:reset`: the server's snapshot replaces the folded one. */
  handleReset(executionId: string, reset: StreamReset): void;
  /** Places a piece of a text being written (`text:delta`). */
  handleText(executionId: string, delta: TextDelta): void;
  /** Starts an execution and makes it the current one. */
  startExecution(task: string, context?: Record<string, unknown>): Promise<string | null>;
  /** Cancels the current (or the given) execution; its `execution:cancelled` event arrives on the stream. */
  cancelExecution(executionId?: string, reason?: string): Promise<void>;
  /** Makes an existing execution current (e.g. the one named in the page's URL after a reload). */
  selectExecution(executionId: string | null): void;
}

export type AgentStore = StoreApi<AgentState>;

export interface AgentStoreOptions {
  api: AgentApi;
  /** Passed to every stream: reconnect policy and, in tests, a fake EventSource and timers. */
  stream?: Omit<ExecutionStreamOptions, 'afterSequence'>;
  /**
   * When what the streams delivered reaches the store: every event, piece of text and status since the last time,
   * applied in order as one store change. By default once per animation frame in a browser, at once elsewhere.
   */
  scheduleUpdate?: ScheduleUpdate;
}

type Watched = Pick<AgentState, 'executions' | 'connections'>;
type Change = (state: Watched) => Watched;

/** The agent store: a vanilla Zustand store, so it works without React and tests drive it directly. */
export function createAgentStore({ api, stream: streamOptions = {}, scheduleUpdate = scheduleUpdatePerFrame }: AgentStoreOptions): AgentStore {
  const streams = new Map<string, { stream: ExecutionStream | null; subscribers: number }>();

  return createStore<AgentState>()((set, get) => {
    const connectionChange = (executionId: string, status: ConnectionStatus): Change =>
      state => ({ ...state, connections: { ...state.connections, [executionId]: status } });

    const viewChange = (executionId: string, update: (view: ExecutionView) => ExecutionView): Change =>
      state => {
        const current = state.executions[executionId] ?? emptyView(executionId);
        const next = update(current);
        return next === current ? state : { ...state, executions: { ...state.executions, [executionId]: next } };
      };

    const apply = (...changes: Change[]) => set(state => {
      const next = changes.reduce((s, change) => change(s), { executions: state.executions, connections: state.connections });
      return next.executions === state.executions && next.connections === state.connections ? state : next;
    });
    const setConnection = (executionId: string, status: ConnectionStatus) => apply(connectionChange(executionId, status));
    const updateView = (executionId: string, update: (view: ExecutionView) => ExecutionView) => apply(viewChange(executionId, update));

    // What the streams delivered and the store has not applied yet, in arrival order.
    let pending: Change[] = [];
    const flush = () => {
      const changes = pending;
      pending = [];
      if (changes.length > 0) {
        apply(...changes);
      }
    };
    const deliver = (change: Change) => {
      pending.push(change);
      if (pending.length === 1) {
        scheduleUpdate(flush);
      }
    };

    return {
      executions: {},
      connections: {},
      currentExecutionId: null,
      error: null,

      subscribeToExecution(executionId) {
        flush(); // resume after everything delivered so far
        const entry = streams.get(executionId);
        if (entry) {
          entry.subscribers += 1;
          return;
        }
        const view = get().executions[executionId];
        if (view && isTerminalStatus(view.snapshot.status)) {
          // Nothing follows a terminal event: a connection would only end at once.
          streams.set(executionId, { stream: null, subscribers: 1 });
          setConnection(executionId, { state: 'closed' });
          return;
        }
        const stream = new ExecutionStream(api, executionId, {
          onEvent: event => deliver(viewChange(executionId, v => applyEvent(v, event))),
          onReset: reset => deliver(viewChange(executionId, v => applyReset(v, reset))),
          onStatus: status => deliver(connectionChange(executionId, status)),
          onText: delta => deliver(viewChange(executionId, v => applyText(v, delta))),
          onTextReset: textId => deliver(viewChange(executionId, v => applyTextReset(v, textId))),
          onTextsRestart: () => deliver(viewChange(executionId, restartTexts)),
        }, { ...streamOptions, afterSequence: view?.snapshot.lastSequence ?? 0 });
        streams.set(executionId, { stream, subscribers: 1 });
        stream.start();
        flush(); // the status 'connecting' at once
      },

      unsubscribeFromExecution(executionId) {
        const entry = streams.get(executionId);
        if (!entry || --entry.subscribers > 0) {
          return;
        }
        streams.delete(executionId);
        entry.stream?.close();
        flush();
        const status = get().connections[executionId];
        if (status && status.state !== 'closed' && status.state !== 'failed') {
          setConnection(executionId, { state: 'closed' });
        }
      },

      handleEvent(event) {
        updateView(event.executionId, view => applyEvent(view, event));
      },

      handleReset(executionId, reset) {
        updateView(executionId, view => applyReset(view, reset));
      },

      handleText(executionId, delta) {
        updateView(executionId, view => applyText(view, delta));
      },

      async startExecution(task, context) {
        set({ error: null });
        try {
          const { executionId } = await api.execute(task, context);
          set(state => ({
            executions: { ...state.executions, [executionId]: emptyView(executionId, task) },
            currentExecutionId: executionId,
          }));
          return executionId;
        } catch (error) {
          set({ error: (error as Error).message });
          return null;
        }
      },

      async cancelExecution(executionId = get().currentExecutionId ?? undefined, reason) {
        if (!executionId) {
          return;
        }
        set({ error: null });
        try {
          await api.cancel(executionId, reason);
        } catch (error) {
          set({ error: (error as Error).message });
        }
      },

      selectExecution(executionId) {
        set({ currentExecutionId: executionId, error: null });
      },
    };
  });
}
