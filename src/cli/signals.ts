/**
 * Installs SIGTERM and SIGINT handlers that run `stop` once; resolves when it has finished. Install it
 * before printing a ready line: a supervisor may send SIGTERM as soon as it reads that line.
 */
export function onStopSignal(stop: () => Promise<void>): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const handler = () => {
      process.off('SIGTERM', handler);
      process.off('SIGINT', handler);
      stop().then(resolve, reject);
    };
    process.on('SIGTERM', handler);
    process.on('SIGINT', handler);
  });
}
