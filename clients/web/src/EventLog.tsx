import type { ExecutionView } from '@orleans-agent/client';

/** Every sequence received, in order: a reader (or a test) can check there is no gap and no repeat. */
export function EventLog({ view }: { view: ExecutionView }) {
  const last = view.snapshot.lastSequence;
  const complete = view.reset === null && view.sequences.length === last && view.sequences.every((s, i) => s === i + 1);
  return (
    <details className="event-log">
      <summary>
        Events received: <span data-testid="event-count">{view.sequences.length}</span> of {last}
        {complete ? ' · gapless' : ''}
      </summary>
      <ol className="sequences" data-testid="sequences">
        {view.sequences.map(s => <li key={s} data-seq={s}>{s}</li>)}
      </ol>
    </details>
  );
}
