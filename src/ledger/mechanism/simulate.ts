import { seededRandom } from '../../shared/random.js';
import { CsrBuilder, type CsrMatrix } from './sparse.js';
import { addScaledVector, sum } from './vector.js';
import { DEFAULT_YUMA_PARAMS, naiveRank, yumaEpoch, type YumaParams } from './yuma.js';

/** The whitepaper's section-10 experiment: an honest sub-graph against a disjoint cabal that votes only for itself. */
export interface CollusionScenario {
  /** Peers in the honest sub-graph. Default 48. */
  honestPeers: number;
  /** Peers in the cabal. Default 16. */
  cabalPeers: number;
  /** The cabal's share of the initial stake, in (0, 1). */
  cabalStake: number;
  /** Epochs to run. Default 1000. */
  epochs: number;
  /** Total stake at epoch 0 (tokens). Default 100, so that the default emission inflates the supply by 1% at first. */
  initialStake: number;
  /** Mechanism parameters; `emission` is the tokens minted per epoch (default 1). */
  params: YumaParams;
  /** Seed for the random weights inside each sub-graph. Default 1. */
  seed: number;
}

export const DEFAULT_COLLUSION_SCENARIO: Readonly<Omit<CollusionScenario, 'cabalStake'>> = Object.freeze({
  honestPeers: 48,
  cabalPeers: 16,
  epochs: 1000,
  initialStake: 100,
  params: DEFAULT_YUMA_PARAMS,
  seed: 1,
});

export interface CollusionSeries {
  cabalStake: number;
  /** The cabal's share of all stake after each epoch, epoch 0 (the start) included: length epochs + 1. */
  yuma: Float64Array;
  /** The same under the naive ranking (emission share R, no consensus term). */
  naive: Float64Array;
}

/** Runs the scenario under Yuma consensus and under the naive ranking, tracking the cabal's stake share. */
export function simulateCollusion(scenario: CollusionScenario): CollusionSeries {
  const { honestPeers: h, cabalPeers: c, epochs, params } = scenario;
  const weights = collusionGraph(h, c, scenario.seed);
  const initial = new Float64Array(h + c);
  initial.fill(((1 - scenario.cabalStake) * scenario.initialStake) / h, 0, h);
  initial.fill((scenario.cabalStake * scenario.initialStake) / c, h);

  const share = (stake: Float64Array): number => sum(stake.subarray(h)) / sum(stake);
  const yuma = new Float64Array(epochs + 1);
  const naive = new Float64Array(epochs + 1);
  let yumaStake: Float64Array = initial;
  let naiveStake: Float64Array = initial;
  let bonds: CsrMatrix | undefined;
  yuma[0] = naive[0] = scenario.cabalStake;
  for (let e = 1; e <= epochs; e++) {
    const result = yumaEpoch({ stake: yumaStake, weights, bonds }, params);
    bonds = result.bonds;
    yumaStake = addScaledVector(yumaStake, 1, result.emission);
    naiveStake = addScaledVector(naiveStake, params.emission, naiveRank(naiveStake, weights));
    yuma[e] = share(yumaStake);
    naive[e] = share(naiveStake);
  }
  return { cabalStake: scenario.cabalStake, yuma, naive };
}

/** Peers 0..h-1 weight every other honest peer, peers h..h+c-1 every other cabal peer; weights random in (0.5, 1]. */
export function collusionGraph(h: number, c: number, seed: number): CsrMatrix {
  const random = seededRandom(seed);
  const n = h + c;
  const builder = new CsrBuilder(n, n, h * h + c * c);
  for (let i = 0; i < n; i++) {
    const [from, to] = i < h ? [0, h] : [h, n];
    const cols: number[] = [];
    const values: number[] = [];
    for (let j = from; j < to; j++) {
      if (j === i) continue;
      cols.push(j);
      values.push(1 - random() / 2);
    }
    builder.addRow(cols, values);
  }
  return builder.build();
}
