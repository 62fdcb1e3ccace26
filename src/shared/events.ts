import { oneLine } from './errors.js';
import { FailureLog } from './failure-log.js';
import type { Logger } from './logger.js';

/** A small typed event emitter: one event map per service ('block:new', 'epoch:end', ...). */
export class TypedEvents<M extends Record<string, unknown>> {
  private readonly listeners = new Map<keyof M, Set<(detail: never) => void>>();
  readonly #failed: FailureLog;

  /**
   * `log` hears of a listener that throws, with the event's name: each distinct failure once, every one counted
   * (`failures`), so that none is dropped and a listener that throws on every block is not a flood.
   */
  constructor(log: Pick<Logger, 'error'>) {
    this.#failed = new FailureLog((message, fields) => log.error(message, fields), 'an event listener failed');
  }

  /** Listener calls that threw so far. */
  get failures(): number {
    return this.#failed.count;
  }

  /** Adds a listener; returns a function that removes it. */
  on<K extends keyof M>(event: K, listener: (detail: M[K]) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) {
      set = new Set();
      this.listeners.set(event, set);
    }
    set.add(listener as (detail: never) => void);
    return () => this.off(event, listener);
  }

  off<K extends keyof M>(event: K, listener: (detail: M[K]) => void): void {
    this.listeners.get(event)?.delete(listener as (detail: never) => void);
  }

  /** Calls every listener; a throwing listener does not stop the others, and its error is counted and logged. */
  emit<K extends keyof M>(event: K, detail: M[K]): void {
    for (const listener of [...(this.listeners.get(event) ?? [])]) {
      try {
        (listener as (d: M[K]) => void)(detail);
      } catch (error) {
        this.#failed.record(`'${String(event)}': ${oneLine(error)}`, { event: String(event) });
      }
    }
  }

  removeAll(): void {
    this.listeners.clear();
  }
}
