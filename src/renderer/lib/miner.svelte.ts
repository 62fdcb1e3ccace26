import type { MinerSnapshot } from '../../shared/api.js';
import type { DashboardTransport } from './api.js';

/** The dashboard's state: the latest snapshot pushed from the host, and the actions on it. */
export class Miner {
  snapshot = $state.raw<MinerSnapshot | undefined>(undefined);
  error = $state<string | undefined>(undefined);
  busy = $state(false);
  readonly paused = $derived(this.snapshot?.contribution.state === 'paused');

  constructor(private readonly transport: DashboardTransport) {
    transport.subscribe(
      (s) => {
        this.snapshot = s;
        this.error = undefined;
      },
      (message) => (this.error = message),
    );
  }

  /** Pause or resume; the new state shows at once from the host's answer. */
  async toggle(): Promise<void> {
    this.busy = true;
    try {
      this.snapshot = await (this.paused ? this.transport.resume() : this.transport.pause());
      this.error = undefined;
    } catch (error) {
      this.error = (error as Error).message;
    } finally {
      this.busy = false;
    }
  }
}
