import type { ApiMethod, MinerApi, MinerSnapshot } from '../../shared/api.js';
import type { DashboardTransport } from './api.js';

/** The dashboard's state: the latest snapshot pushed from the host, and the calls on it. */
export class Miner {
  #snapshot = $state.raw<MinerSnapshot | undefined>(undefined);
  #error = $state.raw<string | undefined>(undefined);
  #busy = $state.raw(false);
  readonly #unsubscribe: () => void;
  readonly paused = $derived(this.#snapshot?.contribution.state === 'paused');

  constructor(readonly transport: DashboardTransport) {
    this.#unsubscribe = transport.subscribe(
      (s) => {
        this.#snapshot = s;
        this.#error = undefined;
      },
      (message) => (this.#error = message),
    );
  }

  /** The latest snapshot (undefined until the first arrives). */
  get snapshot(): MinerSnapshot | undefined {
    return this.#snapshot;
  }

  /** The connection's problem (the miner not answering). */
  get error(): string | undefined {
    return this.#error;
  }

  /** True while Pause or Resume is on its way. */
  get busy(): boolean {
    return this.#busy;
  }

  /** Calls the host; the promise rejects with the host's one-line message, for the form that asked. */
  call<M extends ApiMethod>(
    method: M,
    argument?: Parameters<MinerApi[M]>[0],
  ): Promise<Awaited<ReturnType<MinerApi[M]>>> {
    return this.transport.call(method, argument);
  }

  /** Pause or resume; the new state shows at once from the host's answer. */
  async toggle(): Promise<void> {
    this.#busy = true;
    try {
      this.#snapshot = await this.call(this.paused ? 'resume' : 'pause');
      this.#error = undefined;
    } catch (error) {
      this.#error = (error as Error).message;
    } finally {
      this.#busy = false;
    }
  }

  /** Asks for a fresh snapshot now (after a transaction). */
  async refresh(): Promise<void> {
    try {
      this.#snapshot = await this.call('snapshot');
    } catch (error) {
      this.#error = (error as Error).message;
    }
  }

  /** Stops following the host's snapshots (the page is going away). */
  dispose(): void {
    this.#unsubscribe();
  }
}
