import { useLayoutEffect, useRef, useState } from 'react';
import type { ExecutionView, TimelineStep } from '@orleans-agent/client';
import { LiveThoughtRow, ThinkingRow, ToolCallRow } from './TimelineSteps';

interface PhaseGroup { key: string; phaseId: string | null; name: string; steps: TimelineStep[] }

/** The most recent steps the page renders at first; a long run's earlier ones come on request (each costs layout). */
const stepsShown = 200;

/**
 * Consecutive steps of the same phase form one group, headed by the phase's name, without the first `hidden` steps.
 * A group's key is its first step's sequence, hidden or not, so a group keeps its rows while the window slides.
 */
function groupByPhase(view: ExecutionView, hidden: number): PhaseGroup[] {
  const names = new Map(view.snapshot.plan?.phases.map(p => [p.id, p.name]) ?? []);
  const groups: PhaseGroup[] = [];
  view.steps.forEach((step, i) => {
    let last = groups.at(-1);
    if (!last || last.phaseId !== step.phaseId) {
      last = { key: `${step.phaseId}-${step.sequence}`, phaseId: step.phaseId, name: step.phaseId === null ? 'Planning' : names.get(step.phaseId) ?? step.phaseId, steps: [] };
      groups.push(last);
    }
    if (i >= hidden) {
      last.steps.push(step);
    }
  });
  return groups.filter(g => g.steps.length > 0);
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
  const [shown, setShown] = useState(stepsShown);
  const hidden = Math.max(0, view.steps.length - shown);

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
  const groups = groupByPhase(view, hidden);
  const current = view.snapshot.currentPhaseId;
  if (live.length > 0 && (groups.length === 0 || groups[groups.length - 1].phaseId !== current)) {
    // Written in a phase (or the planning) that has no step yet: under its own heading.
    const name = current === null ? 'Planning' : view.snapshot.plan?.phases.find(p => p.id === current)?.name ?? current;
    groups.push({ key: `${current}-live`, phaseId: current, name, steps: [] });
  }

  return (
    <div className="timeline" ref={scroller} onScroll={onScroll} data-testid="timeline">
      {view.reset && (
        <p className="notice">The server no longer keeps events before #{view.reset.atSequence} ({view.reset.reason}); the summary is complete, these steps may not be.</p>
      )}
      {hidden > 0 && (
        <button type="button" className="link earlier" onClick={() => { following.current = false; setShown(n => n + stepsShown); }}>
          Show earlier steps ({hidden} not shown)
        </button>
      )}
      {view.steps.length === 0 && live.length === 0 && <p className="muted placeholder">Thinking steps and tool calls appear here as they happen.</p>}
      {groups.map((group, i) => (
        <section key={group.key} className="phase-group">
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
