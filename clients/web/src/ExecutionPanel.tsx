import { type AgentExecution, isTerminalStatus } from '@orleans-agent/client';
import { CopyId } from './CopyId';
import { EventLog } from './EventLog';
import { Files } from './Files';
import { formatDuration } from './format';
import { Outcome } from './Outcome';
import { StatusPill } from './StatusPill';
import { Timeline } from './Timeline';
import { useElapsed } from './useElapsed';

/** The current execution: what it is, where it stands, and everything it did so far. */
export function ExecutionPanel({ execution }: { execution: AgentExecution }) {
  const view = execution.currentExecution;
  const s = view?.snapshot;
  const elapsed = useElapsed(s?.startedAt ?? null, s?.completedAt ?? null, execution.isExecuting);
  if (!view || !s) {
    return (
      <section className="execution empty">
        {execution.connection.state === 'failed'
          ? <p className="form-error" role="alert">This execution cannot be shown: {execution.connection.error}</p>
          : <p className="muted">Start a task to watch the agent plan, think and call tools here, live.</p>}
      </section>
    );
  }
  const ended = isTerminalStatus(s.status);
  return (
    <section className={`execution execution-${s.status}`} data-testid="execution" data-execution-id={s.executionId}
      data-status={s.status} data-last-sequence={s.lastSequence} data-tool-calls={s.toolCalls}>
      <header className="execution-head card">
        <div className="execution-title">
          <StatusPill status={s.status} />
          <h1 title={s.task}>{s.task || 'Execution'}</h1>
          {!ended && (
            <button type="button" className="danger" data-testid="cancel" disabled={execution.connection.state === 'idle'}
              onClick={() => void execution.cancelExecution('Cancelled from the console.')}>
              Cancel
            </button>
          )}
        </div>
        <dl className="stats">
          <div><dt>Elapsed</dt><dd data-testid="elapsed">{elapsed === null ? '–' : formatDuration(view.durationMs ?? elapsed)}</dd></div>
          <div><dt>Tool calls</dt><dd>{s.toolCalls}</dd></div>
          <div><dt>Tokens</dt><dd>{s.tokensUsed ? s.tokensUsed.total.toLocaleString() : '–'}</dd></div>
          <div><dt>Events</dt><dd data-testid="last-sequence">{s.lastSequence}</dd></div>
          <div><dt>Id</dt><dd><CopyId executionId={s.executionId} /></dd></div>
        </dl>
      </header>
      <Outcome view={view} />
      <Files key={`files-${s.executionId}`} executionId={s.executionId} toolCalls={s.toolCalls} ended={ended} />
      {execution.connection.state === 'failed' && (
        <p className="form-error" role="alert">Live updates stopped: {execution.connection.error}</p>
      )}
      <Timeline key={`timeline-${s.executionId}`} view={view} />
      <EventLog view={view} />
    </section>
  );
}
