// libp2p's streams call Promise.withResolvers (Node 22+): this module works as a library on older runtimes too.
import { listenError } from '../shared/listen-errors.js';
import '../shared/polyfills.js';
import { noise } from '@chainsafe/libp2p-noise';
import { yamux } from '@chainsafe/libp2p-yamux';
import { autoNAT } from '@libp2p/autonat';
import { bootstrap } from '@libp2p/bootstrap';
import { generateKeyPairFromSeed } from '@libp2p/crypto/keys';
import { identify } from '@libp2p/identify';
import type { Libp2p, PeerId } from '@libp2p/interface';
import { kadDHT } from '@libp2p/kad-dht';
import { mdns } from '@libp2p/mdns';
import { ping } from '@libp2p/ping';
import { tcp } from '@libp2p/tcp';
import { uPnPNAT } from '@libp2p/upnp-nat';
import { createLibp2p } from 'libp2p';
import { encodeAddress } from '../ledger/wallet/address.js';
import { randomSeed } from '../ledger/wallet/keys.js';
import { silentLogger, type Logger } from '../shared/logger.js';
import type { NeuronModel } from './model.js';
import { Axon, type AxonInit } from './network/axon.js';
import { Dendrite, type DendriteInit } from './network/dendrite.js';
import { reachability, type ReachabilityReport } from './network/reachability.js';

export interface NeuronNodeInit {
  /** The hotkey's 32-byte ed25519 seed: the libp2p identity, so a peer on the wire maps to a uid. Random when absent. */
  hotkeySeed?: Uint8Array;
  /** TCP port to listen on (0 picks one). Default 0. */
  port?: number;
  /** Interface to listen on. Default 0.0.0.0 (all). */
  host?: string;
  /** Multiaddrs of peers to dial at start. */
  bootstrap?: string[];
  /** Kademlia DHT for peer routing. Default true. */
  dht?: boolean;
  /** mDNS discovery on the LAN. Default false (it multicasts; never in tests). */
  mdns?: boolean;
  /** UPnP / NAT-PMP port mapping on the router. Default false (it multicasts; never in tests). */
  upnp?: boolean;
  /** AutoNAT: ask peers whether our addresses are reachable. Default true. */
  autonat?: boolean;
  axon?: AxonInit;
  dendrite?: DendriteInit;
}

export interface NeuronNodeComponents {
  model: NeuronModel;
  /** Stake of a caller (undefined: unknown to the ledger); from the metagraph when a ledger is used. */
  stakeOf?: (peer: PeerId) => number | undefined;
  /** Default: silent. */
  logger?: Logger;
}

/** A running neuron on the network: its libp2p node, the serving axon and the calling dendrite. */
export interface NeuronNode {
  readonly libp2p: Libp2p;
  readonly axon: Axon;
  readonly dendrite: Dendrite;
  readonly peerId: PeerId;
  /** The hotkey address matching the libp2p identity. */
  readonly hotkey: string;
  multiaddrs(): string[];
  /**
   * Peers with a connection open to this node, each counted once: a peer may hold several (after a laptop's
   * sleep both sides dial again, and the old connection lingers until it times out).
   */
  peersConnected(): number;
  /** Whether `peer` answers a libp2p ping within `timeoutMs`. */
  answers(peer: PeerId, timeoutMs: number): Promise<boolean>;
  /** Whether others can reach this node (from AutoNAT and UPnP), with one line of advice. */
  reachability(): ReachabilityReport;
  stop(): Promise<void>;
}

/** The hotkey address of a peer (its libp2p identity is its hotkey), or undefined for a non-ed25519 peer. */
export function hotkeyOfPeer(peer: PeerId): string | undefined {
  return peer.type === 'Ed25519' && peer.publicKey ? encodeAddress(peer.publicKey.raw) : undefined;
}

/**
 * Composition root of the neuron's network side: libp2p (TCP, Noise, Yamux, identify, ping, Kademlia,
 * bootstrap; mDNS, UPnP and AutoNAT as configured) with the axon serving the model and the dendrite
 * calling others.
 */
export async function createNeuronNode(
  components: NeuronNodeComponents,
  init: NeuronNodeInit = {},
): Promise<NeuronNode> {
  const log = (components.logger ?? silentLogger).child('neuron');
  const privateKey = await generateKeyPairFromSeed('Ed25519', init.hotkeySeed ?? randomSeed());
  const peerDiscovery = [];
  if (init.bootstrap && init.bootstrap.length > 0) peerDiscovery.push(bootstrap({ list: init.bootstrap }));
  if (init.mdns) peerDiscovery.push(mdns());
  const host = init.host ?? '0.0.0.0';
  const port = init.port ?? 0;
  const libp2p = await createLibp2p({
    privateKey,
    addresses: { listen: [`/ip4/${host}/tcp/${port}`] },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    peerDiscovery,
    services: {
      identify: identify(),
      ping: ping(),
      // Loopback and private addresses pass the DHT: local networks are a first-class use here.
      ...((init.dht ?? true)
        ? { dht: kadDHT({ protocol: '/bittensor/kad/1.0.0', clientMode: false, peerInfoMapper: (p) => p }) }
        : {}),
      ...(init.upnp ? { upnp: uPnPNAT() } : {}),
      ...((init.autonat ?? true) ? { autonat: autoNAT() } : {}),
      reachability: reachability(),
    },
  }).catch((error: unknown) => {
    throw listenError(error, host, port, { port: '--port', host: '--host' });
  });
  const stakeOf = components.stakeOf ?? (() => undefined);
  const axon = new Axon({ libp2p, model: components.model, stakeOf, logger: log }, init.axon);
  await axon.start();
  const dendrite = new Dendrite(libp2p, init.dendrite);
  const hotkey = hotkeyOfPeer(libp2p.peerId) as string;
  log.info('neuron started', { peerId: libp2p.peerId.toString(), hotkey });

  let stopped = false;
  return {
    libp2p,
    axon,
    dendrite,
    peerId: libp2p.peerId,
    hotkey,
    multiaddrs: () => libp2p.getMultiaddrs().map((m) => m.toString()),
    peersConnected: () => libp2p.getPeers().length,
    reachability: () => libp2p.services.reachability.report(),
    answers: (peer, timeoutMs) =>
      libp2p.services.ping.ping(peer, { signal: AbortSignal.timeout(timeoutMs) }).then(
        () => true,
        () => false,
      ),
    async stop() {
      if (stopped) return;
      stopped = true;
      await axon.stop();
      await libp2p.stop();
    },
  };
}
