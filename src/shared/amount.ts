import { InvalidInputError } from './errors.js';

/** Balances are integers of base units: 1 token = 10^9 base units. Decimal strings at the edges, bigint inside. */
export const DECIMALS = 9;
export const BASE_UNITS_PER_TOKEN = 10n ** BigInt(DECIMALS);

/**
 * A decimal token amount as people and the RPC write it: digits, then at most 9 decimals ("12", "1.5",
 * "0.000000001"). The API's schema and parseAmount share it (the Wallet view's spend forms read with parseAmount).
 */
export const TOKEN_AMOUNT = /^(\d{1,20})(?:\.(\d{1,9}))?$/;

/** Parses a decimal token amount ("1.5", "0.000000001", "12") into base units; at most 9 decimals, >= 0. */
export function parseAmount(text: string, field = 'amount'): bigint {
  if (typeof text !== 'string') throw new InvalidInputError(field, 'must be a decimal string');
  const s = text.trim();
  const m = TOKEN_AMOUNT.exec(s);
  if (!m) {
    throw new InvalidInputError(
      field,
      `${JSON.stringify(s.slice(0, 40))} is not an amount (use digits, at most ${DECIMALS} decimals)`,
    );
  }
  const whole = BigInt(m[1] as string);
  const frac = BigInt((m[2] ?? '').padEnd(DECIMALS, '0'));
  return whole * BASE_UNITS_PER_TOKEN + frac;
}

/** Base units as a decimal token string without trailing zeros ("1.5", "0", "12"). */
export function formatAmount(units: bigint): string {
  const sign = units < 0n ? '-' : '';
  const abs = units < 0n ? -units : units;
  const whole = abs / BASE_UNITS_PER_TOKEN;
  const frac = (abs % BASE_UNITS_PER_TOKEN).toString().padStart(DECIMALS, '0').replace(/0+$/, '');
  return `${sign}${whole}${frac ? `.${frac}` : ''}`;
}

/** Base units as a number of tokens, for ratios and scores only (a float: not for sums that must be exact). */
export function tokensAsNumber(units: bigint): number {
  return Number(units) / Number(BASE_UNITS_PER_TOKEN);
}

/** Parses a non-negative integer of base units written as a decimal string (the wire form inside transactions). */
export function parseUnits(text: unknown, field: string): bigint {
  if (typeof text !== 'string' || !/^\d{1,30}$/.test(text)) {
    throw new InvalidInputError(field, 'must be a string of base units (digits only)');
  }
  return BigInt(text);
}

/** JSON with every bigint (an amount in base units) written as a decimal token string: the CLI's output form. */
export function jsonWithTokens(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? formatAmount(v) : v));
}
