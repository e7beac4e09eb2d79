import { useEffect, useState } from 'react';
import { useAgentStore, useAgentExecution } from '@orleans-agent/client';
import { useApi } from './ApiContext';
import { ConnectionBadge } from './ConnectionBadge';
import { ExecutionPanel } from './ExecutionPanel';
import { History } from './History';
import { PlanView } from './PlanView';
import { loadExecutionId, loadUser, saveExecutionId, saveUser, type SignedIn } from './session';
import { SignIn } from './SignIn';
import { TaskForm } from './TaskForm';

/** The console: sign in, start a task, watch it live; the execution in the URL is resumed after a reload. */
export function App() {
  const api = useApi();
  const [user, setUser] = useState<SignedIn | null>(loadUser);
  const selectExecution = useAgentStore(s => s.selectExecution);
  const execution = useAgentExecution();
  const executionId = useAgentStore(s => s.currentExecutionId);

  useEffect(() => {
    const resumed = user ? loadExecutionId() : null;
    if (resumed) {
      selectExecution(resumed);
    }
  }, [user, selectExecution]);

  useEffect(() => {
    if (executionId) {
      saveExecutionId(executionId);
    }
  }, [executionId]);

  const signOut = () => {
    saveUser(null);
    saveExecutionId(null);
    selectExecution(null);
    setUser(null);
  };

  return (
    <div className="app">
      <header className="topbar">
        <div className="brand"><span className="logo" aria-hidden>◆</span> Orleans.Agent <span className="muted">console</span></div>
        <div className="topbar-right">
          {/* Only while there is a stream to speak of: an ended run's closed connection says nothing. */}
          {executionId && execution.connection.state !== 'closed' && execution.connection.state !== 'idle' && <ConnectionBadge status={execution.connection} />}
          {user && (
            <span className="user">
              <span data-testid="user">{user.userId}</span>
              <button type="button" className="link" onClick={signOut}>Sign out</button>
            </span>
          )}
        </div>
      </header>
      {user ? (
        <main className="layout">
          <aside className="sidebar">
            <TaskForm busy={execution.isExecuting} error={execution.error} onStart={execution.startExecution} />
            {execution.currentExecution && (
              <PlanView plan={execution.currentExecution.snapshot.plan} ended={!execution.isExecuting} />
            )}
            <History />
          </aside>
          <ExecutionPanel execution={execution} />
        </main>
      ) : (
        <SignIn api={api} onSignedIn={u => { saveUser(u); setUser(u); }} />
      )}
    </div>
  );
}
