import { describeConnection, type ConnectionStatus } from '@orleans-agent/client';

/** The stream's state at a glance; the title says why it is reconnecting or failed. */
export function ConnectionBadge({ status }: { status: ConnectionStatus }) {
  const title = status.state === 'failed' ? status.error
    : status.state === 'reconnecting' ? `${status.cause}; next try in ${(status.retryInMs / 1000).toFixed(1)} s`
      : undefined;
  return (
    <span className={`badge connection connection-${status.state}`} data-testid="connection" data-state={status.state} title={title}>
      <span className="dot" aria-hidden />
      {describeConnection(status)}
    </span>
  );
}
