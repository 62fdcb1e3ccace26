import { createHash } from 'node:crypto';
import { littleEndianBytes } from '../shared/bytes.js';
import type { NeuronScores } from '../shared/neuron-scores.js';
import { canonicalJson } from './canonical.js';
import { csrFromRows, csrToRows, emptyCsr, type CsrMatrix } from './mechanism/index.js';
import type { ChainParams } from './params.js';

/** An account: its free balance (base units) and the nonce its next transaction must carry. */
export interface Account {
  free: bigint;
  nonce: number;
}

/** A registered neuron, identified by its uid (its index) and its hotkey; its scores are from the last epoch. */
export interface Neuron extends NeuronScores {
  uid: number;
  hotkey: string;
  coldkey: string;
  multiaddrs: string[];
  registeredAt: number;
  /** Height of its last accepted set_weights, or -1. */
  lastUpdate: number;
  /** [uid, weight] pairs, uids ascending, weights 1..65535. */
  weights: Array<[number, number]>;
  emission: bigint;
}

/** A freshly registered neuron: no weights yet, no values from an epoch. */
export function newNeuron(uid: number, hotkey: string, coldkey: string, multiaddrs: string[], height: number): Neuron {
  return {
    uid,
    hotkey,
    coldkey,
    multiaddrs: [...multiaddrs],
    registeredAt: height,
    lastUpdate: -1,
    weights: [],
    rank: 0,
    trust: 0,
    consensus: 0,
    incentive: 0,
    dividends: 0,
    emission: 0n,
  };
}

/** Per-neuron values of one epoch, kept so that the UI can draw history. Amounts are decimal base units. */
export interface EpochRecord {
  epoch: number;
  block: number;
  loss: number;
  minWeights: number;
  minted: string;
  neurons: Array<
    NeuronScores & {
      uid: number;
      hotkey: string;
      stake: string;
      emissionShare: number;
      emission: string;
    }
  >;
}

/**
 * The whole ledger state at one height. Transitions live in transition.ts and epoch.ts; this class holds
 * the data, answers queries and serializes itself canonically (the state root is the hash of that form).
 */
export class LedgerState {
  height = 0;
  epoch = 0;
  /** The current minimum number of weights per set_weights (the consensus peg). */
  minWeights: number;
  /** Tokens ever minted and burned, in base units. */
  issuance = 0n;
  burned = 0n;
  readonly accounts = new Map<string, Account>();
  readonly neurons: Neuron[] = [];
  readonly uidOf = new Map<string, number>();
  /** stakes.get(hotkey).get(coldkey): base units staked by that coldkey on that hotkey. */
  readonly stakes = new Map<string, Map<string, bigint>>();
  /** Bonds between uids, carried from epoch to epoch. */
  bonds: CsrMatrix = emptyCsr(0, 0);

  constructor(
    readonly genesisHash: string,
    readonly params: Readonly<ChainParams>,
  ) {
    this.minWeights = params.minAllowedWeights;
  }

  account(address: string): Account {
    return this.accounts.get(address) ?? { free: 0n, nonce: 0 };
  }

  /** Mutable account record, created on first use. */
  accountForUpdate(address: string): Account {
    let a = this.accounts.get(address);
    if (!a) {
      a = { free: 0n, nonce: 0 };
      this.accounts.set(address, a);
    }
    return a;
  }

  /** Total stake on a hotkey. */
  hotkeyStake(hotkey: string): bigint {
    let total = 0n;
    for (const v of this.stakes.get(hotkey)?.values() ?? []) total += v;
    return total;
  }

  /** Stake a coldkey has put on any hotkey. */
  coldkeyStake(coldkey: string): bigint {
    let total = 0n;
    for (const byColdkey of this.stakes.values()) total += byColdkey.get(coldkey) ?? 0n;
    return total;
  }

  stakeOf(hotkey: string, coldkey: string): bigint {
    return this.stakes.get(hotkey)?.get(coldkey) ?? 0n;
  }

  setStake(hotkey: string, coldkey: string, amount: bigint): void {
    let byColdkey = this.stakes.get(hotkey);
    if (!byColdkey) {
      byColdkey = new Map();
      this.stakes.set(hotkey, byColdkey);
    }
    if (amount === 0n) byColdkey.delete(coldkey);
    else byColdkey.set(coldkey, amount);
    if (byColdkey.size === 0) this.stakes.delete(hotkey);
  }

  /**
   * An independent copy to execute a block on (the ABCI application's FinalizeBlock and check state). Costs
   * O(accounts + neurons): weight lists and the bond matrix are shared, since transitions replace them whole
   * and never change them in place.
   */
  clone(): LedgerState {
    const c = new LedgerState(this.genesisHash, this.params);
    c.height = this.height;
    c.epoch = this.epoch;
    c.minWeights = this.minWeights;
    c.issuance = this.issuance;
    c.burned = this.burned;
    for (const [address, a] of this.accounts) c.accounts.set(address, { ...a });
    for (const n of this.neurons) c.neurons.push({ ...n, multiaddrs: [...n.multiaddrs] });
    for (const [hotkey, uid] of this.uidOf) c.uidOf.set(hotkey, uid);
    for (const [hotkey, byColdkey] of this.stakes) c.stakes.set(hotkey, new Map(byColdkey));
    c.bonds = this.bonds;
    return c;
  }

  /** The canonical, JSON-ready form of the state: what the state root hashes and what snapshots store. */
  toSnapshot(): StateSnapshot {
    return {
      ...this.toSnapshotHead(),
      neurons: this.neurons.map((n) => ({ ...n, emission: n.emission.toString() })),
      bonds: csrToRows(this.bonds),
    };
  }

  /** Restores a state from its snapshot. */
  static fromSnapshot(snapshot: StateSnapshot, params: Readonly<ChainParams>): LedgerState {
    const s = new LedgerState(snapshot.genesisHash, params);
    s.height = snapshot.height;
    s.epoch = snapshot.epoch;
    s.minWeights = snapshot.minWeights;
    s.issuance = BigInt(snapshot.issuance);
    s.burned = BigInt(snapshot.burned);
    for (const [address, free, nonce] of snapshot.accounts) s.accounts.set(address, { free: BigInt(free), nonce });
    for (const [hotkey, coldkey, amount] of snapshot.stakes) s.setStake(hotkey, coldkey, BigInt(amount));
    for (const n of snapshot.neurons) {
      s.neurons.push({ ...n, emission: BigInt(n.emission) });
      s.uidOf.set(n.hotkey, n.uid);
    }
    s.bonds = csrFromRows(snapshot.bonds, snapshot.bonds.length);
    return s;
  }

  /**
   * The state root: sha256 over the same content as the snapshot, fed incrementally. Numbers that change
   * in bulk (weights, bonds) go in as raw little-endian bytes rather than decimal text, and the bonds' part
   * is cached per bond matrix (it changes only at epochs), so a block's root costs little more than the
   * accounts and neuron records it covers.
   */
  root(): string {
    const h = createHash('sha256');
    const { accounts, stakes, ...meta } = this.toSnapshotHead();
    h.update(canonicalJson(meta));
    h.update(canonicalJson(accounts));
    h.update(canonicalJson(stakes));
    for (const n of this.neurons) {
      const { weights, emission, ...scalars } = n;
      h.update(canonicalJson({ ...scalars, emission: emission.toString() }));
      const packed = new Uint32Array(weights.length * 2);
      weights.forEach(([uid, w], k) => {
        packed[2 * k] = uid;
        packed[2 * k + 1] = w;
      });
      h.update(littleEndianBytes(packed));
    }
    h.update(bondsDigest(this.bonds));
    return h.digest('hex');
  }

  /** The snapshot's small parts (everything but neurons and bonds), shared by toSnapshot and root. */
  private toSnapshotHead(): Omit<StateSnapshot, 'neurons' | 'bonds'> {
    const accounts = [...this.accounts.entries()]
      .filter(([, a]) => a.free !== 0n || a.nonce !== 0)
      .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))
      .map(([address, a]) => [address, a.free.toString(), a.nonce] as [string, string, number]);
    const stakes: Array<[string, string, string]> = [];
    for (const [hotkey, byColdkey] of this.stakes) {
      for (const [coldkey, amount] of byColdkey) stakes.push([hotkey, coldkey, amount.toString()]);
    }
    stakes.sort((a, b) => (a[0] + a[1] < b[0] + b[1] ? -1 : 1));
    return {
      genesisHash: this.genesisHash,
      height: this.height,
      epoch: this.epoch,
      minWeights: this.minWeights,
      issuance: this.issuance.toString(),
      burned: this.burned.toString(),
      accounts,
      stakes,
    };
  }
}

const bondsDigests = new WeakMap<CsrMatrix, Buffer>();

/** sha256 of a bond matrix's shape and arrays; cached, since a matrix object never changes once built. */
function bondsDigest(m: CsrMatrix): Buffer {
  let d = bondsDigests.get(m);
  if (!d) {
    const h = createHash('sha256');
    h.update(littleEndianBytes(Uint32Array.of(m.rows, m.cols)));
    h.update(littleEndianBytes(m.rowPtr));
    h.update(littleEndianBytes(m.colIdx));
    h.update(littleEndianBytes(m.values));
    d = h.digest();
    bondsDigests.set(m, d);
  }
  return d;
}

export interface StateSnapshot {
  genesisHash: string;
  height: number;
  epoch: number;
  minWeights: number;
  issuance: string;
  burned: string;
  accounts: Array<[string, string, number]>;
  stakes: Array<[string, string, string]>;
  neurons: Array<Omit<Neuron, 'emission'> & { emission: string }>;
  bonds: Array<Array<[number, number]>>;
}
