import { BASE_UNITS_PER_TOKEN } from './amount.js';

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
  /** Yuma consensus parameters. */
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
  rho: 10,
  kappa: 0.5,
  bondsAlpha: 0.1,
  mempoolPerAccount: 64,
  mempoolTotal: 8192,
  maxBlockTransactions: 4096,
  maxTransactionBytes: 16 * 1024,
  networkDim: 128,
});
