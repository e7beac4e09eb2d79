import { useCallback, useEffect, useRef, useState } from 'react';
import { AgentApiError, isTerminalStatus, useAgentStore, type ExecutionSummary } from '@orleans-agent/client';
import { useApi } from './ApiContext';
import { CopyId } from './CopyId';
import { StatusPill } from './StatusPill';

const pageSize = 10;
/** While a listed run is going, how often the list asks again: statuses change without a stream per run. */
const refreshMs = 2000;

/** The user's executions, newest first: open one, cancel a running one, page back in time. */
export function History() {
  const api = useApi();
  const currentExecutionId = useAgentStore(s => s.currentExecutionId);
  const selectExecution = useAgentStore(s => s.selectExecution);
  const [items, setItems] = useState<ExecutionSummary[]>([]);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [pages, setPages] = useState(1);
  const [error, setError] = useState<string | null>(null);
  const latest = useRef(0);

  // The first `pages` pages again: new runs appear at the top, statuses move on, nothing already shown is dropped.
  // Only the latest refresh's answer is shown: a slower earlier one must not put old statuses back.
  const refresh = useCallback(async () => {
    const asked = ++latest.current;
    try {
      let cursor: string | undefined;
      const all: ExecutionSummary[] = [];
      let next: string | null = null;
      for (let page = 0; page < pages; page++) {
        const answer = await api.list(pageSize, cursor);
        all.push(...answer.items);
        next = answer.nextCursor;
        if (!next) {
          break;
        }
        cursor = next;
      }
      if (asked !== latest.current) {
        return;
      }
      setItems(all);
      setNextCursor(next);
      setError(null);
    } catch (e) {
      if (asked === latest.current) {
        setError(e instanceof AgentApiError ? e.message : String(e));
      }
    }
  }, [api, pages]);

  useEffect(() => {
    void refresh();
  }, [refresh, currentExecutionId]);

  const running = items.some(item => !isTerminalStatus(item.status));
  useEffect(() => {
    if (!running) {
      return undefined;
    }
    const timer = setInterval(() => void refresh(), refreshMs);
    return () => clearInterval(timer);
  }, [running, refresh]);

  const cancel = async (executionId: string) => {
    try {
      await api.cancel(executionId, 'Cancelled from the history.');
    } catch (e) {
      setError(e instanceof AgentApiError ? e.message : String(e));
    }
    await refresh();
  };

  return (
    <section className="card history" aria-label="History">
      <h2>History</h2>
      {error && <p className="form-error" role="alert">{error}</p>}
      {items.length === 0 && !error && <p className="muted">No executions yet.</p>}
      <ol className="history-list">
        {items.map(item => (
          <li key={item.executionId} className={item.executionId === currentExecutionId ? 'current' : undefined}
            data-testid="history-item" data-execution-id={item.executionId} data-status={item.status}>
            <button type="button" className="history-open" aria-current={item.executionId === currentExecutionId ? 'true' : undefined}
              onClick={() => selectExecution(item.executionId)}>
              <span className="history-task" title={item.task}>{item.task}</span>
              <span className="history-meta">
                <StatusPill status={item.status} testId="history-status" />
                <time dateTime={item.createdAt}>{new Date(item.createdAt).toLocaleString([], { dateStyle: 'short', timeStyle: 'medium' })}</time>
              </span>
            </button>
            <span className="history-actions">
              <CopyId executionId={item.executionId} />
              {!isTerminalStatus(item.status) && (
                <button type="button" className="danger small" aria-label={`Cancel ${item.task}`} onClick={() => void cancel(item.executionId)}>
                  Cancel
                </button>
              )}
            </span>
          </li>
        ))}
      </ol>
      {nextCursor && (
        <button type="button" className="link" onClick={() => setPages(p => p + 1)}>Older executions</button>
      )}
    </section>
  );
}
