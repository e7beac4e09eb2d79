import type { ExecutionStatus } from '@orleans-agent/client';

const labels: Record<ExecutionStatus, string> = {
  pending: 'Starting',
  running: 'Running',
  completed: 'Completed',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

/** The execution's status: one colour and one word each, fixed width so the header never shifts. */
export function StatusPill({ status, testId = 'status' }: { status: ExecutionStatus; testId?: string }) {
  return <span className={`pill status-${status}`} data-testid={testId}>{labels[status]}</span>;
}
