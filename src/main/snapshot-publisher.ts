import type { MinerSnapshot } from '../shared/api.js';
import { oneLine } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import { diffSnapshot, type SnapshotPush } from '../shared/snapshot-delta.js';

/** Called with each push and the snapshot it leads to (the tray reads the snapshot, a dashboard gets the push). */
export type PushListener = (push: SnapshotPush, snapshot: MinerSnapshot) => void;

export interface SnapshotPublisherInit {
  /** Changes are pushed at most this often, ms (a burst of training steps and blocks becomes one push). Default 250. */
  minIntervalMs?: number;
}

export interface SnapshotPublisherComponents {
  /** Builds the snapshot of this moment. */
  build(): MinerSnapshot;
  logger: Logger;
}

/**
 * Pushes the host's state to its dashboards when it changes, never on a timer: the first push is the whole
 * snapshot, each later one only what changed since the last (diffSnapshot). Every snapshot the host hands out
 * (an API answer, a new dashboard's first one) is the latest published, so every dashboard's copy plus the
 * pushes that follow is exactly the host's.
 */
export class SnapshotPublisher {
  private last: MinerSnapshot | undefined;
  private readonly listeners = new Set<PushListener>();
  private timer: NodeJS.Timeout | undefined;
  private lastAt = 0;
  private stopped = false;

  constructor(
    private readonly components: SnapshotPublisherComponents,
    private readonly init: SnapshotPublisherInit = {},
  ) {}

  /** Adds a listener; returns a function that removes it. */
  onPush(listener: PushListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The latest published snapshot (published now when there is none yet, or a change waits to be pushed). */
  latest(): MinerSnapshot {
    return this.last && !this.timer ? this.last : this.publishNow();
  }

  /** Something changed: publish soon (at most once per minIntervalMs). */
  changed(): void {
    if (this.timer || this.stopped) return;
    const wait = Math.max(0, this.lastAt + (this.init.minIntervalMs ?? 250) - Date.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.publishNow();
    }, wait);
    this.timer.unref();
  }

  /** Builds the snapshot now, pushes what changed to every listener, and returns it. */
  publishNow(): MinerSnapshot {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.lastAt = Date.now();
    const next = this.components.build();
    const prev = this.last;
    this.last = next;
    const diff = prev ? diffSnapshot(prev, next) : 'whole';
    if (diff === null) return next;
    const push: SnapshotPush = diff === 'whole' ? { type: 'snapshot', snapshot: next } : { type: 'delta', delta: diff };
    for (const listener of [...this.listeners]) {
      try {
        listener(push, next);
      } catch (error) {
        this.components.logger.error('a snapshot listener failed', { error: oneLine(error) });
      }
    }
    return next;
  }

  /** Pushes nothing more. Safe to call twice. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.listeners.clear();
  }
}
