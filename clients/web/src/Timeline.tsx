import { useLayoutEffect, useRef } from 'react';
import type { ExecutionView, TimelineStep } from '@orleans-agent/client';
import { LiveThoughtRow, ThinkingRow, ToolCallRow } from './TimelineSteps';

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

/** The thoughts being written, in order: `thinking:{iteration}` texts that no `thinking` event has replaced yet. */
function liveThoughts(view: ExecutionView): { iteration: number; text: string }[] {
  return Object.entries(view.texts)
    .map(([id, text]) => ({ iteration: Number(/^thinking:(\d+)$/.exec(id)?.[1] ?? NaN), text }))
    .filter(t => Number.isInteger(t.iteration) && t.text.length > 0)
    .sort((a, b) => a.iteration - b.iteration);
}

/**
 * The thinking steps and tool calls as they arrive, and the thoughts still being written after them, in a scroll area
 * of its own so the page around it never moves. It follows new steps only while the reader is at the bottom;
 * scrolling up to read stops the follow.
 */
export function Timeline({ view }: { view: ExecutionView }) {
  const scroller = useRef<HTMLDivElement>(null);
  const following = useRef(true);

  useLayoutEffect(() => {
    const el = scroller.current;
    if (el && following.current) {
      el.scrollTop = el.scrollHeight;
    }
  }, [view.steps, view.texts]);

  const onScroll = () => {
    const el = scroller.current;
    if (el) {
      following.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
    }
  };

  const live = liveThoughts(view);
  const groups = groupByPhase(view);
  const current = view.snapshot.currentPhaseId;
  if (live.length > 0 && (groups.length === 0 || groups[groups.length - 1].phaseId !== current)) {
    // Written in a phase (or the planning) that has no step yet: under its own heading.
    const name = current === null ? 'Planning' : view.snapshot.plan?.phases.find(p => p.id === current)?.name ?? current;
    groups.push({ phaseId: current, name, steps: [] });
  }

  return (
    <div className="timeline" ref={scroller} onScroll={onScroll} data-testid="timeline">
      {view.reset && (
        <p className="notice">The server no longer keeps events before #{view.reset.atSequence} ({view.reset.reason}); the summary is complete, these steps may not be.</p>
      )}
      {view.steps.length === 0 && live.length === 0 && <p className="muted placeholder">Thinking steps and tool calls appear here as they happen.</p>}
      {groups.map((group, i) => (
        <section key={`${group.phaseId}-${group.steps[0]?.sequence ?? 'live'}`} className="phase-group">
          <h3>{group.name}</h3>
          <ol className="steps">
            {group.steps.map(step => (step.kind === 'thinking'
              ? <ThinkingRow key={step.sequence} step={step} />
              : <ToolCallRow key={step.sequence} call={step} />))}
            {i === groups.length - 1 && live.map(t => <LiveThoughtRow key={`live-${t.iteration}`} iteration={t.iteration} text={t.text} />)}
          </ol>
        </section>
      ))}
    </div>
  );
}
