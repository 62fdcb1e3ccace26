import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeGenesis } from '../../src/ledger/block.js';
import { LedgerClient } from '../../src/ledger/client.js';
import { startLedger, type LedgerNode } from '../../src/ledger/node.js';
import { signerFromSeed, type Signer } from '../../src/ledger/wallet/keys.js';
import { LedgerDiscovery } from '../../src/neuron/discovery.js';
import { HashingModel } from '../../src/neuron/model.js';
import { createNeuronNode, type NeuronNode } from '../../src/neuron/node.js';
import { ensureRegistered } from '../../src/neuron/registration.js';
import { silentLogger } from '../../src/shared/logger.js';

/** Peers found through the ledger: register two neurons, then call one by its PeerId alone. */

const seed = (n: number) => Uint8Array.from({ length: 32 }, (_, i) => (i === 0 ? n : 17));
const coldkeys: Signer[] = [signerFromSeed(seed(1)), signerFromSeed(seed(2))];
const hotkeySeeds = [seed(11), seed(12)];

let ledger: LedgerNode;
let client: LedgerClient;
let neurons: NeuronNode[] = [];
let discoveries: LedgerDiscovery[] = [];

beforeAll(async () => {
  ledger = await startLedger({
    genesis: () =>
      makeGenesis(
        coldkeys.map((c) => [c.address, 100_000_000_000n]),
        // No epoch while the test runs: emission would add to the stakes it reads (25 became 35 under load).
        { blockTimeMs: 100, tempo: 100_000 },
      ),
  });
  client = new LedgerClient(ledger.rpcUrl);
  neurons = await Promise.all(
    hotkeySeeds.map((hotkeySeed) =>
      createNeuronNode({ model: new HashingModel(16) }, { hotkeySeed, host: '127.0.0.1', dht: false, autonat: false }),
    ),
  );
  for (const [i, n] of neurons.entries()) {
    await ensureRegistered(
      client,
      { hotkey: signerFromSeed(hotkeySeeds[i]!), coldkey: coldkeys[i]! },
      n.multiaddrs(),
      silentLogger,
    );
  }
  // Stake on neuron 1 only.
  await client.signAndSubmit(coldkeys[1]!, { type: 'add_stake', hotkey: neurons[1]!.hotkey, amount: '25000000000' });
  discoveries = neurons.map((n) => new LedgerDiscovery({ metagraph: client, libp2p: n.libp2p }, { intervalMs: 200 }));
  await Promise.all(discoveries.map((d) => d.start()));
}, 60_000);

afterAll(async () => {
  await Promise.all(discoveries.map((d) => d.stop()));
  await Promise.all(neurons.map((n) => n.stop()));
  await ledger.stop();
});

describe('LedgerDiscovery', () => {
  it('maps registered hotkeys to PeerIds and lists the other peers', () => {
    const peers = discoveries[0]!.peers();
    expect(peers.map((p) => p.uid)).toEqual([1]);
    expect(peers[0]!.peerId.equals(neurons[1]!.peerId)).toBe(true);
    expect(peers[0]!.hotkey).toBe(neurons[1]!.hotkey);
  });

  it("answers a caller's stake from the metagraph, and undefined for strangers", async () => {
    expect(discoveries[0]!.stakeOf(neurons[1]!.peerId)).toBe(25);
    expect(discoveries[1]!.stakeOf(neurons[0]!.peerId)).toBe(0);
    const stranger = await createNeuronNode(
      { model: new HashingModel(16) },
      { host: '127.0.0.1', dht: false, autonat: false },
    );
    expect(discoveries[0]!.stakeOf(stranger.peerId)).toBeUndefined();
    await stranger.stop();
  });

  it('lets a neuron call a peer by PeerId alone: the addresses come from the ledger', async () => {
    const target = discoveries[0]!.peers()[0]!;
    const tokens = Int32Array.from({ length: 4 }, (_, i) => i + 1);
    const r = await neurons[0]!.dendrite.forward([target.peerId], tokens, 1, 4, 16);
    expect(r.mask).toEqual([true]);
    expect(r.outputs[0]).toHaveLength(4 * 16);
  });

  it('reports a loopback-only node as reachable on this network only, with what to do', () => {
    const r = neurons[0]!.reachability();
    expect(r.status).toBe('private');
    expect(r.confirmed).toEqual([]);
    // The port the system chose (the node was started with port 0), never "port 0".
    const port = /\/tcp\/(\d+)\//.exec(neurons[0]!.multiaddrs()[0]!)![1];
    expect(port).not.toBe('0');
    expect(r.advice).toContain(`forward TCP port ${port} on your router, or turn on UPnP in Settings`);
  });
});
