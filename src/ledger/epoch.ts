import { CsrBuilder, csrFromRows, csrToRows, yumaEpoch, type CsrMatrix } from './mechanism/index.js';
import { scoresOf } from '../shared/neuron-scores.js';
import type { EpochRecord, LedgerState } from './state.js';

/** How far below zero the consensus loss must fall before the minimum-weights peg is lowered again. */
const PEG_SLACK = 0.25;

/** True when the block at `height` ends an epoch. */
export function isEpochBlock(height: number, tempo: number): boolean {
  return height > 0 && height % tempo === 0;
}

/**
 * Runs the incentive mechanism over the registered neurons and credits each neuron's emission to its
 * hotkey's stake, owned by its coldkey. Emission is rounded down to base units, so the total minted never
 * exceeds tempo x emissionPerBlock. Then moves the minimum-weights peg by the consensus loss.
 */
export function runEpoch(state: LedgerState): EpochRecord {
  const { params } = state;
  const n = state.neurons.length;
  const stake = state.neurons.map((nr) => Number(state.hotkeyStake(nr.hotkey)));
  const weights = new CsrBuilder(n, n, n * 16);
  for (const nr of state.neurons) {
    weights.addRow(
      nr.weights.map(([j]) => j),
      nr.weights.map(([, w]) => w),
    );
  }
  const active = state.neurons.map((nr) => nr.lastUpdate >= 0 && state.height - nr.lastUpdate <= params.activityCutoff);
  const result = yumaEpoch(
    { stake, weights: weights.build(), bonds: resized(state.bonds, n), active },
    { rho: params.rho, kappa: params.kappa, bondsAlpha: params.bondsAlpha, trustThreshold: 0, emission: 1 },
  );

  const total = params.emissionPerBlock * BigInt(params.tempo);
  const amounts = Array.from(result.emissionShare, (e) => BigInt(Math.floor(e * Number(total))));
  let minted = amounts.reduce((a, b) => a + b, 0n);
  // Floating-point shares can sum to a hair over 1; never mint more than the epoch's emission.
  for (let uid = n - 1; minted > total && uid >= 0; uid--) {
    const cut = minted - total < (amounts[uid] as bigint) ? minted - total : (amounts[uid] as bigint);
    amounts[uid] = (amounts[uid] as bigint) - cut;
    minted -= cut;
  }

  state.neurons.forEach((nr, uid) => {
    const amount = amounts[uid] as bigint;
    if (amount > 0n) state.setStake(nr.hotkey, nr.coldkey, state.stakeOf(nr.hotkey, nr.coldkey) + amount);
    nr.rank = result.rank[uid] as number;
    nr.trust = result.trust[uid] as number;
    nr.consensus = result.consensus[uid] as number;
    nr.incentive = result.incentive[uid] as number;
    nr.dividends = result.dividends[uid] as number;
    nr.emission = amount;
  });
  state.issuance += minted;
  state.bonds = result.bonds;
  state.epoch += 1;

  const ceiling = Math.max(params.minAllowedWeights, Math.min(params.maxAllowedWeights, n - 1));
  if (result.loss > 0) state.minWeights = Math.min(state.minWeights + 1, ceiling);
  else if (result.loss < -PEG_SLACK) state.minWeights = Math.max(state.minWeights - 1, params.minAllowedWeights);

  return {
    epoch: state.epoch,
    block: state.height,
    loss: result.loss,
    minWeights: state.minWeights,
    minted: minted.toString(),
    neurons: state.neurons.map((nr, uid) => ({
      uid,
      hotkey: nr.hotkey,
      stake: String(stake[uid]),
      ...scoresOf(nr),
      emissionShare: result.emissionShare[uid] as number,
      emission: nr.emission.toString(),
    })),
  };
}

/** The bonds as an n x n matrix (new neurons get empty rows and columns). */
function resized(bonds: CsrMatrix, n: number): CsrMatrix {
  if (bonds.rows === n && bonds.cols === n) return bonds;
  const rows = csrToRows(bonds).slice(0, n);
  while (rows.length < n) rows.push([]);
  return csrFromRows(
    rows.map((row) => row.filter(([j]) => j < n)),
    n,
  );
}
