import type { AddressManager } from '@libp2p/interface-internal';
import { isPrivate } from '@libp2p/utils';

/** Whether other peers can reach this neuron, for the user. */
export interface ReachabilityReport {
  /** 'public': a public address was confirmed by AutoNAT (or UPnP); 'unconfirmed': a public address is known but not
   * confirmed yet; 'private': only loopback or private-network addresses, reachable on this network only. */
  status: 'public' | 'unconfirmed' | 'private';
  confirmed: string[];
  unconfirmed: string[];
  /** One line that says what it means and what to do. */
  advice: string;
}

/**
 * A tiny libp2p service that reads the address manager, where AutoNAT and UPnP record which of our
 * addresses others have confirmed they can dial.
 */
export class Reachability {
  constructor(private readonly components: { addressManager: AddressManager }) {}

  /** Where we stand, and what to do about it (naming the TCP port we really listen on, even one the system chose). */
  report(): ReachabilityReport {
    const all = this.components.addressManager.getAddressesWithMetadata();
    const port = all.map((a) => /\/tcp\/(\d+)/.exec(a.multiaddr.toString())?.[1]).find((p) => p && p !== '0') ?? '?';
    const pub = all.filter((a) => !isPrivate(a.multiaddr));
    const confirmed = pub.filter((a) => a.verified).map((a) => a.multiaddr.toString());
    const unconfirmed = pub.filter((a) => !a.verified).map((a) => a.multiaddr.toString());
    if (confirmed.length > 0) {
      return { status: 'public', confirmed, unconfirmed, advice: `reachable from the internet at ${confirmed[0]}` };
    }
    if (unconfirmed.length > 0) {
      return {
        status: 'unconfirmed',
        confirmed,
        unconfirmed,
        advice: `not yet confirmed reachable at ${unconfirmed[0]}; peers check it as they connect (forward TCP port ${port} on your router if it stays so)`,
      };
    }
    return {
      status: 'private',
      confirmed,
      unconfirmed,
      advice: `only private addresses: peers on this network can reach you; for the internet, forward TCP port ${port} on your router, or turn on UPnP in Settings`,
    };
  }
}

/** The service factory for createLibp2p's `services`. */
export function reachability(): (components: { addressManager: AddressManager }) => Reachability {
  return (components) => new Reachability(components);
}
