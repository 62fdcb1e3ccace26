import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { genesisFromJson, genesisToJson, makeGenesis } from '../../../src/ledger/block.js';
import { chainParamsJson, DEFAULT_CHAIN_PARAMS } from '../../../src/ledger/params.js';
import { balanceAnswer, epochAnswer, neuronAnswer, tokens } from '../../../src/ledger/rpc/answers.js';
import { epochToWire } from '../../../src/ledger/rpc/methods.js';
import type { EpochRecord } from '../../../src/ledger/state.js';
import { formatAmount, jsonWithTokens, parseAmount, TOKEN_AMOUNT } from '../../../src/shared/amount.js';
import { parseApiArgument } from '../../../src/shared/api-schema.js';
import { InvalidInputError } from '../../../src/shared/errors.js';
import { key } from '../../support/ledger.js';

/** Any amount a chain can hold: up to 10^20 tokens, to the base unit. */
const units = fc.bigInt({ min: 0n, max: 10n ** 29n - 1n });

describe('amounts: base units inside, decimal token strings at every edge', () => {
  it('parseAmount(formatAmount(x)) is x, and the text matches the one pattern', () => {
    fc.assert(
      fc.property(units, (x) => {
        const text = formatAmount(x);
        expect(text).toMatch(TOKEN_AMOUNT);
        expect(parseAmount(text)).toBe(x);
      }),
    );
  });

  it('round-trips through the RPC (server wire form, client schemas)', () => {
    fc.assert(
      fc.property(units, units, units, (free, staked, emission) => {
        expect(balanceAnswer.parse({ free: formatAmount(free), staked: formatAmount(staked), nonce: 3 })).toEqual({
          free,
          staked,
          nonce: 3,
        });
        const neuron = neuronAnswer.parse({
          uid: 0,
          hotkey: 'h',
          coldkey: 'c',
          stake: formatAmount(staked),
          rank: 0,
          trust: 0,
          consensus: 0,
          incentive: 0,
          dividends: 0,
          emission: formatAmount(emission),
          registeredAt: 0,
          lastUpdate: -1,
          multiaddrs: [],
          weights: [],
        });
        expect([neuron.stake, neuron.emission]).toEqual([staked, emission]);
        // Stored epoch records keep base units; the RPC writes tokens; the client reads base units again.
        const stored: EpochRecord = {
          epoch: 1,
          block: 10,
          loss: 0,
          minWeights: 1,
          minted: String(free),
          neurons: [
            {
              uid: 0,
              hotkey: 'h',
              stake: String(staked),
              emissionShare: 1,
              emission: String(emission),
              rank: 0,
              trust: 0,
              consensus: 0,
              incentive: 0,
              dividends: 0,
            },
          ],
        };
        const read = epochAnswer.parse(JSON.parse(JSON.stringify(epochToWire(stored))));
        expect([read.minted, read.neurons[0]!.stake, read.neurons[0]!.emission]).toEqual([free, staked, emission]);
      }),
    );
  });

  it('round-trips through the CLI output and the dashboard API', () => {
    fc.assert(
      fc.property(units, (x) => {
        const printed = JSON.parse(jsonWithTokens({ free: x, nested: [{ stake: x }] })) as {
          free: string;
          nested: Array<{ stake: string }>;
        };
        expect(parseAmount(printed.free)).toBe(x);
        expect(parseAmount(printed.nested[0]!.stake)).toBe(x);
        const spend = parseApiArgument('stake', { amount: formatAmount(x) });
        expect(parseAmount(spend.amount)).toBe(x);
      }),
    );
  });

  it('refuses what is not an amount in tokens, naming the field', () => {
    for (const bad of ['1.0000000001', '-1', '1e9', '0x10', '', ' ', '1,5', '١']) {
      expect(() => parseAmount(bad, 'Amount')).toThrow(InvalidInputError);
      expect(tokens.safeParse(bad).success).toBe(false);
    }
  });
});

describe('chain parameters read from another node', () => {
  it('fill every missing field from the one set of defaults and type the amounts', () => {
    expect(chainParamsJson.parse({})).toEqual(DEFAULT_CHAIN_PARAMS);
    const read = chainParamsJson.parse({ tempo: 5, emissionPerBlock: '7', somethingNewer: true });
    expect(read.tempo).toBe(5);
    expect(read.emissionPerBlock).toBe(7n);
    expect(read.blockTimeMs).toBe(DEFAULT_CHAIN_PARAMS.blockTimeMs);
  });

  it('refuse a malformed genesis with one line naming the field', () => {
    const g = makeGenesis([[key(2).address, 5n]], { tempo: 3 });
    expect(genesisFromJson(genesisToJson(g))).toEqual(g);
    const json = genesisToJson(g) as { params: Record<string, unknown>; accounts: unknown[] };
    expect(() => genesisFromJson({ ...json, params: { ...json.params, tempo: 'ten' } })).toThrow(
      /^genesis\.params\.tempo: /,
    );
    expect(() => genesisFromJson({ ...json, accounts: [[key(2).address, '1.5']] })).toThrow(
      /^genesis\.accounts\.0\.1: /,
    );
  });
});
