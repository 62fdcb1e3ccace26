import { describe, expect, it } from 'vitest';
import { RestartBackoff } from '../../../src/shared/restart-backoff.js';

describe('RestartBackoff', () => {
  const clock = () => {
    let t = 1_000;
    return { now: () => t, pass: (ms: number) => (t += ms) };
  };

  it('waits longer after each failure in a row, repeats the last delay, and gives up after max', () => {
    const { now } = clock();
    const backoff = new RestartBackoff({ delaysMs: [10, 20, 30], max: 4, stableMs: 1_000 }, now);
    backoff.started();
    const plans = [1, 2, 3, 4].map(() => backoff.failed());
    expect(plans).toEqual([
      { attempt: 1, retryInMs: 10 },
      { attempt: 2, retryInMs: 20 },
      { attempt: 3, retryInMs: 30 },
      { attempt: 4, retryInMs: 30 },
    ]);
    expect(backoff.failed()).toBeUndefined();
    expect(backoff.failures).toBe(5);
  });

  it('starts the count over after a stable run, not after a short one', () => {
    const { now, pass } = clock();
    const backoff = new RestartBackoff({ delaysMs: [10, 20, 30], max: 3, stableMs: 1_000 }, now);
    backoff.started();
    backoff.failed();
    backoff.started();
    pass(999);
    expect(backoff.failed()).toEqual({ attempt: 2, retryInMs: 20 });
    backoff.started();
    pass(1_000);
    expect(backoff.failed()).toEqual({ attempt: 1, retryInMs: 10 });
  });

  it('counts a failure before any start as one in a row', () => {
    const backoff = new RestartBackoff({ delaysMs: [5], max: 1, stableMs: 0 });
    expect(backoff.failed()).toEqual({ attempt: 1, retryInMs: 5 });
    expect(backoff.failed()).toBeUndefined();
  });

  it('refuses a policy without delays', () => {
    expect(() => new RestartBackoff({ delaysMs: [], max: 1, stableMs: 0 })).toThrow(/at least one delay/);
  });
});
