import { z } from 'zod';
import { BASE_UNITS_PER_TOKEN } from '../shared/amount.js';
import { DEFAULT_YUMA_PARAMS } from './mechanism/yuma.js';

/** The chain's parameters, fixed at genesis. Amounts are base units. */
export interface ChainParams {
  /** Milliseconds between blocks. Default 2000. */
  blockTimeMs: number;
  /** Blocks per epoch: the mechanism runs at every height divisible by tempo. Default 10. */
  tempo: number;
  /** Tokens minted per block, paid out at each epoch (tempo x this). Default 1 token. */
  emissionPerBlock: bigint;
  /** Most neurons registered at once. Default 256. */
  maxNeurons: number;
  /** Blocks after registration during which a neuron cannot be replaced. Default 100. */
  immunityPeriod: number;
  /** Burned by each registration, so that identities cost something. Default 1 token. */
  registrationBurn: bigint;
  /** A neuron may set weights once per this many blocks. Default 2. */
  weightsRateLimit: number;
  /** A neuron counts as active while its last set_weights is at most this many blocks old. Default 1000. */
  activityCutoff: number;
  /** Lower bound of the minimum-weights peg. Default 1. */
  minAllowedWeights: number;
  /** Upper bound of the minimum-weights peg. Default 64. */
  maxAllowedWeights: number;
  /** Yuma consensus parameters (defaults: DEFAULT_YUMA_PARAMS). */
  rho: number;
  kappa: number;
  bondsAlpha: number;
  /** Mempool: pending transactions per account, and in total. Defaults 64 and 8192. */
  mempoolPerAccount: number;
  mempoolTotal: number;
  /** Transactions per block. Default 4096. */
  maxBlockTransactions: number;
  /** Largest accepted transaction, in bytes of canonical JSON. Default 16 KiB. */
  maxTransactionBytes: number;
  /** Network dimension of the neurons' outputs (for the neuron layer). Default 128. */
  networkDim: number;
}

export const DEFAULT_CHAIN_PARAMS: Readonly<ChainParams> = Object.freeze({
  blockTimeMs: 2000,
  tempo: 10,
  emissionPerBlock: BASE_UNITS_PER_TOKEN,
  maxNeurons: 256,
  immunityPeriod: 100,
  registrationBurn: BASE_UNITS_PER_TOKEN,
  weightsRateLimit: 2,
  activityCutoff: 1000,
  minAllowedWeights: 1,
  maxAllowedWeights: 64,
  rho: DEFAULT_YUMA_PARAMS.rho,
  kappa: DEFAULT_YUMA_PARAMS.kappa,
  bondsAlpha: DEFAULT_YUMA_PARAMS.bondsAlpha,
  mempoolPerAccount: 64,
  mempoolTotal: 8192,
  maxBlockTransactions: 4096,
  maxTransactionBytes: 16 * 1024,
  networkDim: 128,
});

/** Base units in their JSON form: a string of digits. */
export const unitsJson = z
  .string()
  .regex(/^\d{1,30}$/, 'must be a string of base units (digits only)')
  .transform((s) => BigInt(s));

const count = (min: number) => z.int().min(min);
const D = DEFAULT_CHAIN_PARAMS;

/**
 * The chain's parameters in their JSON form (genesis files, `chain_info`): every field optional, a missing
 * one takes its default, amounts are strings of base units; unknown fields are ignored (a newer node may
 * have more). The one place that gives a parameter read from outside its default.
 */
export const chainParamsJson = z.object({
  blockTimeMs: count(1).default(D.blockTimeMs),
  tempo: count(1).default(D.tempo),
  emissionPerBlock: unitsJson.default(D.emissionPerBlock),
  maxNeurons: count(1).default(D.maxNeurons),
  immunityPeriod: count(0).default(D.immunityPeriod),
  registrationBurn: unitsJson.default(D.registrationBurn),
  weightsRateLimit: count(0).default(D.weightsRateLimit),
  activityCutoff: count(0).default(D.activityCutoff),
  minAllowedWeights: count(0).default(D.minAllowedWeights),
  maxAllowedWeights: count(1).default(D.maxAllowedWeights),
  rho: z.number().min(0).default(D.rho),
  kappa: z.number().default(D.kappa),
  bondsAlpha: z.number().min(0).max(1).default(D.bondsAlpha),
  mempoolPerAccount: count(1).default(D.mempoolPerAccount),
  mempoolTotal: count(1).default(D.mempoolTotal),
  maxBlockTransactions: count(1).default(D.maxBlockTransactions),
  maxTransactionBytes: count(1).default(D.maxTransactionBytes),
  networkDim: count(1).default(D.networkDim),
}) satisfies z.ZodType<ChainParams, unknown>;
