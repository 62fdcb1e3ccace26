/**
 * Installs SIGTERM and SIGINT handlers that run `stop` once; resolves when it has finished. Install it
 * before printing a ready line: a supervisor may send SIGTERM as soon as it reads that line. With
 * `stdinEnds`, the end of standard input stops it too: a parent that holds the other end of that pipe and
 * dies (kill -9, a crash) leaves no process of ours running.
 */
export function onStopSignal(stop: () => Promise<void>, options: { stdinEnds?: boolean } = {}): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const handler = () => {
      process.off('SIGTERM', handler);
      process.off('SIGINT', handler);
      process.stdin.off('close', handler);
      stop().then(resolve, reject);
    };
    process.on('SIGTERM', handler);
    process.on('SIGINT', handler);
    if (options.stdinEnds) {
      process.stdin.once('close', handler);
      process.stdin.resume(); // read (and drop) whatever comes, so that the end is seen
    }
  });
}
