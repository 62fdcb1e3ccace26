/**
 * Real neurons on 127.0.0.1 for the network tests: in-process nodes, nodes in a worker thread (so that a model
 * that busy-waits slows its own peer only, not the test's clients), and raw stream exchanges that can send
 * anything, framed or not.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Libp2p, PeerId } from '@libp2p/interface';
import { lpStream } from '@libp2p/utils';
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr';
import { HashingModel, type NeuronModel } from '../../src/neuron/model.js';
import type { AxonInit } from '../../src/neuron/network/axon.js';
import { BACKWARD_PROTOCOL, FORWARD_PROTOCOL, framing } from '../../src/neuron/network/axon.js';
import type { DendriteInit } from '../../src/neuron/network/dendrite.js';
import {
  BackwardRequest,
  BackwardResponse,
  ForwardRequest,
  ForwardResponse,
} from '../../src/neuron/network/proto/bittensor.js';
import { createNeuronNode, type NeuronNode } from '../../src/neuron/node.js';

export interface TestNeuronInit {
  model?: NeuronModel;
  dim?: number;
  axon?: AxonInit;
  dendrite?: DendriteInit;
  stakeOf?: (peer: PeerId) => number | undefined;
  hotkeySeed?: Uint8Array;
  port?: number;
}

/** HashingModel that counts the gradients it receives, so that tests can see backward calls arrive. */
export class RecordingModel extends HashingModel {
  /** Sum of squared gradient entries received. */
  gradientEnergy = 0;
  backwardCalls = 0;

  override backward(_tokens: Int32Array, grads: Float32Array): void {
    let e = 0;
    for (let i = 0; i < grads.length; i++) e += grads[i]! * grads[i]!;
    this.gradientEnergy += e;
    this.backwardCalls++;
  }
}

/** A neuron on 127.0.0.1 with no DHT, AutoNAT, mDNS or UPnP. */
export function startNeuron(init: TestNeuronInit = {}): Promise<NeuronNode> {
  const model = init.model ?? new HashingModel(init.dim ?? 16);
  return createNeuronNode(
    { model, ...(init.stakeOf ? { stakeOf: init.stakeOf } : {}) },
    {
      host: '127.0.0.1',
      port: init.port ?? 0,
      autonat: false,
      dht: false,
      mdns: false,
      upnp: false,
      ...(init.hotkeySeed ? { hotkeySeed: init.hotkeySeed } : {}),
      ...(init.axon ? { axon: init.axon } : {}),
      ...(init.dendrite ? { dendrite: init.dendrite } : {}),
    },
  );
}

/** The node's first listen address, with /p2p/. */
export const addressOf = (node: NeuronNode): Multiaddr => multiaddr(node.multiaddrs()[0]!);

/** A protobuf varint (up to 2^53). */
export function varint(n: number): Uint8Array {
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n % 0x80) | 0x80);
    n = Math.floor(n / 0x80);
  }
  out.push(n);
  return Uint8Array.from(out);
}

/** `bytes` with its varint length prefix. */
export const framed = (bytes: Uint8Array): Uint8Array => Uint8Array.from([...varint(bytes.length), ...bytes]);

export interface Exchange {
  /** The answer frame, when one came. */
  frame?: Uint8Array;
  /** Why no answer came (a reset, an end of stream, our own deadline). */
  error?: Error;
  /** Time from the dial to the answer or the error. */
  ms: number;
}

/** A negotiated stream for one request: send bytes now or later, then read the one answer. */
export interface OpenRequest {
  /** Writes `bytes` exactly as given (framed or not), at once, without waiting. */
  send(bytes: Uint8Array): void;
  /** Reads one length-prefixed answer (or the reason none came), then closes or aborts the stream. */
  answer(): Promise<Exchange>;
}

/** Opens a stream for `protocol` (negotiated: the server's handler has it); `timeoutMs` bounds its whole life. */
export async function openRequest(
  client: Libp2p,
  target: Multiaddr,
  protocol: string,
  timeoutMs = 5000,
): Promise<OpenRequest> {
  const started = performance.now();
  const signal = AbortSignal.timeout(timeoutMs);
  const stream = await client.dialProtocol(target, protocol, { signal });
  const lp = lpStream(stream, framing(64 << 20));
  let failed: Error | undefined;
  return {
    send(bytes) {
      try {
        stream.send(bytes);
      } catch (error) {
        failed = error as Error;
      }
    },
    async answer() {
      try {
        if (failed) throw failed;
        const frame = (await lp.read({ signal })).subarray();
        await stream.close({ signal }).catch(() => undefined);
        return { frame, ms: performance.now() - started };
      } catch (error) {
        stream.abort(error as Error);
        return { error: error as Error, ms: performance.now() - started };
      }
    },
  };
}

/**
 * Opens a stream for `protocol` and writes `bytes` exactly as given (framed or not; nothing when undefined),
 * then reads one length-prefixed answer.
 */
export async function exchange(
  client: Libp2p,
  target: Multiaddr,
  protocol: string,
  bytes: Uint8Array | undefined,
  timeoutMs = 5000,
): Promise<Exchange> {
  const request = await openRequest(client, target, protocol, timeoutMs);
  if (bytes) request.send(bytes);
  return request.answer();
}

/** A forward request, framed, and its decoded answer (throws when none came). */
export async function askForward(
  client: Libp2p,
  target: Multiaddr,
  request: Partial<ForwardRequest>,
  timeoutMs?: number,
): Promise<ForwardResponse> {
  const { frame, error } = await exchange(
    client,
    target,
    FORWARD_PROTOCOL,
    framed(ForwardRequest.encode(request)),
    timeoutMs,
  );
  if (!frame) throw error;
  return ForwardResponse.decode(frame);
}

/** A backward request, framed, and its decoded answer (throws when none came). */
export async function askBackward(
  client: Libp2p,
  target: Multiaddr,
  request: Partial<BackwardRequest>,
  timeoutMs?: number,
): Promise<BackwardResponse> {
  const { frame, error } = await exchange(
    client,
    target,
    BACKWARD_PROTOCOL,
    framed(BackwardRequest.encode(request)),
    timeoutMs,
  );
  if (!frame) throw error;
  return BackwardResponse.decode(frame);
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Like Promise.all, but waits for every promise before throwing the first error (no stray rejections). */
export async function allSettledOrThrow<T>(promises: Array<Promise<T>>): Promise<T[]> {
  const results = await Promise.allSettled(promises);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return results.map((r) => (r as PromiseFulfilledResult<T>).value);
}

/** What a worker neuron reports about itself. */
export interface WorkerNeuronStats {
  served: number;
  refused: Record<string, number>;
  forwardCalls: number;
  /** The first token id of each forward pass, in the order the model ran them. */
  firstTokens: number[];
}

/** A neuron running in a worker thread. */
export interface WorkerNeuron {
  readonly address: Multiaddr;
  readonly peerId: string;
  stats(): Promise<WorkerNeuronStats>;
  /** Resolves once the model has started its `n`th forward pass (counted from the start), while it runs. */
  forwardStarted(n: number): Promise<void>;
  stop(): Promise<void>;
}

export interface WorkerNeuronInit {
  dim: number;
  /** Each forward busy-waits this long before answering (blocking its worker's event loop, as a slow model does). */
  forwardDelayMs: number;
  axon?: AxonInit;
  /** Stake per caller PeerId string; others are unknown. */
  stakes?: Record<string, number>;
}

const dist = (path: string) => new URL(`../../dist/${path}`, import.meta.url).href;

// A CommonJS script (eval workers are), loading the built ESM modules. The model is HashingModel with a
// busy-wait in forward: a slow peer whose slowness is its own computation.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
(async () => {
  await import(workerData.polyfills);
  const { createNeuronNode } = await import(workerData.node);
  const { HashingModel } = await import(workerData.model);
  let forwardCalls = 0;
  const firstTokens = [];
  class SlowModel extends HashingModel {
    forward(tokens, batch, seq) {
      forwardCalls++;
      firstTokens.push(tokens[0]);
      parentPort.postMessage({ forwardStarted: forwardCalls });
      const until = performance.now() + workerData.forwardDelayMs;
      while (performance.now() < until);
      return super.forward(tokens, batch, seq);
    }
  }
  const stakes = workerData.stakes;
  const node = await createNeuronNode(
    { model: new SlowModel(workerData.dim), stakeOf: (peer) => stakes[peer.toString()] },
    { host: '127.0.0.1', autonat: false, dht: false, mdns: false, upnp: false, axon: workerData.axon },
  );
  parentPort.on('message', async (m) => {
    if (m === 'stats') parentPort.postMessage({ stats: { ...node.axon.stats, forwardCalls, firstTokens } });
    if (m === 'stop') {
      await node.stop();
      parentPort.postMessage({ stopped: true });
    }
  });
  parentPort.postMessage({ ready: { address: node.multiaddrs()[0], peerId: node.peerId.toString() } });
})().catch((error) => parentPort.postMessage({ error: String(error && error.stack || error) }));
`;

/** Starts a neuron in a worker thread (it runs the built code in dist/: `npm run build` first). */
export async function startWorkerNeuron(init: WorkerNeuronInit): Promise<WorkerNeuron> {
  const built = dist('neuron/node.js');
  if (!existsSync(fileURLToPath(built))) throw new Error('dist/ is missing: run `npm run build` first');
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: {
      polyfills: dist('shared/polyfills.js'),
      node: built,
      model: dist('neuron/model.js'),
      dim: init.dim,
      forwardDelayMs: init.forwardDelayMs,
      axon: init.axon ?? {},
      stakes: init.stakes ?? {},
    },
  });
  let started = 0;
  const startWaiters: Array<{ n: number; resolve: () => void }> = [];
  worker.on('message', (m: { forwardStarted?: number }) => {
    if (m.forwardStarted === undefined) return;
    started = m.forwardStarted;
    for (const w of startWaiters.filter((w) => w.n <= started)) {
      startWaiters.splice(startWaiters.indexOf(w), 1);
      w.resolve();
    }
  });
  type Message = {
    ready?: { address: string; peerId: string };
    error?: string;
    stats?: WorkerNeuronStats;
    stopped?: boolean;
  };
  const next = (key: keyof Message) =>
    new Promise<Message>((resolve, reject) => {
      const onMessage = (m: Message) => {
        if (m.error) reject(new Error(m.error));
        else if (m[key] !== undefined) {
          worker.off('message', onMessage);
          resolve(m);
        }
      };
      worker.on('message', onMessage);
      worker.once('error', reject);
    });
  const { ready } = await next('ready');
  let stopped = false;
  return {
    address: multiaddr(ready!.address),
    peerId: ready!.peerId,
    async stats() {
      const answer = next('stats');
      worker.postMessage('stats');
      return (await answer).stats!;
    },
    forwardStarted(n: number) {
      return n <= started ? Promise.resolve() : new Promise<void>((resolve) => startWaiters.push({ n, resolve }));
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      const done = next('stopped');
      worker.postMessage('stop');
      await Promise.race([done, sleep(3000)]);
      await worker.terminate();
    },
  };
}
