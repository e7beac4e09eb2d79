import type { ExecutionPlan } from '@orleans-agent/client';

const icons = { pending: '○', running: '◐', completed: '●' } as const;

/** The plan's phases with their live statuses; before the plan arrives, a placeholder of the same height. */
export function PlanView({ plan, ended }: { plan: ExecutionPlan | null; ended: boolean }) {
  return (
    <section className="card plan" aria-label="Plan">
      <h2>Plan</h2>
      {plan ? (
        <>
          <p className="goal">{plan.goal}</p>
          <ol className="phases">
            {plan.phases.map((phase, i) => {
              // When the execution ended, a running phase was cut short and a pending one will never run.
              const status = !ended || phase.status === 'completed' ? phase.status
                : phase.status === 'running' ? 'stopped' : 'not run';
              return (
                <li key={phase.id} className={`phase phase-${status.replace(' ', '-')}`} data-testid="phase" data-phase-id={phase.id} data-status={phase.status}>
                  <span className="phase-icon" aria-hidden>{status === phase.status ? icons[phase.status] : '–'}</span>
                  <span className="phase-name"><span className="muted">{i + 1}.</span> {phase.name}</span>
                  <span className="phase-status">{status}</span>
                </li>
              );
            })}
          </ol>
        </>
      ) : (
        <p className="muted placeholder">Waiting for the plan…</p>
      )}
    </section>
  );
}
