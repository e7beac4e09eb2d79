import { useMemo } from 'react';
import type { ExecutionView } from '@orleans-agent/client';

/** Consecutive sequences as one run ("1–523"): a gap, a repeat or a step back starts a new run, so each shows. */
function runsOf(sequences: readonly number[]): { from: number; to: number }[] {
  const runs: { from: number; to: number }[] = [];
  for (const s of sequences) {
    const last = runs.at(-1);
    if (last && s === last.to + 1) {
      last.to = s;
    } else {
      runs.push({ from: s, to: s });
    }
  }
  return runs;
}

/** Every sequence received, in order, as runs: a reader (or a test) can check there is no gap and no repeat. */
export function EventLog({ view }: { view: ExecutionView }) {
  const last = view.snapshot.lastSequence;
  const runs = useMemo(() => runsOf(view.sequences), [view.sequences]);
  const complete = view.reset === null && view.sequences.length === last && runs.length === 1 && runs[0].from === 1;
  return (
    <details className="event-log">
      <summary>
        Events received: <span data-testid="event-count">{view.sequences.length}</span> of {last}
        {complete ? ' · gapless' : ''}
      </summary>
      <ol className="sequences" data-testid="sequences">
        {runs.map(r => <li key={`${r.from}-${r.to}`} data-from={r.from} data-to={r.to}>{r.from === r.to ? r.from : `${r.from}–${r.to}`}</li>)}
      </ol>
    </details>
  );
}
