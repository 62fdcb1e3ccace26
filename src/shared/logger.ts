/** Logs go through an injected logger, named per component ('bt:ledger:authority'), never bare console. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  readonly name: string;
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  /** A logger for a sub-component: 'bt:ledger' -> 'bt:ledger:rpc'. */
  child(name: string): Logger;
}

const ORDER: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

/** A logger writing one JSON object per line to `sink`, at `level` and above. */
export function createLogger(name: string, sink: (line: string) => void, level: LogLevel = 'info'): Logger {
  const log = (l: LogLevel) => (message: string, fields?: Record<string, unknown>) => {
    if (ORDER[l] < ORDER[level]) return;
    sink(JSON.stringify({ time: new Date().toISOString(), level: l, name, message, ...fields }));
  };
  return {
    name,
    debug: log('debug'),
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
    child: (sub) => createLogger(`${name}:${sub}`, sink, level),
  };
}

/** A logger that drops everything (tests, library defaults). */
export const silentLogger: Logger = {
  name: 'silent',
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  child: () => silentLogger,
};
