/** The state of an execution's stream, as the UI shows it. */
export type ConnectionStatus =
  | { state: 'idle' }
  | { state: 'connecting' }
  | { state: 'open' }
  | { state: 'reconnecting'; attempt: number; maxAttempts: number; retryInMs: number; cause: string }
  /** The execution ended (its terminal event arrived) or the caller unsubscribed. */
  | { state: 'closed' }
  /** Gave up: the attempts ran out, or the API answered something that retrying cannot fix. */
  | { state: 'failed'; error: string };

/** "reconnecting 2/5" and friends, for a status badge. */
export function describeConnection(status: ConnectionStatus): string {
  switch (status.state) {
    case 'reconnecting':
      return `reconnecting ${status.attempt}/${status.maxAttempts}`;
    case 'failed':
      return 'failed';
    default:
      return status.state;
  }
}
