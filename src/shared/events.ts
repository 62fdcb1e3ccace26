import { oneLine } from './errors.js';
import type { Logger } from './logger.js';

/** A small typed event emitter: one event map per service ('block:new', 'epoch:end', ...). */
export class TypedEvents<M extends Record<string, unknown>> {
  private readonly listeners = new Map<keyof M, Set<(detail: never) => void>>();
  /** Listener calls that threw (each is logged). */
  failures = 0;

  /** `log` hears of every listener that throws, with the event's name: no failure is dropped. */
  constructor(private readonly log: Pick<Logger, 'error'>) {}

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

  /** Calls every listener; a throwing listener does not stop the others, and its error is logged. */
  emit<K extends keyof M>(event: K, detail: M[K]): void {
    for (const listener of [...(this.listeners.get(event) ?? [])]) {
      try {
        (listener as (d: M[K]) => void)(detail);
      } catch (error) {
        this.failures++;
        this.log.error(`a listener of '${String(event)}' failed`, { error: oneLine(error) });
      }
    }
  }

  removeAll(): void {
    this.listeners.clear();
  }
}
