import { describe, expect, it } from 'vitest';
import { Admission, AdmissionRefused, type AdmissionInit } from '../../../src/neuron/network/admission.js';

const OPEN: AdmissionInit = { maxConcurrent: 1, maxQueue: 100, perCallerConcurrency: 100, perCallerRate: 1e9 };

/** Lets every settled promise run its continuations. */
const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

const never = () => new AbortController().signal;

/** An acquire whose outcome can be inspected without awaiting it. */
function track(promise: Promise<() => void>) {
  const t = {
    release: undefined as (() => void) | undefined,
    error: undefined as unknown,
    get granted() {
      return t.release !== undefined;
    },
  };
  promise.then(
    (release) => (t.release = release),
    (error: unknown) => (t.error = error),
  );
  return t;
}

async function refusal(promise: Promise<unknown>): Promise<AdmissionRefused> {
  const error = await promise.then(
    () => new Error('admitted'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AdmissionRefused);
  return error as AdmissionRefused;
}

describe('Admission', () => {
  it('runs at most maxConcurrent at once; the rest wait', async () => {
    const a = new Admission({ ...OPEN, maxConcurrent: 2 });
    const first = track(a.acquire('p1', 0, never()));
    const second = track(a.acquire('p2', 0, never()));
    const third = track(a.acquire('p3', 0, never()));
    await flush();
    expect([first.granted, second.granted, third.granted]).toEqual([true, true, false]);
    expect(a.load).toEqual({ running: 2, waiting: 1 });
    first.release!();
    await flush();
    expect(third.granted).toBe(true);
    expect(a.load).toEqual({ running: 2, waiting: 0 });
    second.release!();
    third.release!();
    expect(a.load).toEqual({ running: 0, waiting: 0 });
  });

  it('serves waiters by priority, highest stake first, first come first served among equals', async () => {
    const a = new Admission(OPEN);
    const holder = track(a.acquire('holder', 0, never()));
    await flush();
    const order: string[] = [];
    const waiters = (
      [
        ['low-a', 1],
        ['high-a', 5],
        ['mid', 3],
        ['unknown', -1],
        ['high-b', 5],
        ['low-b', 1],
        ['zero', 0],
      ] as const
    ).map(([name, priority]) =>
      a.acquire(name, priority, never()).then((release) => {
        order.push(name);
        // Each is released only after the next tick, so the queue decides every hand-over.
        setImmediate(release);
      }),
    );
    await flush();
    expect(a.load).toEqual({ running: 1, waiting: 7 });
    holder.release!();
    await Promise.all(waiters);
    expect(order).toEqual(['high-a', 'high-b', 'mid', 'low-a', 'low-b', 'zero', 'unknown']);
    await flush();
    expect(a.load).toEqual({ running: 0, waiting: 0 });
  });

  it('refuses as overloaded when the queue is full, and queues again once there is room', async () => {
    const a = new Admission({ ...OPEN, maxQueue: 2 });
    const holder = track(a.acquire('h', 0, never()));
    const w1 = track(a.acquire('w1', 0, never()));
    const w2 = track(a.acquire('w2', 0, never()));
    const error = await refusal(a.acquire('w3', 1000, never()));
    expect(error.reason).toBe('overloaded');
    expect(error.message).toMatch(/busy/);
    expect(a.load).toEqual({ running: 1, waiting: 2 });
    holder.release!();
    await flush();
    expect(w1.granted).toBe(true);
    const w4 = track(a.acquire('w4', 0, never()));
    await flush();
    expect(w4.error).toBeUndefined();
    expect(a.load).toEqual({ running: 1, waiting: 2 });
    w1.release!();
    await flush();
    expect(w2.granted).toBe(true);
  });

  it('limits requests in progress or waiting per caller', async () => {
    const a = new Admission({ ...OPEN, perCallerConcurrency: 2 });
    const running = track(a.acquire('greedy', 0, never()));
    const waiting = track(a.acquire('greedy', 0, never()));
    await flush();
    expect([running.granted, waiting.granted]).toEqual([true, false]);
    const error = await refusal(a.acquire('greedy', 100, never()));
    expect(error.reason).toBe('overloaded');
    expect(error.message).toMatch(/2 requests at once per caller/);
    // Others are not affected.
    const other = track(a.acquire('other', 0, never()));
    await flush();
    expect(other.error).toBeUndefined();
    running.release!();
    await flush();
    expect(waiting.granted).toBe(true);
    // One in progress again: a second is allowed.
    const again = track(a.acquire('greedy', 0, never()));
    await flush();
    expect(again.error).toBeUndefined();
  });

  it('limits the request rate per caller with a token bucket (burst of one second)', async () => {
    let now = 1000;
    const a = new Admission({ ...OPEN, maxConcurrent: 100, perCallerRate: 4 }, () => now);
    const take = async (caller: string) => (await a.acquire(caller, 0, never()))();
    for (let i = 0; i < 4; i++) await take('fast');
    const error = await refusal(take('fast'));
    expect(error.reason).toBe('overloaded');
    expect(error.message).toMatch(/4 requests per second per caller/);
    await take('slow'); // per caller
    now += 249; // 0.996 tokens
    await refusal(take('fast'));
    now += 2; // 1.004 tokens
    await take('fast');
    await refusal(take('fast'));
    now += 60_000; // refills to the burst, not beyond
    for (let i = 0; i < 4; i++) await take('fast');
    await refusal(take('fast'));
  });

  it('a waiter whose signal fires leaves the queue, frees its per-caller place and never gets a slot', async () => {
    const a = new Admission({ ...OPEN, perCallerConcurrency: 1 });
    const holder = track(a.acquire('h', 0, never()));
    const impatient = new AbortController();
    const w1 = a.acquire('impatient', 10, impatient.signal);
    const w2 = track(a.acquire('patient', 1, never()));
    await flush();
    expect(a.load.waiting).toBe(2);
    impatient.abort();
    const error = await refusal(w1);
    expect(error.reason).toBe('timeout');
    expect(a.load).toEqual({ running: 1, waiting: 1 });
    // The slot goes to the remaining waiter, not to the one that left.
    holder.release!();
    await flush();
    expect(w2.granted).toBe(true);
    // The impatient caller may queue again (its place was freed).
    const retry = track(a.acquire('impatient', 10, never()));
    await flush();
    expect(retry.error).toBeUndefined();
    expect(a.load).toEqual({ running: 1, waiting: 1 });
  });

  it('an already fired signal refuses at once when the request would wait', async () => {
    const a = new Admission(OPEN);
    track(a.acquire('h', 0, never()));
    const aborted = AbortSignal.abort();
    expect((await refusal(a.acquire('late', 0, aborted))).reason).toBe('timeout');
    expect(a.load).toEqual({ running: 1, waiting: 0 });
  });

  it('a released slot stays taken until it passes to the best waiter: a newcomer cannot slip in', async () => {
    const a = new Admission(OPEN);
    const holder = track(a.acquire('h', 0, never()));
    const waiter = track(a.acquire('waiter', 0, never()));
    await flush();
    holder.release!();
    // Synchronously after the release, before the hand-over: a newcomer of the same stake arrives.
    const newcomer = track(a.acquire('newcomer', 0, never()));
    expect(a.load.running).toBe(1);
    await flush();
    expect(waiter.granted).toBe(true);
    expect(newcomer.granted).toBe(false);
    expect(a.load).toEqual({ running: 1, waiting: 1 });
    waiter.release!();
    await flush();
    expect(newcomer.granted).toBe(true);
    newcomer.release!();
    expect(a.load).toEqual({ running: 0, waiting: 0 });
  });

  it('hands a slot over on a later turn of the event loop: arrivals meanwhile are ranked, timers fire', async () => {
    // A synchronous model holds its slot without yielding; were the slot handed over within the same chain
    // of microtasks, the whole queue would drain before a request arriving meanwhile could even be read, and
    // before any waiter's timeout could fire.
    const a = new Admission(OPEN);
    const holder = track(a.acquire('h', 0, never()));
    const order: string[] = [];
    // 'late' waits behind 'busy', which queues again each time it is served, so that the slot never goes free
    // until late's deadline (a timer started while 'first' runs) has fired: the timer fires only if the queue
    // yields to the event loop between hand-overs, however long that takes. Hand-overs that never yield would go
    // round without end: CAP stops them, and 'late' is then served instead of timing out.
    const CAP = 100_000;
    let rounds = 0;
    let lateGone = false;
    let drained!: () => void;
    const done = new Promise<void>((resolve) => (drained = resolve));
    const deadline = new AbortController();
    const serve = (name: string, priority: number, signal = never()): Promise<void> =>
      a.acquire(name, priority, signal).then(
        (release) => {
          order.push(name);
          if (name === 'first') {
            setImmediate(() => void serve('rich', 100)); // arrives "from the network"
            setTimeout(() => deadline.abort(), 0);
          }
          if (name === 'busy') {
            if (!lateGone && ++rounds < CAP) void serve('busy', 1);
            else drained();
          }
          release(); // synchronous work done, without yielding
        },
        () => {
          lateGone = true;
          order.push(`${name} timed out`);
        },
      );
    void serve('first', 1);
    void serve('busy', 1);
    void serve('late', 0, deadline.signal);
    await flush();
    holder.release!();
    await done;
    expect(rounds).toBeLessThan(CAP);
    // 'rich', arrived while 'first' ran, was ranked before 'busy', already queued.
    expect(order.filter((name) => name !== 'late timed out').slice(0, 2)).toEqual(['first', 'rich']);
    // The timer fired while 'busy' still waited for the slot ahead of 'late', which never got it.
    expect(order).toContain('late timed out');
    expect(order).not.toContain('late');
    expect(order.at(-1)).toBe('busy');
    expect(a.load).toEqual({ running: 0, waiting: 0 });
  });

  it('a release called twice gives back one slot', async () => {
    const a = new Admission({ ...OPEN, maxConcurrent: 2 });
    const first = track(a.acquire('a', 0, never()));
    const second = track(a.acquire('b', 0, never()));
    await flush();
    first.release!();
    first.release!();
    expect(a.load.running).toBe(1);
    const w1 = track(a.acquire('c', 0, never()));
    const w2 = track(a.acquire('d', 0, never()));
    await flush();
    expect([w1.granted, w2.granted]).toEqual([true, false]);
    second.release!();
  });

  it('keeps the limits of the caller whose arrival makes it forget idle callers', async () => {
    const a = new Admission({ ...OPEN, maxConcurrent: 20_000, perCallerConcurrency: 1 });
    for (let i = 0; i < 10_000; i++) (await a.acquire(`idle-${i}`, 0, never()))();
    const held = await a.acquire('x', 0, never()); // the 10,001st caller: idle ones are forgotten now
    expect((await refusal(a.acquire('x', 0, never()))).reason).toBe('overloaded');
    held();
  });
});
