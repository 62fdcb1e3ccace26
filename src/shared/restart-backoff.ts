/**
 * When to start again something that keeps dying (the training worker, a peer neuron of the embedded network):
 * after a delay that grows with its failures in a row, until it has failed too often in a row; a run of
 * `stableMs` counts as recovered, and the next failure starts the count over.
 */
export interface RestartPolicy {
  /** Waits before each restart in a row, ms; the last one repeats. */
  delaysMs: readonly number[];
  /** Failures in a row after which it is left stopped. */
  max: number;
  /** A run this long before a failure starts the count of failures in a row over. */
  stableMs: number;
}

/** The restart a failure calls for: its number in the row of failures, and the wait before it. */
export interface Restart {
  attempt: number;
  retryInMs: number;
}

export class RestartBackoff {
  private inRow = 0;
  private startedAt: number | undefined;

  constructor(
    private readonly policy: RestartPolicy,
    private readonly now: () => number = Date.now,
  ) {
    if (policy.delaysMs.length === 0) throw new Error('a restart policy needs at least one delay');
  }

  /** Failures in a row so far. */
  get failures(): number {
    return this.inRow;
  }

  /** It is running (again) from now. */
  started(): void {
    this.startedAt = this.now();
  }

  /** It failed: the restart to make, or undefined once it has failed more than `max` times in a row. */
  failed(): Restart | undefined {
    const stable = this.startedAt !== undefined && this.now() - this.startedAt >= this.policy.stableMs;
    this.inRow = stable ? 1 : this.inRow + 1;
    if (this.inRow > this.policy.max) return undefined;
    const { delaysMs } = this.policy;
    return { attempt: this.inRow, retryInMs: delaysMs[Math.min(this.inRow, delaysMs.length) - 1]! };
  }
}
