import { createWriteStream, type WriteStream } from 'node:fs';
import { oneLine } from '../shared/errors.js';

/** Options of a LogFile. */
export interface LogFileInit {
  /** The file, appended to (made when missing). */
  path: string;
  /** File mode when it is made (default 0o644). */
  mode?: number;
  /** After a failed write, how long writes are dropped before the file is opened again, ms (default 5,000). */
  retryMs?: number;
}

/** What a LogFile uses. */
export interface LogFileComponents {
  /** Clock for retryMs (default Date.now). */
  now?: () => number;
  /** Told once per outage why the file cannot be written (a full disk, say); nothing is thrown. */
  onError?: (error: Error) => void;
}

/**
 * An append-only log file that a failed write cannot take down: a plain write stream emits 'error' on a full
 * disk, which ends the process when nobody listens and leaves a dead stream when somebody does. Here a failed
 * write closes the stream; what comes in the next retryMs is dropped and counted, then the file is opened
 * again, and the first line written after an outage says how many writes were lost and why.
 */
export class LogFile {
  #stream: WriteStream | undefined;
  #failedAt: number | undefined;
  /** Why the file cannot be written, while an outage lasts ('' otherwise). */
  #failure = '';
  /** Writes lost since the last line that said so. */
  #lost = 0;
  #lostWrites = 0;
  #ended = false;
  readonly #now: () => number;

  constructor(
    private readonly init: LogFileInit,
    private readonly components: LogFileComponents = {},
  ) {
    this.#now = components.now ?? Date.now;
  }

  /** Writes lost so far, over every outage. */
  get lostWrites(): number {
    return this.#lostWrites;
  }

  /** Appends text (or a stderr chunk); never throws. Dropped, and counted, while the file cannot be written. */
  write(chunk: string | Uint8Array): void {
    if (this.#ended) return;
    if (this.#failedAt !== undefined) {
      if (this.#now() - this.#failedAt < (this.init.retryMs ?? 5_000)) return this.#lose(1);
      this.#failedAt = undefined;
    }
    let stream = this.#stream;
    if (!stream) {
      stream = this.#open();
      if (this.#lost > 0) {
        const lost = this.#lost;
        this.#lost = 0;
        const why = this.#failure ? ` (${this.#failure})` : '';
        stream.write(`[log: ${lost} writes lost here; the file could not be written${why}]\n`, (error) => {
          if (error) this.#lost += lost;
        });
      }
    }
    stream.write(chunk, (error) => {
      if (error) this.#lose(1);
      else this.#failure = ''; // written: the outage, if any, is over
    });
  }

  /** Flushes and closes the file; later writes are ignored. Safe to call twice. */
  async end(): Promise<void> {
    this.#ended = true;
    const stream = this.#stream;
    this.#stream = undefined;
    // Resolved once the file is closed: a write failing on the way has been reported by then.
    if (stream && !stream.closed)
      await new Promise<void>((resolve) => {
        stream.once('close', resolve);
        stream.end();
      });
  }

  #lose(writes: number): void {
    this.#lost += writes;
    this.#lostWrites += writes;
  }

  #open(): WriteStream {
    const stream = createWriteStream(this.init.path, { flags: 'a', mode: this.init.mode ?? 0o644 });
    stream.on('error', (error) => {
      // The failed write and every one queued behind it come back to their callbacks with an error (counted).
      if (this.#stream === stream) this.#stream = undefined;
      this.#failedAt ??= this.#now();
      if (this.#failure === '') this.components.onError?.(error);
      this.#failure = oneLine(error);
    });
    this.#stream = stream;
    return stream;
  }
}
