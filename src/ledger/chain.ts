import { silentLogger, type Logger } from '../shared/logger.js';
import { InvalidInputError, oneLine, UserError } from '../shared/errors.js';
import { TypedEvents } from '../shared/events.js';
import { FailureLog } from '../shared/failure-log.js';
import { blockHash, genesisHash, txRoot, type Block, type Genesis } from './block.js';
import { isEpochBlock, runEpoch } from './epoch.js';
import { LedgerState, type EpochRecord } from './state.js';
import type { ChainStore } from './storage.js';
import { applyTx } from './transition.js';
import { txHash, type SignedTx } from './tx.js';

/** A block that does not follow from our chain: bad signature, bad link, a transaction that fails, another state root. */
export class BlockRejectedError extends UserError {
  override name = 'BlockRejectedError';
}

/** The stored data belongs to another chain than the one asked for. */
export class ChainMismatchError extends UserError {
  override name = 'ChainMismatchError';
}

export interface ChainEvents extends Record<string, unknown> {
  'block:new': { block: Block; hash: string; epoch: EpochRecord | undefined };
  'epoch:end': EpochRecord;
}

export interface ProducedBlock {
  block: Block;
  hash: string;
  included: SignedTx[];
  rejected: Array<{ tx: SignedTx; reason: string }>;
  epoch: EpochRecord | undefined;
}

/** A block executed on a copy of the head state, not yet stored (the ABCI application's FinalizeBlock). */
export interface PendingBlock {
  block: Block;
  state: LedgerState;
  /** Per candidate transaction, in order: undefined when applied, else why it was not. */
  results: Array<string | undefined>;
  epoch: EpochRecord | undefined;
}

/** Blocks between state snapshots; on start the chain replays at most this many blocks. */
const SNAPSHOT_EVERY = 100;

/**
 * The chain engine shared by the authority and its followers: the state at the head, block production,
 * block import (re-execution with the state root check) and recovery from the store after a crash.
 */
export class Chain {
  readonly events: TypedEvents<ChainEvents>;
  /** State snapshots that could not be written: counted, each distinct reason logged once (no block is lost by it). */
  readonly #snapshotFailed: FailureLog;
  private headHash: string;

  private constructor(
    readonly store: ChainStore,
    readonly genesis: Genesis,
    readonly id: string,
    public state: LedgerState,
    logger: Logger,
  ) {
    this.headHash = id;
    this.events = new TypedEvents<ChainEvents>(logger);
    this.#snapshotFailed = new FailureLog(
      (message, fields) => logger.warn(message, fields),
      'cannot write the state snapshot; a restart replays more blocks',
    );
  }

  /** State snapshots that could not be written so far. */
  get snapshotFailures(): number {
    return this.#snapshotFailed.count;
  }

  /**
   * Opens the chain in `store`. A new store is initialized with `genesis`; an existing one must hold the
   * same genesis when one is given. Rebuilds the head state from the latest snapshot plus the blocks after it.
   */
  static async open(store: ChainStore, genesis?: Genesis, logger: Logger = silentLogger): Promise<Chain> {
    let stored = await store.getGenesis();
    if (!stored) {
      if (!genesis) throw new ChainMismatchError('the data folder holds no chain yet, and no genesis was given');
      await store.putGenesis(genesis);
      stored = genesis;
    } else if (genesis && genesisHash(genesis) !== genesisHash(stored)) {
      throw new ChainMismatchError('the data folder holds another chain; use a new --data folder');
    }
    const chain = new Chain(store, stored, genesisHash(stored), genesisState(stored), logger);
    await chain.recover();
    return chain;
  }

  get height(): number {
    return this.state.height;
  }

  get hash(): string {
    return this.headHash;
  }

  /**
   * Rebuilds the state from the store: the latest snapshot, then every later block re-executed. The new
   * state is built aside and swapped in whole, so no reader ever sees a half-rebuilt one.
   */
  async recover(): Promise<void> {
    const snapshot = await this.store.getSnapshot();
    const head = await this.store.headHeight();
    const state =
      snapshot && snapshot.height <= head
        ? LedgerState.fromSnapshot(snapshot, this.genesis.params)
        : genesisState(this.genesis);
    let headHash = state.height === 0 ? this.id : blockHash((await this.mustGetBlock(state.height)).header);
    for (let h = state.height + 1; h <= head; h++) {
      const block = await this.mustGetBlock(h);
      execute(state, block, this.genesis.params.tempo);
      if (state.root() !== block.header.stateRoot) {
        throw new BlockRejectedError(`stored block ${h} does not reproduce its state root; the data folder is damaged`);
      }
      headHash = blockHash(block.header);
    }
    this.state = state;
    this.headHash = headHash;
  }

  private async mustGetBlock(height: number): Promise<Block> {
    const block = await this.store.getBlock(height);
    if (!block) throw new BlockRejectedError(`block ${height} is missing from the data folder`);
    return block;
  }

  /**
   * Executes `candidates` as the next block on a copy of the head state (which stays as it is): each
   * transaction applies or is refused with its reason, the epoch runs at epoch heights. The result is
   * unsigned; `commitBlock` stores it. Deterministic: the same candidates and timestamp give the same block
   * and state root on every node.
   */
  executeBlock(candidates: readonly SignedTx[], timestamp: number): PendingBlock {
    const state = this.state.clone();
    state.height += 1;
    const included: SignedTx[] = [];
    const results = candidates.map((tx) => {
      try {
        applyTx(state, tx);
        included.push(tx);
        return undefined;
      } catch (error) {
        if (!(error instanceof InvalidInputError)) throw error;
        return error.message;
      }
    });
    const epoch = isEpochBlock(state.height, this.genesis.params.tempo) ? runEpoch(state) : undefined;
    const header = {
      height: state.height,
      parentHash: this.headHash,
      timestamp: Math.max(timestamp, 0),
      txRoot: txRoot(included),
      stateRoot: state.root(),
    };
    return { block: { header, txs: included, signature: '' }, state, results, epoch };
  }

  /** Stores a block from executeBlock (it must extend the current head) and makes its state the head. */
  async commitBlock(pending: PendingBlock): Promise<void> {
    if (pending.block.header.parentHash !== this.headHash) {
      throw new BlockRejectedError(`block ${pending.block.header.height} does not extend the head`);
    }
    await this.commit(pending.state, pending.block, pending.epoch);
  }

  private async commit(state: LedgerState, block: Block, epoch: EpochRecord | undefined): Promise<void> {
    // The head hash moves with the state and its height (readers such as chain_info see all three agree
    // while the write is in flight); a failed write puts all three back.
    const stored = { state: this.state, headHash: this.headHash };
    this.state = state;
    this.headHash = blockHash(block.header);
    try {
      await this.store.appendBlock(block, block.txs.map(txHash), epoch);
    } catch (error) {
      // The head that is stored: a write that failed is never part of what the store shows (an atomic
      // batch), and the store may not be readable now (a full disk), so it is not read back.
      this.state = stored.state;
      this.headHash = stored.headHash;
      throw error;
    }
    if (block.header.height % SNAPSHOT_EVERY === 0) {
      // Best effort: without this snapshot a restart replays a few more blocks, nothing is lost.
      await this.store.putSnapshot(this.state.toSnapshot()).catch((error: unknown) => {
        this.#snapshotFailed.record(oneLine(error), { height: block.header.height });
      });
    }
    this.events.emit('block:new', { block, hash: this.headHash, epoch });
    if (epoch) this.events.emit('epoch:end', epoch);
  }
}

/** Applies a block's transactions and epoch to a state. Throws InvalidInputError naming the transaction that does not apply. */
function execute(state: LedgerState, block: Block, tempo: number): EpochRecord | undefined {
  state.height = block.header.height;
  block.txs.forEach((tx, i) => {
    try {
      applyTx(state, tx);
    } catch (error) {
      if (error instanceof InvalidInputError) throw new InvalidInputError(`block.txs[${i}]`, error.message);
      throw error;
    }
  });
  return isEpochBlock(block.header.height, tempo) ? runEpoch(state) : undefined;
}

/** The state at height 0. */
export function genesisState(genesis: Genesis): LedgerState {
  const state = new LedgerState(genesisHash(genesis), genesis.params);
  for (const [address, amount] of genesis.accounts) {
    state.accountForUpdate(address).free += amount;
    state.issuance += amount;
  }
  return state;
}
