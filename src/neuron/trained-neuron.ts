import { oneLine } from '../shared/errors.js';
import type { PeerId } from '@libp2p/interface';
import { parseAmount } from '../shared/amount.js';
import type { LedgerClient } from '../ledger/client.js';
import { RpcError } from '../ledger/rpc/protocol.js';
import type { Signer } from '../ledger/wallet/keys.js';
import { TypedEvents } from '../shared/events.js';
import { silentLogger, type Logger } from '../shared/logger.js';
import type { BackendReport, EvaluationEvent, StepEvent, TrainingConfig } from '../shared/training.js';
import { LedgerDiscovery, type KnownPeer, type MetagraphSource } from './discovery.js';
import { selectBackend } from './ml/backend.js';
import { JunkEncoder, type EncoderConfig } from './ml/encoders.js';
import { createEncoder, ServingModel } from './ml/serving.js';
import type { ReachabilityReport } from './network/reachability.js';
import { createNeuronNode, type NeuronNode, type NeuronNodeInit } from './node.js';
import { ensureRegistered } from './registration.js';
import { TrainingHost, type TrainingWorkerFactory } from './training-host.js';
import { weightsFromScores, type WeightPolicy } from './weights.js';

/** What the neuron serves: a model it trains, a pretrained one from a folder, or junk. */
export type NeuronRole =
  | { kind: 'train'; config: TrainingConfig }
  | { kind: 'pretrained'; path: string }
  | { kind: 'junk'; seed: number; dim: number };

export interface LearningNeuronInit {
  role: NeuronRole;
  node?: NeuronNodeInit;
  /** Stake (tokens, decimal string) the neuron's coldkey puts on its hotkey at start if it has less. */
  stake?: string;
  /** How often to submit weights, ms (the ledger's rate limit also applies). Default 20000. */
  weightsEveryMs?: number;
  weights?: WeightPolicy;
  /** Starts the training worker (the desktop app: an Electron utilityProcess). Default: a worker thread. */
  trainingWorker?: TrainingWorkerFactory;
}

export interface LearningNeuronComponents {
  client: LedgerClient;
  /** The metagraph as the host already follows it; without it, discovery reads it from the ledger on a timer. */
  metagraph?: MetagraphSource;
  keys: { hotkey: Signer; coldkey: Signer; hotkeySeed: Uint8Array };
  /** The neuron's logger (its network node logs through it too). Default: silent. */
  logger?: Logger;
}

/** Per-peer view the app shows next to the gate's figures. */
export interface PeerView {
  uid: number;
  gate: number;
  importance: number;
  latencyMs: number | undefined;
  successes: number;
  failures: number;
}

export interface NeuronEvents extends Record<string, unknown> {
  'train:step': StepEvent;
  'gate:update': EvaluationEvent & { peerViews: PeerView[] };
  'weights:set': { block: number; weights: Array<[number, number]> };
  'weights:error': { message: string };
  /** Training stopped: its worker failed too often in a row (serving goes on with the last copy). */
  'train:error': { message: string };
  /** The training worker died; it restarts from the last checkpoint in `retryInMs`. */
  'train:crash': { message: string; attempt: number; retryInMs: number };
  /** The restarted training worker trains again from the checkpoint of step `resumedAt`. */
  'train:recovered': { resumedAt: number };
  /** Training parked after step `step` (paused), or goes on from it. */
  'train:idle': { idle: boolean; step: number };
}

/** A running learning neuron: its node, its uid, its training and events. */
export interface LearningNeuron {
  readonly node: NeuronNode;
  readonly uid: number;
  readonly backend: BackendReport;
  readonly events: TypedEvents<NeuronEvents>;
  readonly serving: ServingModel;
  /** The last evaluation (undefined before the first). */
  lastEvaluation(): EvaluationEvent | undefined;
  /** Peers our libp2p node is connected to now. */
  peersConnected(): number;
  /** Whether peers can dial us, and what to do when they cannot. */
  reachability(): ReachabilityReport;
  /**
   * What failed and was dropped so far: requests for peers' answers that failed as a whole (those batches went on
   * without peers), and event listeners that threw (the neuron's and its training's). Each reason is logged once.
   */
  failures(): { forward: number; listeners: number };
  /** A full evaluation on `batches` held-out batches now (trained neurons only). */
  evaluate(batches: number): Promise<EvaluationEvent | undefined>;
  /** Submits weights from the latest scores now; resolves with the block or undefined when not possible. */
  submitWeights(): Promise<number | undefined>;
  pause(): void;
  resume(): void;
  /** Train on about this share of a core (the app's CPU share and idle policy). */
  throttle(share: number): void;
  stop(): Promise<void>;
}

/**
 * Composition root of a neuron that learns from its peers: the libp2p node serving a copy of the trained
 * encoder, the training worker, peers from the ledger, and weight submission. The desktop host runs this same
 * neuron; the CLI's `neuron train` and `localnet` run it headless.
 */
export async function startLearningNeuron(
  components: LearningNeuronComponents,
  init: LearningNeuronInit,
): Promise<LearningNeuron> {
  // What is started so far, undone in reverse when a later step fails (no worker or node is left running).
  const undo: Array<() => unknown> = [];
  try {
    return await assembleLearningNeuron(components, init, undo);
  } catch (error) {
    for (const step of undo.reverse())
      await Promise.resolve()
        .then(step)
        .catch(() => undefined);
    throw error;
  }
}

async function assembleLearningNeuron(
  components: LearningNeuronComponents,
  init: LearningNeuronInit,
  undo: Array<() => unknown>,
): Promise<LearningNeuron> {
  const log = (components.logger ?? silentLogger).child('learning');
  const { client, keys } = components;
  // This process serves forward passes (the serving copy) on a CPU backend unless one is named; the training
  // worker chooses its own, GPUs included, by its self-test.
  const asked = init.role.kind === 'train' ? init.role.config.backend : undefined;
  const servingBackend = await selectBackend(asked === 'auto' || asked === 'webgpu' ? undefined : asked);
  /** What the neuron shows: the backend it trains on (the worker's choice), else the one it serves on. */
  let backend: BackendReport = servingBackend;
  // Set once the node is up; the training worker may ask for peers before (it then gets no answers).
  const net: { node?: NeuronNode; discovery?: LedgerDiscovery } = {};
  const events = new TypedEvents<NeuronEvents>(log);
  let last: EvaluationEvent | undefined;

  const uidToPeer = (uid: number): KnownPeer | undefined => net.discovery?.all().find((p) => p.uid === uid);
  const host =
    init.role.kind === 'train'
      ? new TrainingHost({
          forward: async (uids, inputs, batch, length) => {
            const targets = uids.map(uidToPeer);
            const reachable = targets.filter((t): t is KnownPeer => t !== undefined);
            if (!net.node || reachable.length === 0) return uids.map(() => null);
            const r = await net.node.dendrite.forward(
              reachable.map((t) => t.peerId),
              inputs,
              batch,
              length,
              serving.dim,
            );
            let next = 0;
            return targets.map((t) => (t ? (r.outputs[next++] ?? null) : null));
          },
          backward: (uids, inputs, grads, batch, length) => {
            if (!net.node) return;
            const pairs = uids.map((u, i) => [uidToPeer(u), grads[i]!] as const).filter(([p]) => p !== undefined);
            void net.node.dendrite.backward(
              pairs.map(([p]) => p!.peerId),
              inputs,
              pairs.map(([, g]) => g),
              batch,
              length,
              serving.dim,
            );
          },
          logger: log,
          spawnWorker: init.trainingWorker,
        })
      : undefined;

  let serving: ServingModel;
  if (host) undo.push(() => host.stop());
  if (host && init.role.kind === 'train') {
    const started = await host.start(init.role.config);
    backend = started.backend;
    const encoder = await createEncoder(started.serving.config as EncoderConfig);
    serving = new ServingModel(encoder, (tokens, grads, batch, seq, caller) =>
      host.gradient(tokens, grads, batch, seq, senderWeight(caller)),
    );
    serving.update(started.serving);
    host.events.on('serving', (s) => serving.update(s));
    host.events.on('train:step', (e) => events.emit('train:step', e));
    host.events.on('error', (e) => events.emit('train:error', { message: oneLine(e) }));
    host.events.on('crash', (e) => events.emit('train:crash', e));
    host.events.on('idle', (e) => events.emit('train:idle', e));
    host.events.on('recovered', (e) => events.emit('train:recovered', e));
    host.events.on('gate:update', (e) => {
      last = e;
      events.emit('gate:update', { ...e, peerViews: peerViews(e) });
    });
  } else if (init.role.kind === 'pretrained') {
    serving = new ServingModel(await createEncoder({ kind: 'pretrained', dim: 0, path: init.role.path }));
  } else {
    const role = init.role as Extract<NeuronRole, { kind: 'junk' }>;
    serving = new ServingModel(new JunkEncoder({ kind: 'junk', dim: role.dim, seed: role.seed }));
  }

  undo.push(() => serving.dispose());
  const node = await createNeuronNode(
    {
      model: serving,
      stakeOf: (peer: PeerId) => net.discovery?.stakeOf(peer),
      logger: components.logger ?? silentLogger,
    },
    { ...init.node, hotkeySeed: keys.hotkeySeed },
  );
  undo.push(() => node.stop());
  const uid = await ensureRegistered(client, keys, node.multiaddrs(), log);
  await ensureStake(client, keys, init.stake, log);
  // From here on the neuron signs with its hotkey only: no closure keeps the coldkey (the wallet's money).
  const hotkey = keys.hotkey;
  const discovery = new LedgerDiscovery(
    { metagraph: components.metagraph ?? client, libp2p: node.libp2p, logger: log },
    { intervalMs: 3000 },
  );
  net.node = node;
  net.discovery = discovery;
  // The training worker learns of peers as soon as discovery reads them (no timer of its own).
  const sendPeers = () =>
    host?.peers(
      discovery
        .peers()
        .filter((p) => p.multiaddrs.length > 0)
        .map((p) => p.uid),
    );
  const unfollowPeers = discovery.onUpdate(sendPeers);
  await discovery.start();
  undo.push(() => discovery.stop());

  /** A sender's market weight in [0, 1]: its stake times its weight on us, against the largest such product. */
  function senderWeight(caller: string | undefined): number {
    const all = net.discovery?.all() ?? [];
    const products = all.map((p) => {
      const row = p.weights;
      const total = row.reduce((s, [, w]) => s + w, 0);
      const onUs = row.find(([u]) => u === uid)?.[1] ?? 0;
      return { id: p.peerId.toString(), stake: p.stake, product: total > 0 ? (p.stake * onUs) / total : 0 };
    });
    const sender = products.find((p) => p.id === caller);
    if (!sender) return 0;
    const maxProduct = Math.max(...products.map((p) => p.product));
    if (maxProduct > 0) return sender.product / maxProduct;
    // Nobody weights us yet (a new network): weigh senders by stake alone.
    const maxStake = Math.max(...products.map((p) => p.stake));
    return maxStake > 0 ? sender.stake / maxStake : 1;
  }

  function peerViews(e: EvaluationEvent): PeerView[] {
    return e.peers.map((p) => {
      const peer = uidToPeer(p.uid);
      const stats = peer ? net.node?.dendrite.peerStats(peer.peerId.toString()) : undefined;
      return {
        ...p,
        latencyMs: stats?.latencyMs,
        successes: stats?.successes ?? 0,
        failures: stats?.failures ?? 0,
      };
    });
  }

  /** The scores weights come from: importance for a trained neuron; none (even weights) otherwise. */
  const scores = () => new Map((last?.peers ?? []).map((p) => [p.uid, p.importance] as [number, number]));

  /**
   * The peers that answer us now: a neuron that queries its peers knows from its last requests (three failures
   * in a row and it is silent); otherwise, and for a neuron that queries nobody (junk, pretrained), a ping says.
   * A peer that does not answer is worth nothing to us: it gets no weight, not even the exploration floor.
   */
  async function answering(peers: KnownPeer[]): Promise<number[]> {
    const alive = await Promise.all(
      peers.map(async (p) => {
        const stats = node.dendrite.peerStats(p.peerId.toString());
        if (stats && stats.successes > 0 && stats.consecutiveFailures === 0) return true;
        if (stats && stats.consecutiveFailures >= 3) return false;
        return node.answers(p.peerId, 3000);
      }),
    );
    return peers.filter((_, i) => alive[i]).map((p) => p.uid);
  }

  async function submitWeights(): Promise<number | undefined> {
    const peers = await answering(discovery.peers().filter((p) => p.multiaddrs.length > 0));
    const pairs = weightsFromScores(scores(), peers, init.weights);
    if (pairs.length === 0) return undefined;
    try {
      const { block } = await client.signAndSubmit(hotkey, { type: 'set_weights', weights: pairs });
      events.emit('weights:set', { block, weights: pairs });
      return block;
    } catch (error) {
      const message = error instanceof RpcError ? error.message : (error as Error).message;
      log.warn('set_weights not accepted; trying again later', { error: message });
      events.emit('weights:error', { message });
      return undefined;
    }
  }
  const weightsTimer = setInterval(() => void submitWeights(), init.weightsEveryMs ?? 20_000);
  weightsTimer.unref();

  let stopped = false;
  return {
    node,
    uid,
    backend,
    events,
    serving,
    lastEvaluation: () => last,
    peersConnected: () => node.peersConnected(),
    reachability: () => node.reachability(),
    failures: () => ({
      forward: host?.forwardFailures ?? 0,
      listeners: events.failures + (host?.events.failures ?? 0),
    }),
    async evaluate(batches) {
      if (!host) return undefined;
      last = await host.evaluate(batches);
      return last;
    },
    submitWeights,
    pause: () => host?.pause(),
    resume: () => host?.resume(),
    throttle: (share) => host?.throttle(share),
    async stop() {
      if (stopped) return;
      stopped = true;
      unfollowPeers();
      clearInterval(weightsTimer);
      await host?.stop();
      await discovery.stop();
      await node.stop();
      serving.dispose();
      events.removeAll();
    },
  };
}

/** Adds stake from the coldkey to the hotkey until it holds `target` tokens. */
async function ensureStake(
  client: LedgerClient,
  keys: { hotkey: Signer; coldkey: Signer },
  target: string | undefined,
  log: Logger,
): Promise<void> {
  if (target === undefined) return;
  const want = parseAmount(target, '--stake');
  const me = await client.neuron(keys.hotkey.address);
  const have = me?.stake ?? 0n;
  if (have >= want) return;
  const amount = want - have;
  log.info('staking', { amount: String(amount) });
  await client.signAndSubmit(keys.coldkey, { type: 'add_stake', hotkey: keys.hotkey.address, amount: String(amount) });
}
