import { STOP_WITH_STDIN } from '../shared/child-env.js';

/**
 * Installs SIGTERM and SIGINT handlers that run `stop` once; resolves when it has finished. Install it
 * before printing a ready line: a supervisor may send SIGTERM as soon as it reads that line. Where the
 * environment sets STOP_WITH_STDIN, the end of standard input stops it too.
 */
export function onStopSignal(stop: () => Promise<void>): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const watchStdin = process.env[STOP_WITH_STDIN] === '1';
    const handler = () => {
      process.off('SIGTERM', handler);
      process.off('SIGINT', handler);
      if (watchStdin) {
        process.stdin.off('end', handler);
        process.stdin.off('close', handler);
      }
      stop().then(resolve, reject);
    };
    process.on('SIGTERM', handler);
    process.on('SIGINT', handler);
    if (watchStdin) {
      // 'end' when the parent closed its end; 'close' when the pipe broke (a socket pair half-closed ends
      // without closing).
      process.stdin.once('end', handler);
      process.stdin.once('close', handler);
      process.stdin.resume(); // read (and drop) whatever comes, so that the end is seen
      // Watched, not waited on: once stopped (by a signal) the process exits although its input is still open.
      (process.stdin as { unref?: () => void }).unref?.();
    }
  });
}
