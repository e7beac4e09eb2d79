import { type ExecutionView, resultTextId } from '@orleans-agent/client';
import { Markdown } from './Markdown';

/** Where the execution stands, in words: its phase while it runs; then the whole result, the failure and its code, or who cancelled and why. */
export function Outcome({ view }: { view: ExecutionView }) {
  const s = view.snapshot;
  switch (s.status) {
    case 'completed':
      return (
        <div className="outcome outcome-completed outcome-whole" data-testid="outcome" role="status">
          <strong>Completed.</strong> <Markdown className="outcome-text" text={s.result ?? ''} testId="result" />
        </div>
      );
    case 'failed':
      return (
        <div className="outcome outcome-failed outcome-whole" data-testid="outcome" role="alert">
          <strong>Failed{view.failureCode ? ` (${view.failureCode})` : ''}.</strong> <span className="outcome-text">{s.error}</span>
        </div>
      );
    case 'cancelled':
      return (
        <div className="outcome outcome-cancelled outcome-whole" data-testid="outcome" role="status">
          <strong>Cancelled{view.cancelledBy ? ` by ${view.cancelledBy}` : ''}.</strong> <span className="outcome-text">{s.error}</span>
        </div>
      );
    default: {
      // The same slot while running, so the timeline below does not move when the outcome arrives.
      const phases = s.plan?.phases ?? [];
      const index = phases.findIndex(p => p.id === s.currentPhaseId);
      const answer = view.texts[resultTextId];
      if (answer) {
        return (
          <div className="outcome outcome-running outcome-whole" data-testid="outcome" role="status">
            <strong>Answering:</strong> <span className="outcome-text writing" data-testid="answer-live">{answer}</span>
          </div>
        );
      }
      return (
        <div className="outcome outcome-running" data-testid="outcome" role="status">
          <span className="spinner" aria-hidden />
          {s.status === 'pending' ? 'Starting…'
            : index >= 0 ? `Phase ${index + 1} of ${phases.length}: ${phases[index].name}`
              : phases.length ? 'Between phases…' : 'Planning…'}
        </div>
      );
    }
  }
}
