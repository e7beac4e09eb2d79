import { useLayoutEffect, useRef } from 'react';
import type { ExecutionView, TimelineStep } from '../core/executionView';
import { ThinkingRow, ToolCallRow } from './TimelineSteps';

interface PhaseGroup { phaseId: string | null; name: string; steps: TimelineStep[] }

/** Consecutive steps of the same phase form one group, headed by the phase's name. */
function groupByPhase(view: ExecutionView): PhaseGroup[] {
  const names = new Map(view.snapshot.plan?.phases.map(p => [p.id, p.name]) ?? []);
  const groups: PhaseGroup[] = [];
  for (const step of view.steps) {
    const last = groups.at(-1);
    if (last && last.phaseId === step.phaseId) {
      last.steps.push(step);
    } else {
      groups.push({ phaseId: step.phaseId, name: step.phaseId === null ? 'Planning' : names.get(step.phaseId) ?? step.phaseId, steps: [step] });
    }
  }
  return groups;
}

/**
 * The thinking steps and tool calls as they arrive, in a scroll area of its own so the page around it never
 * moves. It follows new steps only while the reader is at the bottom; scrolling up to read stops the follow.
 */
export function Timeline({ view }: { view: ExecutionView }) {
  const scroller = useRef<HTMLDivElement>(null);
  const following = useRef(true);

  useLayoutEffect(() => {
    const el = scroller.current;
    if (el && following.current) {
      el.scrollTop = el.scrollHeight;
    }
  }, [view.steps]);

  const onScroll = () => {
    const el = scroller.current;
    if (el) {
      following.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
    }
  };

  return (
    <div className="timeline" ref={scroller} onScroll={onScroll} data-testid="timeline">
      {view.reset && (
        <p className="notice">The server no longer keeps events before #{view.reset.atSequence} ({view.reset.reason}); the summary is complete, these steps may not be.</p>
      )}
      {view.steps.length === 0 && <p className="muted placeholder">Thinking steps and tool calls appear here as they happen.</p>}
      {groupByPhase(view).map(group => (
        <section key={`${group.phaseId}-${group.steps[0].sequence}`} className="phase-group">
          <h3>{group.name}</h3>
          <ol className="steps">
            {group.steps.map(step => (step.kind === 'thinking'
              ? <ThinkingRow key={step.sequence} step={step} />
              : <ToolCallRow key={step.sequence} call={step} />))}
          </ol>
        </section>
      ))}
    </div>
  );
}
