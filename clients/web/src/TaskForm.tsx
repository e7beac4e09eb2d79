import { useState, type FormEvent } from 'react';

const sampleTask = 'Create a landing page for a coffee shop';
const sampleWorkload = '{"workload": {"phases": 3, "steps": 10, "delayMs": 500, "thoughtBytes": 200}}';

interface TaskFormProps {
  busy: boolean;
  error: string | null;
  onStart: (task: string, context?: Record<string, unknown>) => Promise<string | null>;
}

/** A task and an optional JSON context (e.g. a synthetic workload); Ctrl+Enter starts it. */
export function TaskForm({ busy, error, onStart }: TaskFormProps) {
  const [task, setTask] = useState(sampleTask);
  const [contextText, setContextText] = useState('');
  const [contextError, setContextError] = useState<string | null>(null);
  const [starting, setStarting] = useState(false);

  const submit = async (e?: FormEvent) => {
    e?.preventDefault();
    let context: Record<string, unknown> | undefined;
    if (contextText.trim()) {
      try {
        context = JSON.parse(contextText) as Record<string, unknown>;
      } catch {
        setContextError('The context must be a JSON object.');
        return;
      }
    }
    setContextError(null);
    setStarting(true);
    try {
      await onStart(task.trim(), context);
    } finally {
      setStarting(false);
    }
  };

  return (
    <form className="card task-form" onSubmit={submit}>
      <h2>New task</h2>
      <label htmlFor="task">Task</label>
      <textarea
        id="task" rows={4} value={task} onChange={e => setTask(e.target.value)}
        onKeyDown={e => { if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { void submit(); } }}
      />
      <details className="context">
        <summary>Context (JSON, optional)</summary>
        <textarea
          id="context" aria-label="Context" rows={3} value={contextText} placeholder={sampleWorkload}
          onChange={e => setContextText(e.target.value)} spellCheck={false}
        />
        <button type="button" className="link" onClick={() => setContextText(sampleWorkload)}>Use a synthetic workload</button>
      </details>
      {(contextError ?? error) && <p className="form-error" role="alert">{contextError ?? error}</p>}
      <button type="submit" className="primary" disabled={starting || !task.trim()}>
        {busy ? 'Start another' : 'Start'}
      </button>
    </form>
  );
}
