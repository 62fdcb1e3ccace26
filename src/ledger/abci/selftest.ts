import { bytesToHex } from '@noble/hashes/utils.js';
import { silentLogger } from '../../shared/logger.js';
import { seededRandom } from '../../shared/random.js';
import { canonicalJson } from '../canonical.js';
import { MemoryChainStore } from '../storage.js';
import { signTx, type Call } from '../tx.js';
import { signerFromSeed, type Signer } from '../wallet/keys.js';
import { LedgerApp } from './app.js';
import { encodeTx } from './tx-codec.js';

const TOKEN = 1_000_000_000n;

function keyOf(i: number): Signer {
  const seed = new Uint8Array(32);
  new DataView(seed.buffer).setUint32(0, i + 1);
  seed[31] = 42;
  return signerFromSeed(seed);
}

export interface SelftestOptions {
  neurons: number;
  blocks: number;
  onHeight(height: number, appHash: string): void;
}

/**
 * Drives the ledger application through a fixed synthetic chain with the same ABCI calls CometBFT makes
 * (InitChain, FinalizeBlock, Commit): `neurons` registrations, stakes, seeded random weights and transfers,
 * an epoch every 5 blocks. Reports the app hash after every block. Two machines (or Node versions) that
 * report the same hashes would agree as validators; CI compares Node 22 with Node 24.
 */
export async function runSelftest(
  opts: SelftestOptions,
): Promise<{ applied: number; refused: number; epochs: number }> {
  let applied = 0;
  let refused = 0;
  const app = new LedgerApp({ store: new MemoryChainStore(), logger: silentLogger });
  await app.start();
  const rand = seededRandom(2019);
  const hot = Array.from({ length: opts.neurons }, (_, i) => keyOf(i));
  const cold = Array.from({ length: opts.neurons }, (_, i) => keyOf(100_000 + i));
  const appState = {
    params: { tempo: 5, maxNeurons: opts.neurons, weightsRateLimit: 1 },
    accounts: cold.map((k) => [k.address, (1000n * TOKEN).toString()]),
  };
  await app.initChain({
    time: { seconds: 1_600_000_000n, nanos: 0 },
    chainId: 'selftest',
    appStateBytes: new TextEncoder().encode(canonicalJson(appState)),
    initialHeight: 1n,
  });
  const chain = app.committed!.id;
  // Every signer sends at most one transaction per block, so its nonce is the committed one.
  const tx = (signer: Signer, call: Call, coldkey?: Signer) => {
    const nonce = app.committed!.state.account(signer.address).nonce;
    return encodeTx(signTx({ chain, nonce, signer: signer.address, call }, signer, coldkey));
  };
  for (let height = 1; height <= opts.blocks; height++) {
    const txs: Array<Uint8Array<ArrayBuffer>> = [];
    if (height === 1) {
      hot.forEach((h, i) =>
        txs.push(
          tx(h, { type: 'register', coldkey: cold[i]!.address, multiaddrs: [], maxBurn: String(TOKEN) }, cold[i]),
        ),
      );
    } else if (height === 2) {
      hot.forEach((h, i) =>
        txs.push(
          tx(cold[i]!, {
            type: 'add_stake',
            hotkey: h.address,
            amount: String(BigInt(1 + Math.floor(rand() * 500)) * TOKEN),
          }),
        ),
      );
    } else {
      const chosen = new Set<number>(); // one set_weights per neuron and block (the rate limit)
      for (let k = 0; k < Math.max(1, opts.neurons >> 2); k++) {
        const i = Math.floor(rand() * opts.neurons);
        if (chosen.has(i)) continue;
        chosen.add(i);
        const targets = new Map<number, number>();
        const wanted = Math.min(opts.neurons - 1, app.committed!.state.minWeights + Math.floor(rand() * 8));
        while (targets.size < wanted) {
          const j = Math.floor(rand() * opts.neurons);
          if (j !== i) targets.set(j, 1 + Math.floor(rand() * 65535));
        }
        txs.push(tx(hot[i]!, { type: 'set_weights', weights: [...targets].sort((a, b) => a[0] - b[0]) }));
      }
      const from = Math.floor(rand() * opts.neurons);
      txs.push(
        tx(cold[from]!, {
          type: 'transfer',
          to: cold[(from + 1) % opts.neurons]!.address,
          amount: String(1 + Math.floor(rand() * 1e9)),
        }),
      );
    }
    const res = app.finalizeBlock({
      txs,
      hash: new Uint8Array(0),
      height: BigInt(height),
      time: { seconds: 1_600_000_000n + BigInt(height), nanos: 0 },
      nextValidatorsHash: new Uint8Array(0),
      proposerAddress: new Uint8Array(0),
    });
    await app.commit();
    for (const r of res.txResults)
      if (r.code === 0) applied++;
      else refused++;
    opts.onHeight(height, bytesToHex(res.appHash));
  }
  const epochs = app.committed!.state.epoch;
  await app.stop();
  return { applied, refused, epochs };
}
