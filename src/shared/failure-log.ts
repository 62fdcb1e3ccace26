/** Distinct reasons a FailureLog remembers; past this many, a new reason is counted without a line of its own. */
export const MAX_DISTINCT_REASONS = 64;

/**
 * Counts the failures of one kind and logs each distinct reason once, with the count so far: a network that
 * stays down, or a listener that throws on every event, is one line per cause, not a flood. Where the caller
 * says when it works again (succeeded()), once per outage. The count is what the dashboard shows.
 */
export class FailureLog {
  #count = 0;
  #run = 0;
  readonly #seen = new Set<string>();

  /** `log` writes one line (a logger's warn or error, bound); `message` says what failed and what it costs. */
  constructor(
    private readonly log: (message: string, fields: Record<string, unknown>) => void,
    private readonly message: string,
  ) {}

  /** Failures recorded so far. */
  get count(): number {
    return this.#count;
  }

  /**
   * The thing works again: the run of failures is over and its reasons are forgotten, so that a later outage is
   * logged again. Returns how many failures that run held (0 when there were none), for a line saying it is back.
   */
  succeeded(): number {
    const run = this.#run;
    this.#run = 0;
    this.#seen.clear();
    return run;
  }

  /** Records a failure; logs it when its reason (a one-line message) was not seen before. */
  record(reason: string, fields: Record<string, unknown> = {}): void {
    this.#count++;
    this.#run++;
    if (this.#seen.has(reason)) return;
    if (this.#seen.size === MAX_DISTINCT_REASONS) {
      this.#seen.add(reason);
      this.log(this.message, {
        ...fields,
        error: reason,
        failures: this.#count,
        note: `over ${MAX_DISTINCT_REASONS} distinct reasons: new ones are counted, not logged`,
      });
      return;
    }
    if (this.#seen.size > MAX_DISTINCT_REASONS) return;
    this.#seen.add(reason);
    this.log(this.message, { ...fields, error: reason, failures: this.#count });
  }
}
