/**
 * Runs an async task over and over until stopped: never two runs at once, one start every `intervalMs`
 * (a slow run shortens the wait before the next instead of piling runs up). Errors are the task's to handle.
 */
export class PeriodicTask {
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private inFlight: Promise<void> = Promise.resolve();

  constructor(
    private readonly task: () => Promise<void>,
    private readonly intervalMs: number,
  ) {}

  /** Starts the runs; the first after one interval, or at once with `immediately`. Safe to call twice. */
  start(immediately = false): void {
    if (this.running) return;
    this.running = true;
    this.schedule(immediately ? 0 : this.intervalMs);
  }

  /** Stops scheduling and waits for a run in progress. Safe to call twice. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.inFlight;
  }

  get active(): boolean {
    return this.running;
  }

  private schedule(delay: number): void {
    if (!this.running) return;
    this.timer = setTimeout(() => {
      const started = Date.now();
      this.inFlight = this.task().finally(() => this.schedule(Math.max(0, this.intervalMs - (Date.now() - started))));
    }, delay);
  }
}
