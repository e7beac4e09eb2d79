import { useCallback } from 'react';
import type { ConnectionStatus } from '../core/connectionStatus.js';
import type { ExecutionView } from '../core/executionView.js';
import { isTerminalStatus } from '../core/snapshotFold.js';
import { useAgentStore } from './AgentStoreContext.js';
import { useAgentSSE } from './useAgentSSE.js';

export interface AgentExecution {
  /** Starts a task and streams it as the current execution; resolves to its id (null on failure, see `error`). */
  startExecution(task: string, context?: Record<string, unknown>): Promise<string | null>;
  /** Cancels the current execution; the cancelled state arrives as its terminal event. */
  cancelExecution(reason?: string): Promise<void>;
  currentExecution: ExecutionView | null;
  /** True from the start request until the terminal event. */
  isExecuting: boolean;
  error: string | null;
  connection: ConnectionStatus;
}

/** The current execution of the page: start it, watch it (through `useAgentSSE`), cancel it. */
export function useAgentExecution(): AgentExecution {
  const currentExecutionId = useAgentStore(s => s.currentExecutionId);
  const start = useAgentStore(s => s.startExecution);
  const cancel = useAgentStore(s => s.cancelExecution);
  const error = useAgentStore(s => s.error);
  const { execution, status } = useAgentSSE(currentExecutionId);

  const cancelExecution = useCallback(
    (reason?: string) => cancel(currentExecutionId ?? undefined, reason),
    [cancel, currentExecutionId],
  );
  return {
    startExecution: start,
    cancelExecution,
    currentExecution: execution ?? null,
    isExecuting: execution !== undefined && !isTerminalStatus(execution.snapshot.status),
    error,
    connection: status,
  };
}
