import { useEffect } from 'react';
import type { ConnectionStatus } from '../core/connectionStatus.js';
import type { ExecutionView } from '../core/executionView.js';
import { useAgentStore } from './AgentStoreContext.js';

const idle: ConnectionStatus = { state: 'idle' };

/**
 * Streams an execution while the component is mounted (null: none): subscribes on mount or when the id changes,
 * unsubscribes on unmount. Returns the execution folded so far and the connection status.
 */
export function useAgentSSE(executionId: string | null): { execution: ExecutionView | undefined; status: ConnectionStatus } {
  const subscribe = useAgentStore(s => s.subscribeToExecution);
  const unsubscribe = useAgentStore(s => s.unsubscribeFromExecution);
  useEffect(() => {
    if (!executionId) {
      return undefined;
    }
    subscribe(executionId);
    return () => unsubscribe(executionId);
  }, [executionId, subscribe, unsubscribe]);

  const execution = useAgentStore(s => (executionId ? s.executions[executionId] : undefined));
  const status = useAgentStore(s => (executionId ? s.connections[executionId] : undefined) ?? idle);
  return { execution, status };
}
