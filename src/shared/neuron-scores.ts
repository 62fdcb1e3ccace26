/** What the incentive mechanism gives each neuron at an epoch: the ledger's metagraph and the dashboard show them. */
export interface NeuronScores {
  rank: number;
  trust: number;
  consensus: number;
  incentive: number;
  dividends: number;
}

/** The scores of `neuron` alone (a neuron not there yet has all zero). */
export function scoresOf(neuron: NeuronScores | undefined): NeuronScores {
  return {
    rank: neuron?.rank ?? 0,
    trust: neuron?.trust ?? 0,
    consensus: neuron?.consensus ?? 0,
    incentive: neuron?.incentive ?? 0,
    dividends: neuron?.dividends ?? 0,
  };
}
