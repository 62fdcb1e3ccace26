import { z } from 'zod';
import { parseAmount, TOKEN_AMOUNT } from '../../shared/amount.js';
import type { Block } from '../block.js';
import { chainParamsJson, type ChainParams } from '../params.js';
import { SignedTxSchema } from '../tx.js';

/**
 * What the ledger's RPC answers, as schemas: the server builds its answers to their input types (amounts as
 * decimal token strings, the one form at the edges), and the client parses every answer with them, so that
 * amounts arrive as bigint base units and a malformed answer from another node is caught where it enters.
 */

/** Decimal token string on the wire, base units (bigint) once parsed. */
export const tokens = z
  .string()
  .regex(TOKEN_AMOUNT, 'must be an amount in tokens (digits, at most 9 decimals)')
  .transform((s) => parseAmount(s));

const scores = {
  rank: z.number(),
  trust: z.number(),
  consensus: z.number(),
  incentive: z.number(),
  dividends: z.number(),
};
const uid = z.int().min(0);

export const chainInfoAnswer = z.object({
  role: z.enum(['embedded', 'validator']),
  genesisHash: z.string(),
  height: z.int().min(0),
  headHash: z.string(),
  epoch: z.int().min(0),
  minWeights: z.int().min(0),
  issuance: tokens,
  burned: tokens,
  registrationBurn: tokens,
  neurons: z.int().min(0),
  params: chainParamsJson,
});

export const balanceAnswer = z.object({ free: tokens, staked: tokens, nonce: z.int().min(0) });

export const neuronAnswer = z.object({
  uid,
  hotkey: z.string(),
  coldkey: z.string(),
  stake: tokens,
  ...scores,
  emission: tokens,
  registeredAt: z.int(),
  lastUpdate: z.int(),
  multiaddrs: z.array(z.string()),
  // Up to 64 pairs per neuron and a thousand neurons: checked in one pass rather than pair by pair.
  weights: z.custom<Array<[number, number]>>(
    (v) =>
      Array.isArray(v) &&
      v.every(
        (p: unknown) =>
          Array.isArray(p) && p.length === 2 && Number.isInteger(p[0]) && p[0] >= 0 && Number.isFinite(p[1]),
      ),
    'must be a list of [uid, weight] pairs',
  ),
});

/**
 * The metagraph since a height: whole rows only for the neurons registered or whose weights were set after it
 * (the bulk of a row is its weights), and every neuron's small fields (stake, scores, emission, addresses) as
 * columns by uid. A reader that holds the metagraph as of `since` gets today's from it (applyNeuronChanges).
 */
export const neuronChangesAnswer = z
  .object({
    height: z.int().min(0),
    rows: z.array(neuronAnswer),
    stake: z.array(tokens),
    rank: z.array(z.number()),
    trust: z.array(z.number()),
    consensus: z.array(z.number()),
    incentive: z.array(z.number()),
    dividends: z.array(z.number()),
    emission: z.array(tokens),
    multiaddrs: z.array(z.array(z.string())),
  })
  .refine(
    (a) =>
      [a.rank, a.trust, a.consensus, a.incentive, a.dividends, a.emission, a.multiaddrs].every(
        (column) => column.length === a.stake.length,
      ) && a.rows.every((r) => r.uid < a.stake.length),
    'every column must list every neuron, and every row a neuron that exists',
  );

export const epochAnswer = z.object({
  epoch: z.int().min(0),
  block: z.int().min(0),
  loss: z.number(),
  minWeights: z.int().min(0),
  minted: tokens,
  neurons: z.array(
    z.object({ uid, hotkey: z.string(), stake: tokens, ...scores, emissionShare: z.number(), emission: tokens }),
  ),
});

export const txStatusAnswer = z.discriminatedUnion('status', [
  z.object({ status: z.literal('pending') }),
  z.object({ status: z.literal('included'), block: z.int().min(0) }),
  z.object({ status: z.literal('rejected'), reason: z.string() }),
  z.object({ status: z.literal('unknown') }),
]);

const hash = z.string().regex(/^[0-9a-f]{64}$/, 'must be a sha256 hash (64 hex digits)');

/**
 * A stored block: strict, since its reader hashes the header (a field dropped in parsing would change the hash)
 * and checks its transactions.
 */
export const blockAnswer = z.strictObject({
  header: z.strictObject({
    height: z.int().min(0),
    parentHash: hash,
    timestamp: z.int().min(0),
    txRoot: hash,
    stateRoot: hash,
  }),
  txs: z.array(SignedTxSchema),
  signature: z.string(),
}) satisfies z.ZodType<Block>;

/** The chain as a client sees it: amounts in base units, parameters typed with their defaults filled in. */
export type ChainInfo = z.output<typeof chainInfoAnswer> & { params: ChainParams };
/** A coldkey's free and staked base units, and its next nonce. */
export type Balance = z.output<typeof balanceAnswer>;
/** One row of the metagraph; stake and emission (of the last epoch) in base units. */
export type NeuronInfo = z.output<typeof neuronAnswer>;
/** One finished epoch: what it minted and each neuron's scores and emission, amounts in base units. */
export type EpochInfo = z.output<typeof epochAnswer>;
/** Where a submitted transaction stands. */
export type TxStatus = z.output<typeof txStatusAnswer>;

/** The wire forms the server writes (amounts as decimal token strings). */
export type ChainInfoWire = z.input<typeof chainInfoAnswer>;
export type BalanceWire = z.input<typeof balanceAnswer>;
export type NeuronWire = z.input<typeof neuronAnswer>;
/** The metagraph's changes since a height (see neuronChangesAnswer). */
export type NeuronChanges = z.output<typeof neuronChangesAnswer>;
export type NeuronChangesWire = z.input<typeof neuronChangesAnswer>;
export type EpochWire = z.input<typeof epochAnswer>;
