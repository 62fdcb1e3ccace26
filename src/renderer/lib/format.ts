/** Number formatting for the views. */

export const f3 = (x: number | null | undefined): string => (typeof x === 'number' ? x.toFixed(3) : '-');

/** A share in [0, 1] as a percentage. */
export const pct = (x: number | null | undefined): string =>
  typeof x === 'number' ? `${(x * 100).toFixed(x < 0.1 ? 2 : 1)}%` : '-';

/** A token amount (decimal string) with at most `digits` decimals. */
export function tokens(text: string | null | undefined, digits = 4): string {
  if (text === null || text === undefined) return '-';
  const [whole, frac = ''] = text.split('.');
  const cut = frac.slice(0, digits).replace(/0+$/, '');
  return `${Number(whole).toLocaleString('en-US')}${cut ? `.${cut}` : ''}`;
}

/** An address shortened for tables: first and last characters. */
export const short = (address: string): string => `${address.slice(0, 6)}…${address.slice(-4)}`;
