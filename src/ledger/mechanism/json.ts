import { InvalidInputError } from '../../shared/errors.js';
import { DEFAULT_EIGENTRUST_PARAMS, type EigentrustParams } from './eigentrust.js';
import { MECHANISM_NAMES, type EpochRequest, type EpochsOutcome, type MechanismName } from './run.js';
import { columnSums, CsrBuilder, csrToDense, csrToRows, type CsrMatrix } from './sparse.js';
import { sum } from './vector.js';
import { DEFAULT_YUMA_PARAMS, type YumaParams } from './yuma.js';

/**
 * The JSON form of an epoch request and its result, as the `mechanism epoch` command reads and prints them.
 * Parsing validates everything and names the offending field in an InvalidInputError.
 */

/** How a matrix was written: an n x n array, or {"rows": [[[j, w], ...], ...]}. */
export type MatrixFormat = 'dense' | 'rows';

export interface ParsedEpochRequest {
  request: EpochRequest;
  /** The format the weights came in; bonds are printed in it. */
  matrixFormat: MatrixFormat;
}

/**
 * The most epochs one request may run: each epoch costs O(n + nnz(weights)), and a request must answer in
 * seconds, not run for hours with no progress.
 */
export const MAX_EPOCH_BLOCKS = 100_000;

/** The request's top-level fields; any other is refused. */
const REQUEST_FIELDS = ['mechanism', 'params', 'stake', 'weights', 'bonds', 'active', 'selfWeights', 'blocks'];

type Check = (value: number) => string | undefined;
const nonNegative: Check = (v) => (v >= 0 ? undefined : 'must be >= 0');
const anyFinite: Check = () => undefined;
const unitInterval: Check = (v) => (v >= 0 && v <= 1 ? undefined : 'must be between 0 and 1');
const nonNegativeInteger: Check = (v) => (Number.isInteger(v) && v >= 0 ? undefined : 'must be an integer >= 0');

const PARAM_CHECKS: Record<keyof YumaParams | keyof EigentrustParams, Check> = {
  rho: nonNegative,
  kappa: anyFinite,
  bondsAlpha: unitInterval,
  trustThreshold: anyFinite,
  emission: nonNegative,
  depth: nonNegativeInteger,
};

/** Validates a parsed JSON value as an epoch request. Throws InvalidInputError naming the field. */
export function parseEpochRequest(value: unknown): ParsedEpochRequest {
  const obj = expectObject(value, 'input');
  rejectUnknownKeys(obj, REQUEST_FIELDS, (key) => [key, 'unknown field']);
  const mechanism = parseMechanism(obj['mechanism']);
  const stake = parseVector(obj['stake'], 'stake', undefined);
  const n = stake.length;
  if (n === 0) throw new InvalidInputError('stake', 'must list at least one peer');
  const { matrix: weights, format: matrixFormat } = parseMatrix(obj['weights'], 'weights', n);
  const blocks = obj['blocks'] === undefined ? 1 : parseNumber(obj['blocks'], 'blocks', isBlockCount);
  const params = parseParams(obj['params']);

  let request: EpochRequest;
  if (mechanism === 'eigentrust') {
    if (obj['selfWeights'] === undefined) throw new InvalidInputError('selfWeights', 'is required for eigentrust');
    request = {
      mechanism,
      stake,
      weights,
      blocks,
      selfWeights: parseSelfWeights(obj['selfWeights'], stake),
      params: { ...DEFAULT_EIGENTRUST_PARAMS, ...pick(params, ['depth', 'emission']) },
    };
  } else {
    request = {
      mechanism,
      stake,
      weights,
      blocks,
      bonds: obj['bonds'] === undefined ? undefined : parseBonds(obj['bonds'], n),
      active: obj['active'] === undefined ? undefined : parseActive(obj['active'], n),
      params: { ...DEFAULT_YUMA_PARAMS, ...pick(params, ['rho', 'kappa', 'bondsAlpha', 'trustThreshold', 'emission']) },
    };
  }
  checkTotalStake(sum(stake), blocks, request.params.emission);
  return { request, matrixFormat };
}

/** The printable result: every field named by the CLI contract. */
export function formatEpochOutcome(outcome: EpochsOutcome, matrixFormat: MatrixFormat, timingMs: number): object {
  const common = {
    emissionShare: Array.from(outcome.last.emissionShare),
    emission: Array.from(outcome.last.emission),
    stake: Array.from(outcome.stake),
  };
  if (outcome.mechanism === 'eigentrust') return { mechanism: outcome.mechanism, ...common, timingMs };
  const r = outcome.last;
  return {
    mechanism: outcome.mechanism,
    rank: Array.from(r.rank),
    trust: Array.from(r.trust),
    consensus: Array.from(r.consensus),
    incentive: Array.from(r.incentive),
    dividends: Array.from(r.dividends),
    ...common,
    bonds: formatMatrix(r.bonds, matrixFormat),
    loss: r.loss,
    timingMs,
  };
}

/** A matrix in the given JSON format. */
export function formatMatrix(
  m: CsrMatrix,
  format: MatrixFormat,
): number[][] | { rows: Array<Array<[number, number]>> } {
  return format === 'dense' ? csrToDense(m) : { rows: csrToRows(m) };
}

function parseMechanism(value: unknown): MechanismName {
  if (value === undefined) return 'yuma';
  if (typeof value === 'string' && (MECHANISM_NAMES as readonly string[]).includes(value)) {
    return value as MechanismName;
  }
  throw new InvalidInputError(
    'mechanism',
    `unknown mechanism ${JSON.stringify(value)} (use ${MECHANISM_NAMES.join(' or ')})`,
  );
}

function parseParams(value: unknown): Partial<YumaParams & EigentrustParams> {
  if (value === undefined) return {};
  const obj = expectObject(value, 'params');
  rejectUnknownKeys(obj, Object.keys(PARAM_CHECKS), (key) => [`params.${key}`, 'unknown parameter']);
  const out: Partial<Record<keyof typeof PARAM_CHECKS, number>> = {};
  for (const [key, raw] of Object.entries(obj)) {
    const name = key as keyof typeof PARAM_CHECKS;
    out[name] = parseNumber(raw, `params.${key}`, PARAM_CHECKS[name]);
  }
  return out;
}

/**
 * Throws InvalidInputError for the first key of `obj` not in `known`; `describe` gives its field and what it
 * is, and the message lists the known keys.
 */
function rejectUnknownKeys(
  obj: Record<string, unknown>,
  known: readonly string[],
  describe: (key: string) => [field: string, what: string],
): void {
  const unknown = Object.keys(obj).find((key) => !known.includes(key));
  if (unknown === undefined) return;
  const [field, what] = describe(unknown);
  throw new InvalidInputError(field, `${what} (known: ${known.join(', ')})`);
}

/**
 * Each epoch adds `emission` to the total stake, so after `blocks` epochs it is sum(stake) + blocks * emission;
 * that must stay a finite number, or the stake shares silently become 0 or NaN.
 */
function checkTotalStake(stakeSum: number, blocks: number, emission: number): void {
  if (!Number.isFinite(stakeSum)) {
    throw new InvalidInputError('stake', 'the sum is not finite; scale the stakes down');
  }
  const minted = blocks * emission;
  if (Number.isFinite(stakeSum + minted)) return;
  const after = `the total stake after ${blocks} ${blocks === 1 ? 'block' : 'blocks'} is not finite`;
  if (minted >= stakeSum) throw new InvalidInputError('params.emission', `too large, ${after}; lower it or blocks`);
  throw new InvalidInputError('stake', `too large, ${after}; scale the stakes down`);
}

function pick<T extends object, K extends keyof T>(obj: T, keys: readonly K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const k of keys) if (obj[k] !== undefined) out[k] = obj[k];
  return out;
}

function parseActive(value: unknown, n: number): boolean[] {
  const arr = expectArray(value, 'active', n);
  return arr.map((v, i) => {
    if (typeof v !== 'boolean') throw new InvalidInputError(`active[${i}]`, 'must be true or false');
    return v;
  });
}

function parseVector(value: unknown, field: string, n: number | undefined): Float64Array {
  const arr = expectArray(value, field, n);
  const out = new Float64Array(arr.length);
  for (let i = 0; i < arr.length; i++) out[i] = parseNumber(arr[i], `${field}[${i}]`, nonNegative);
  return out;
}

/** EigenTrust starts from stake x selfWeights and normalizes it: that sum must be finite. */
function parseSelfWeights(value: unknown, stake: Float64Array): Float64Array {
  const selfWeights = parseVector(value, 'selfWeights', stake.length);
  let start = 0;
  for (let i = 0; i < stake.length; i++) start += stake[i] * selfWeights[i];
  if (!Number.isFinite(start)) {
    throw new InvalidInputError('selfWeights', 'the sum of stake x selfWeights is not finite; scale them down');
  }
  return selfWeights;
}

/** Bonds are column-normalized by the mechanism, so each column's sum must be finite. */
function parseBonds(value: unknown, n: number): CsrMatrix {
  const bonds = parseMatrix(value, 'bonds', n).matrix;
  const sums = columnSums(bonds);
  const column = sums.findIndex((s) => !Number.isFinite(s));
  if (column >= 0) {
    throw new InvalidInputError('bonds', `column ${column}'s sum is not finite; scale the bonds down`);
  }
  return bonds;
}

function parseMatrix(value: unknown, field: string, n: number): { matrix: CsrMatrix; format: MatrixFormat } {
  if (Array.isArray(value)) return { matrix: parseDense(value, field, n), format: 'dense' };
  if (typeof value === 'object' && value !== null && 'rows' in value) {
    return { matrix: parseRows((value as { rows: unknown }).rows, `${field}.rows`, n), format: 'rows' };
  }
  throw new InvalidInputError(field, 'must be an n x n array or {"rows": [[[column, weight], ...], ...]}');
}

function parseDense(rows: unknown[], field: string, n: number): CsrMatrix {
  expectArray(rows, field, n);
  const builder = new CsrBuilder(n, n, n * 4);
  const cols = Array.from({ length: n }, (_, j) => j);
  for (let i = 0; i < n; i++) {
    const row = expectArray(rows[i], `${field}[${i}]`, n);
    const values = row.map((v, j) => parseNumber(v, `${field}[${i}][${j}]`, nonNegative));
    checkRowSum(values, `${field}[${i}]`);
    builder.addRow(cols, values);
  }
  return builder.build();
}

function parseRows(value: unknown, field: string, n: number): CsrMatrix {
  const rows = expectArray(value, field, n);
  const builder = new CsrBuilder(n, n, n * 4);
  for (let i = 0; i < n; i++) {
    const entries = expectArray(rows[i], `${field}[${i}]`, undefined);
    const cols = new Array<number>(entries.length);
    const values = new Array<number>(entries.length);
    for (let k = 0; k < entries.length; k++) {
      const at = `${field}[${i}][${k}]`;
      const entry = entries[k];
      if (!Array.isArray(entry) || entry.length !== 2)
        throw new InvalidInputError(at, 'must be a [column, weight] pair');
      cols[k] = parseNumber(entry[0], `${at}[0]`, (c) =>
        Number.isInteger(c) && c >= 0 && c < n ? undefined : `column must be an integer from 0 to ${n - 1}`,
      );
      values[k] = parseNumber(entry[1], `${at}[1]`, nonNegative);
    }
    checkRowSum(values, `${field}[${i}]`);
    const dup = builder.addRow(cols, values);
    if (dup >= 0) throw new InvalidInputError(`${field}[${i}][${dup}][0]`, `column ${cols[dup]} is listed twice`);
  }
  return builder.build();
}

/** Rows are normalized by their sum: one that overflows would silently drop that peer's votes. */
function checkRowSum(values: readonly number[], field: string): void {
  if (!Number.isFinite(sum(values))) {
    throw new InvalidInputError(field, "the row's sum is not finite; scale its entries down");
  }
}

function parseNumber(value: unknown, field: string, check: Check): number {
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw new InvalidInputError(field, 'must be a finite number');
  const problem = check(value);
  if (problem !== undefined) throw new InvalidInputError(field, problem);
  return value;
}

function isBlockCount(v: number): string | undefined {
  return Number.isInteger(v) && v >= 1 && v <= MAX_EPOCH_BLOCKS
    ? undefined
    : `must be an integer from 1 to ${MAX_EPOCH_BLOCKS}`;
}

function expectObject(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidInputError(field, 'must be a JSON object');
  }
  return value as Record<string, unknown>;
}

function expectArray(value: unknown, field: string, length: number | undefined): unknown[] {
  if (!Array.isArray(value)) throw new InvalidInputError(field, 'must be an array');
  if (length !== undefined && value.length !== length) {
    throw new InvalidInputError(field, `has ${value.length} entries but stake lists ${length} peers`);
  }
  return value;
}
