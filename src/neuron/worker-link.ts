import type { Worker } from 'node:worker_threads';

/**
 * A worker as its host drives it, whatever runs it: a worker_threads Worker (threadLink), or in the desktop app
 * an Electron utilityProcess behind the same few calls (main/electron/training-process.ts). `Out` is what the
 * host sends, `In` what the worker answers.
 */
export interface WorkerLink<Out, In> {
  post(message: Out): void;
  /** Delivers the worker's messages, its failure and its exit (code) to the host. Called once. */
  listen(handlers: { message(m: In): void; error(e: Error): void; exit(code: number): void }): void;
  /** Ends the worker now. */
  terminate(): Promise<void>;
}

/** A worker_threads Worker behind a link. */
export function threadLink<Out, In>(worker: Worker): WorkerLink<Out, In> {
  return {
    post: (message) => worker.postMessage(message),
    listen(handlers) {
      worker.on('message', (m: In) => handlers.message(m));
      worker.on('error', (error) => handlers.error(error));
      worker.on('exit', (code) => handlers.exit(code));
    },
    terminate: async () => {
      await worker.terminate();
    },
  };
}
