/**
 * When to try again after a stream connection fails: exponential backoff with a little jitter, up to a fixed
 * number of attempts in a row. A connection that opens resets the count, so the budget is per outage, not per
 * execution: a run that survives ten separate blips still resumes after each of them.
 */
export interface ReconnectPolicy {
  /** Attempts in a row before the stream is reported as failed. */
  maxAttempts: number;
  /** Delay before the first attempt; each next one doubles it. */
  baseDelayMs: number;
  /** Ceiling of the delay. */
  maxDelayMs: number;
  /** Up to this fraction of the delay is taken off at random, so clients cut off together do not return together. */
  jitter: number;
}

export const defaultReconnectPolicy: ReconnectPolicy = { maxAttempts: 5, baseDelayMs: 500, maxDelayMs: 8000, jitter: 0.2 };

/** The delay before attempt `attempt` (1-based), or null once the attempts are used up. */
export function reconnectDelay(policy: ReconnectPolicy, attempt: number, random: () => number = Math.random): number | null {
  if (attempt < 1 || attempt > policy.maxAttempts) {
    return null;
  }
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(exponential * (1 - policy.jitter * random()));
}
