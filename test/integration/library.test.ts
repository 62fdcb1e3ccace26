import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runNode } from '../support/cli.js';

const dist = (path: string) => fileURLToPath(new URL(`../../dist/${path}`, import.meta.url));

/** Runs an ES module script in a fresh node (no test setup, no CLI entry point). */
const runModule = (source: string) => runNode(['--input-type=module', '-e', source]);

describe('the neuron and the ledger as libraries', () => {
  it('dist/neuron/node.js serves a forward between two nodes on a runtime without Promise.withResolvers', async () => {
    // Node 20 lacks Promise.withResolvers; remove it to run as there, whatever this node's version is.
    const script = `
      delete Promise.withResolvers;
      const { createNeuronNode } = await import(${JSON.stringify(dist('neuron/node.js'))});
      const { HashingModel } = await import(${JSON.stringify(dist('neuron/model.js'))});
      const { multiaddr } = await import('@multiformats/multiaddr');
      const init = { host: '127.0.0.1', autonat: false, dht: false };
      const a = await createNeuronNode({ model: new HashingModel(8) }, init);
      const b = await createNeuronNode({ model: new HashingModel(8) }, init);
      const r = await b.dendrite.forward([multiaddr(a.multiaddrs()[0])], Int32Array.of(1, 2, 3), 1, 3, 8);
      console.log(JSON.stringify({ mask: r.mask, length: r.outputs[0]?.length }));
      await Promise.all([a.stop(), b.stop()]);
    `;
    const r = await runModule(script);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ mask: [true], length: 24 });
  });

  it('dist/ledger/node.js runs the embedded ledger from a plain script', async () => {
    const script = `
      const { startLedger } = await import(${JSON.stringify(dist('ledger/node.js'))});
      const { makeGenesis } = await import(${JSON.stringify(dist('ledger/block.js'))});
      const { LedgerClient } = await import(${JSON.stringify(dist('ledger/client.js'))});
      const node = await startLedger({ genesis: () => makeGenesis([], { blockTimeMs: 20 }) });
      while (node.chain.height < 2) await new Promise((r) => setTimeout(r, 10));
      const info = await new LedgerClient(node.rpcUrl).info();
      console.log(JSON.stringify({ role: info.role, ok: info.height >= 2 }));
      await node.stop();
    `;
    const r = await runModule(script);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({ role: 'embedded', ok: true });
  });
});
