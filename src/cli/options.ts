import { multiaddr } from '@multiformats/multiaddr';
import { InvalidInputError } from '../shared/errors.js';
import { parseAmount } from '../shared/amount.js';
import { decodeAddress } from '../ledger/wallet/index.js';
import { BACKEND_CHOICES, type BackendChoice } from '../shared/training.js';

/** Parses an integer command-line option, at least `min`. */
export function parseIntOption(raw: string, flag: string, min: number): number {
  const value = Number(raw);
  if (!/^-?\d+$/.test(raw.trim()) || !Number.isSafeInteger(value) || value < min) {
    throw new InvalidInputError(flag, `expected an integer >= ${min}, got ${JSON.stringify(raw)}`);
  }
  return value;
}

/** Parses a TCP port option: 0 (any free port) to 65535. */
export function parsePortOption(raw: string, flag: string): number {
  const value = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || value > 65_535) {
    throw new InvalidInputError(
      flag,
      `expected a port from 0 to 65535 (0 picks a free one), got ${JSON.stringify(raw)}`,
    );
  }
  return value;
}

export interface FloatBounds {
  min?: number;
  max?: number;
  /** When true, the value must be strictly above `min`. */
  exclusiveMin?: boolean;
}

/** Parses a finite number option within bounds. */
export function parseFloatOption(raw: string, flag: string, bounds: FloatBounds): number {
  const value = raw.trim() === '' ? Number.NaN : Number(raw);
  const { min, max, exclusiveMin } = bounds;
  const tooLow = min !== undefined && (exclusiveMin ? value <= min : value < min);
  if (!Number.isFinite(value) || tooLow || (max !== undefined && value > max)) {
    const range = [min !== undefined ? `${exclusiveMin ? '>' : '>='} ${min}` : '', max !== undefined ? `<= ${max}` : '']
      .filter(Boolean)
      .join(' and ');
    throw new InvalidInputError(flag, `expected a number${range ? ` ${range}` : ''}, got ${JSON.stringify(raw)}`);
  }
  return value;
}

/** What `--backend` does, for the help of every command that takes it. */
export const BACKEND_HELP = `${BACKEND_CHOICES.join(', ')}: auto runs a self-test on each that loads and trains on the fastest`;

/** Parses a `--backend` option: one of BACKEND_CHOICES. */
export function parseBackendOption(raw: string, flag: string): BackendChoice {
  return parseChoice(raw, flag, BACKEND_CHOICES);
}

/** One of `choices`, or a one-line error naming them. */
export function parseChoice<T extends string>(raw: string, flag: string, choices: readonly T[]): T {
  if (!(choices as readonly string[]).includes(raw)) {
    throw new InvalidInputError(flag, `must be one of ${choices.join(', ')}, got ${JSON.stringify(raw)}`);
  }
  return raw as T;
}

/** Most threads `--threads` takes. */
export const MAX_THREADS = 64;

/** What `--threads` does, for the help of every command that takes it. */
export const THREADS_HELP = `threads that train on a CPU backend (wasm, cpu), 1 to ${MAX_THREADS}: one model replica each, the batch split between them; kept only if the first steps run faster on them than on one`;

/** Parses a `--threads` option: an integer from 1 to MAX_THREADS. */
export function parseThreads(raw: string, flag = '--threads'): number {
  const value = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || value < 1 || value > MAX_THREADS) {
    throw new InvalidInputError(flag, `expected an integer from 1 to ${MAX_THREADS}, got ${JSON.stringify(raw)}`);
  }
  return value;
}

/** Parses a comma-separated option, each item with `item`. */
export function parseListOption<T>(raw: string, flag: string, item: (s: string) => T): T[] {
  const parts = raw.split(',').map((s) => s.trim());
  if (parts.length === 0 || parts.some((p) => p === '')) {
    throw new InvalidInputError(flag, `expected a comma-separated list, got ${JSON.stringify(raw)}`);
  }
  return parts.map(item);
}

/** A peer to dial at start: a multiaddr that ends in the peer's id. */
export function parseBootstrap(address: string, field: string): string {
  let parsed;
  try {
    parsed = multiaddr(address);
  } catch {
    parsed = undefined;
  }
  if (!parsed || parsed.getComponents().every((c) => c.name !== 'p2p')) {
    throw new InvalidInputError(
      field,
      `${JSON.stringify(address)} is not a peer multiaddr; expected one like /ip4/203.0.113.7/tcp/4001/p2p/12D3KooW...`,
    );
  }
  return address;
}

/** --genesis-account ADDRESS:AMOUNT entries (amounts in tokens) as [address, base units]. */
export function parseGenesisAccounts(entries: string[]): Array<[string, bigint]> {
  return entries.map((entry, i): [string, bigint] => {
    const at = entry.lastIndexOf(':');
    if (at < 0) throw new InvalidInputError(`--genesis-account[${i}]`, 'expected ADDRESS:AMOUNT');
    decodeAddress(entry.slice(0, at), `--genesis-account[${i}]`);
    return [entry.slice(0, at), parseAmount(entry.slice(at + 1), `--genesis-account[${i}]`)];
  });
}

/** --ledger's help: what URL it takes. */
export const LEDGER_URL_HELP =
  'ledger RPC URL: an embedded ledger (http://127.0.0.1:9944) or any CometBFT node (http://HOST:26657); several, comma-separated, fail over';
