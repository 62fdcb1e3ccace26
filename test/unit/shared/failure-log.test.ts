import { describe, expect, it } from 'vitest';
import { TypedEvents } from '../../../src/shared/events.js';
import { FailureLog, MAX_DISTINCT_REASONS } from '../../../src/shared/failure-log.js';

/** A log line sink that keeps what it was given. */
function lines() {
  const out: Array<{ message: string; fields: Record<string, unknown> }> = [];
  return { out, log: (message: string, fields: Record<string, unknown>) => void out.push({ message, fields }) };
}

describe('FailureLog', () => {
  it('counts every failure and logs each distinct reason once, with the count so far', () => {
    const l = lines();
    const failed = new FailureLog(l.log, 'peers could not be asked');
    for (const reason of ['timed out', 'timed out', 'refused', 'timed out', 'refused']) failed.record(reason);
    expect(failed.count).toBe(5);
    expect(l.out).toEqual([
      { message: 'peers could not be asked', fields: { error: 'timed out', failures: 1 } },
      { message: 'peers could not be asked', fields: { error: 'refused', failures: 3 } },
    ]);
  });

  it('a success ends the outage: it says how many failures it held, and the next outage is logged again', () => {
    const l = lines();
    const failed = new FailureLog(l.log, 'cannot write');
    expect(failed.succeeded()).toBe(0);
    for (let i = 0; i < 3; i++) failed.record('disk full');
    expect(failed.succeeded()).toBe(3);
    failed.record('disk full');
    expect(failed.count).toBe(4);
    // The run started over: this outage held one failure.
    expect(failed.succeeded()).toBe(1);
    expect(l.out).toEqual([
      { message: 'cannot write', fields: { error: 'disk full', failures: 1 } },
      { message: 'cannot write', fields: { error: 'disk full', failures: 4 } },
    ]);
  });

  it('remembers a bounded number of reasons: past it, new ones are counted without a line each', () => {
    const l = lines();
    const failed = new FailureLog(l.log, 'x');
    for (let i = 0; i < MAX_DISTINCT_REASONS + 50; i++) failed.record(`reason ${i}`);
    expect(failed.count).toBe(MAX_DISTINCT_REASONS + 50);
    expect(l.out).toHaveLength(MAX_DISTINCT_REASONS + 1);
    expect(l.out.at(-1)!.fields['note']).toMatch(/counted, not logged/);
  });
});

describe('TypedEvents', () => {
  it('counts a throwing listener, logs its failure once, and still calls the others', () => {
    const logged: unknown[] = [];
    const events = new TypedEvents<{ tick: number }>({ error: (m, f) => void logged.push([m, f]) });
    const heard: number[] = [];
    events.on('tick', () => {
      throw new Error('boom');
    });
    events.on('tick', (n) => void heard.push(n));
    for (let i = 1; i <= 3; i++) events.emit('tick', i);
    expect(heard).toEqual([1, 2, 3]);
    expect(events.failures).toBe(3);
    expect(logged).toEqual([['an event listener failed', { event: 'tick', error: "'tick': boom", failures: 1 }]]);
  });
});
