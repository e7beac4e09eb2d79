import { describe, expect, it } from 'vitest';
import { defaultReconnectPolicy, reconnectDelay } from '../src/core/reconnectPolicy';

describe('reconnect policy', () => {
  it('doubles the delay from 500 ms up to its ceiling, five attempts by default', () => {
    const delays = [1, 2, 3, 4, 5, 6].map(n => reconnectDelay(defaultReconnectPolicy, n, () => 0));
    expect(delays).toEqual([500, 1000, 2000, 4000, 8000, null]);
  });

  it('caps the delay', () => {
    expect(reconnectDelay({ ...defaultReconnectPolicy, maxAttempts: 10 }, 9, () => 0)).toBe(8000);
  });

  it('takes at most the jitter fraction off, never adds', () => {
    expect(reconnectDelay(defaultReconnectPolicy, 2, () => 1)).toBe(800);
    expect(reconnectDelay(defaultReconnectPolicy, 2, () => 0.5)).toBe(900);
  });

  it('has no attempt 0', () => {
    expect(reconnectDelay(defaultReconnectPolicy, 0)).toBeNull();
  });
});
