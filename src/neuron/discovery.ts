import { publicKeyFromRaw } from '@libp2p/crypto/keys';
import type { Libp2p, PeerId } from '@libp2p/interface';
import { peerIdFromPublicKey } from '@libp2p/peer-id';
import { multiaddr } from '@multiformats/multiaddr';
import { tokensAsNumber } from '../shared/amount.js';
import type { NeuronInfo } from '../ledger/client.js';
import { PeriodicTask } from '../ledger/periodic.js';
import { decodeAddress } from '../ledger/wallet/address.js';
import { silentLogger, type Logger } from '../shared/logger.js';
import { hotkeyOfPeer } from './node.js';

/** A registered neuron as the network layer sees it. */
export interface KnownPeer {
  uid: number;
  hotkey: string;
  peerId: PeerId;
  /** Stake in tokens (a float, for priorities; the ledger keeps exact base units). */
  stake: number;
  multiaddrs: string[];
  /** Its weights on the ledger: [uid, u16] pairs. */
  weights: Array<[number, number]>;
}

/** Where the metagraph comes from: the ledger (read on a timer), or a feed that says when it changed. */
export interface MetagraphSource {
  /** The metagraph now. */
  neurons(): Promise<NeuronInfo[]>;
  /** Calls `listener` whenever the metagraph may have changed; returns a function that removes it. Absent: poll. */
  onChange?(listener: () => void): () => void;
}

export interface LedgerDiscoveryInit {
  /** How often to read the metagraph when its source cannot say when it changed, ms. Default 5000. */
  intervalMs?: number;
}

export interface LedgerDiscoveryComponents {
  /** The ledger's client, or the host's chain feed (then nothing is polled). */
  metagraph: MetagraphSource;
  libp2p: Libp2p;
  logger?: Logger;
}

/**
 * Peers from the ledger: reads the metagraph, maps each registered hotkey to its PeerId (the hotkey is
 * the libp2p identity), adds the registered multiaddrs to the peer store, and answers the stake of a caller.
 */
export class LedgerDiscovery {
  private byHotkey = new Map<string, KnownPeer>();
  private readonly task: PeriodicTask | undefined;
  private readonly log: Logger;
  private readonly updated = new Set<() => void>();
  private unfollow: (() => void) | undefined;

  constructor(
    private readonly components: LedgerDiscoveryComponents,
    init: LedgerDiscoveryInit = {},
  ) {
    this.log = (components.logger ?? silentLogger).child('discovery');
    if (!components.metagraph.onChange) this.task = new PeriodicTask(() => this.refresh(), init.intervalMs ?? 5000);
  }

  /** Reads the metagraph, then follows it (on its source's changes, or on a timer). Safe to call twice. */
  async start(): Promise<void> {
    await this.refresh();
    this.unfollow ??= this.components.metagraph.onChange?.(() => void this.refresh());
    this.task?.start();
  }

  async stop(): Promise<void> {
    this.unfollow?.();
    this.unfollow = undefined;
    await this.task?.stop();
  }

  /** Calls `listener` after each read of the metagraph; returns a function that removes it. */
  onUpdate(listener: () => void): () => void {
    this.updated.add(listener);
    return () => this.updated.delete(listener);
  }

  /** The registered peers other than this node, by uid. */
  peers(): KnownPeer[] {
    const self = this.components.libp2p.peerId.toString();
    return [...this.byHotkey.values()].filter((p) => p.peerId.toString() !== self).sort((a, b) => a.uid - b.uid);
  }

  /** Every registered neuron, this one included. */
  all(): KnownPeer[] {
    return [...this.byHotkey.values()].sort((a, b) => a.uid - b.uid);
  }

  /** A caller's stake, or undefined when it is not registered. */
  stakeOf(peer: PeerId): number | undefined {
    const hotkey = hotkeyOfPeer(peer);
    return hotkey === undefined ? undefined : this.byHotkey.get(hotkey)?.stake;
  }

  /** Reads the metagraph once. Errors are logged; the last good view stays. */
  async refresh(): Promise<void> {
    try {
      const neurons = await this.components.metagraph.neurons();
      const next = new Map<string, KnownPeer>();
      for (const n of neurons) {
        // A 32-byte raw key is an ed25519 key: the hotkey is the peer's libp2p identity.
        const peerId = peerIdFromPublicKey(publicKeyFromRaw(decodeAddress(n.hotkey)));
        next.set(n.hotkey, {
          uid: n.uid,
          hotkey: n.hotkey,
          peerId,
          stake: tokensAsNumber(n.stake),
          multiaddrs: n.multiaddrs,
          weights: n.weights,
        });
        const addrs = n.multiaddrs.flatMap((m) => {
          try {
            return [multiaddr(m)];
          } catch {
            return [];
          }
        });
        if (addrs.length > 0 && !peerId.equals(this.components.libp2p.peerId)) {
          await this.components.libp2p.peerStore.merge(peerId, { multiaddrs: addrs });
        }
      }
      this.byHotkey = next;
    } catch (error) {
      this.log.warn('cannot read the metagraph', { error: (error as Error).message });
      return;
    }
    for (const listener of [...this.updated]) listener();
  }
}
