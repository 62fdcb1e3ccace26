import { InvalidInputError } from '../shared/errors.js';

/** Balances are integers of base units: 1 token = 10^9 base units. Decimal strings at the edges, bigint inside. */
export const DECIMALS = 9;
export const BASE_UNITS_PER_TOKEN = 10n ** BigInt(DECIMALS);

/** Parses a decimal token amount ("1.5", "0.000000001", "12") into base units; at most 9 decimals, >= 0. */
export function parseAmount(text: unknown, field = 'amount'): bigint {
  if (typeof text !== 'string' && typeof text !== 'number')
    throw new InvalidInputError(field, 'must be a decimal string');
  const s = String(text).trim();
  const m = /^(\d{1,20})(?:\.(\d{1,9}))?$/.exec(s);
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

/** Parses a non-negative integer of base units written as a decimal string (the wire form inside transactions). */
export function parseUnits(text: unknown, field: string): bigint {
  if (typeof text !== 'string' || !/^\d{1,30}$/.test(text)) {
    throw new InvalidInputError(field, 'must be a string of base units (digits only)');
  }
  return BigInt(text);
}
