import { hkdfSync, pbkdf2Sync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  generateMnemonic,
  keySeedsFromMnemonic,
  normalizeMnemonic,
  signerFromSeed,
} from '../../../src/ledger/wallet/index.js';
import { InvalidInputError } from '../../../src/shared/errors.js';

const ABANDON = `${Array(23).fill('abandon').join(' ')} art`;

function rejection(mnemonic: string): InvalidInputError {
  try {
    keySeedsFromMnemonic(mnemonic);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InvalidInputError).field).toBe('mnemonic');
    return error as InvalidInputError;
  }
  throw new Error('expected the mnemonic to be rejected');
}

describe('generateMnemonic', () => {
  it('gives 24 valid words, different each time', () => {
    const a = generateMnemonic();
    expect(a.split(' ')).toHaveLength(24);
    expect(normalizeMnemonic(a)).toBe(a);
    expect(generateMnemonic()).not.toBe(a);
  });
});

describe('keySeedsFromMnemonic', () => {
  it('derives the seeds as agreed: BIP39 seed, then HKDF-SHA256 (checked against node:crypto)', () => {
    const seed64 = pbkdf2Sync(ABANDON, 'mnemonic', 2048, 64, 'sha512');
    const expected = (info: string) => new Uint8Array(hkdfSync('sha256', seed64, 'bittensor-miner wallet', info, 32));
    const seeds = keySeedsFromMnemonic(ABANDON);
    expect(seeds.coldkey).toEqual(expected('coldkey'));
    expect(seeds.hotkey).toEqual(expected('hotkey/default'));
  });

  it('keeps the addresses of the test vector (a change here would orphan every wallet)', () => {
    const seeds = keySeedsFromMnemonic(ABANDON);
    expect(signerFromSeed(seeds.coldkey).address).toBe('5G8xMca8Lsj8yv2moZTjqzKFzdRPMbWUpLMy1esVbbPUAMUb');
    expect(signerFromSeed(seeds.hotkey).address).toBe('5FpEvHGFr52So8d7KtJ1NnyaVdhcUHNNxLdRFihmaeMwQEj1');
  });

  it('ignores case and extra whitespace', () => {
    const messy = `  ${ABANDON.toUpperCase().replaceAll(' ', ' \t\n ')}\r\n`;
    expect(keySeedsFromMnemonic(messy)).toEqual(keySeedsFromMnemonic(ABANDON));
  });

  it('gives different coldkey and hotkey seeds', () => {
    const seeds = keySeedsFromMnemonic(generateMnemonic());
    expect(seeds.coldkey).not.toEqual(seeds.hotkey);
  });

  it('rejects a wrong word count, even a valid 12-word mnemonic', () => {
    expect(rejection(`${Array(11).fill('abandon').join(' ')} about`).message).toBe(
      'mnemonic: expected 24 words, got 12',
    );
    expect(rejection('').message).toContain('got 0');
    expect(rejection(`${ABANDON} abandon`).message).toContain('got 25');
  });

  it('rejects an unknown word by its position, without echoing it', () => {
    const words = ABANDON.split(' ');
    words[4] = 'abandonn';
    const error = rejection(words.join(' '));
    expect(error.message).toContain('word 5');
    expect(error.message).not.toContain('abandonn');
  });

  it('rejects a bad checksum', () => {
    expect(rejection(Array(24).fill('abandon').join(' ')).message).toContain('checksum');
    const swapped = ABANDON.split(' ').reverse().join(' ');
    expect(rejection(swapped).message).toBe('mnemonic: bad checksum: a word is wrong or out of order');
  });
});
