/**
 * Who gets served when a neuron is busy: a fixed number of requests run at once; the rest wait in a
 * queue ordered by the caller's stake (as the 2021 axon prioritised), each caller limited in concurrency
 * and in request rate.
 */
export interface AdmissionInit {
  /** Requests served at once, all callers together. */
  maxConcurrent: number;
  /** Requests waiting for a slot; beyond this a request is refused as overloaded. */
  maxQueue: number;
  /** Requests one caller may have in progress or waiting. */
  perCallerConcurrency: number;
  /** Requests per second one caller may start (token bucket, burst of one second). */
  perCallerRate: number;
}

/** Why a request was not admitted. */
export class AdmissionRefused extends Error {
  override name = 'AdmissionRefused';

  constructor(
    readonly reason: 'overloaded' | 'timeout',
    message: string,
  ) {
    super(message);
  }
}

interface Waiter {
  priority: number;
  order: number;
  grant: () => void;
}

interface Bucket {
  tokens: number;
  at: number;
  active: number;
}

export class Admission {
  private running = 0;
  private readonly queue: Waiter[] = [];
  private readonly callers = new Map<string, Bucket>();
  private order = 0;

  constructor(
    private readonly init: AdmissionInit,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Requests running now, and waiting. */
  get load(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.queue.length };
  }

  /**
   * Waits for a slot. Resolves with the function that gives it back; rejects with AdmissionRefused when
   * the caller is over its limits, the queue is full, or `signal` fires first.
   */
  async acquire(caller: string, priority: number, signal: AbortSignal): Promise<() => void> {
    const bucket = this.bucket(caller);
    if (bucket.active >= this.init.perCallerConcurrency) {
      throw new AdmissionRefused('overloaded', `at most ${this.init.perCallerConcurrency} requests at once per caller`);
    }
    if (bucket.tokens < 1) {
      throw new AdmissionRefused('overloaded', `at most ${this.init.perCallerRate} requests per second per caller`);
    }
    bucket.tokens -= 1;
    if (this.running < this.init.maxConcurrent && this.queue.length === 0) return this.start(bucket);
    if (this.queue.length >= this.init.maxQueue)
      throw new AdmissionRefused('overloaded', 'the neuron is busy; try later');
    bucket.active++;
    await new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        priority,
        order: this.order++,
        grant: () => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = () => {
        const i = this.queue.indexOf(waiter);
        if (i >= 0) this.queue.splice(i, 1);
        bucket.active--;
        reject(new AdmissionRefused('timeout', 'timed out waiting for a slot'));
      };
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      // Highest priority first; among equals, first come first served.
      let at = this.queue.length;
      while (at > 0 && this.queue[at - 1]!.priority < priority) at--;
      this.queue.splice(at, 0, waiter);
    });
    bucket.active--;
    return this.start(bucket, true);
  }

  /** Takes a slot (or, for a waiter, the slot its predecessor handed over) and returns its release. */
  private start(bucket: Bucket, handedOver = false): () => void {
    if (!handedOver) this.running++;
    bucket.active++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      bucket.active--;
      if (this.queue.length === 0) {
        this.running--;
        return;
      }
      // The slot stays taken (no newcomer can slip in) and passes to the best waiter on the next turn of the
      // event loop. Handed over at once, a waiter would run in the same chain of microtasks: with a synchronous
      // model the whole queue drained before any I/O or timer ran, so requests arriving meanwhile were not even
      // read (their stake could not count) and waiters' timeouts could not fire.
      setImmediate(() => this.handOver());
    };
  }

  /** Gives a held slot to the best waiter now, or frees it when the waiters have left. */
  private handOver(): void {
    const next = this.queue.shift();
    if (next) next.grant();
    else this.running--;
  }

  private bucket(caller: string): Bucket {
    const t = this.now();
    let b = this.callers.get(caller);
    if (!b) {
      // Forget idle callers before adding this one, so that its own (idle) bucket is not forgotten with them.
      if (this.callers.size >= 10_000) this.forgetIdle();
      b = { tokens: Math.max(1, this.init.perCallerRate), at: t, active: 0 };
      this.callers.set(caller, b);
    } else {
      const burst = Math.max(1, this.init.perCallerRate);
      b.tokens = Math.min(burst, b.tokens + ((t - b.at) / 1000) * this.init.perCallerRate);
      b.at = t;
    }
    return b;
  }

  private forgetIdle(): void {
    for (const [caller, b] of this.callers) if (b.active === 0) this.callers.delete(caller);
  }
}
