import { sha256Hex } from './canonical.js';
import { InvalidInputError, oneLine, UserError } from '../shared/errors.js';
import { FailureLog } from '../shared/failure-log.js';
import type { Logger } from '../shared/logger.js';
import type { LedgerApp } from './abci/app.js';
import { ABCI_CODES } from './abci/codes.js';
import { CheckTxType, ResponseProcessProposal, type Timestamp } from './abci/proto/abci.js';
import { encodeTx } from './abci/tx-codec.js';
import { PeriodicTask } from './periodic.js';
import type { TxStatus } from './rpc/methods.js';
import type { SignedTx } from './tx.js';

export interface EmbeddedEngineInit {
  /** Milliseconds between blocks. */
  blockTimeMs: number;
  /** Bytes of transactions per block (PrepareProposal's max_tx_bytes). Default 4 MiB. */
  maxTxBytes?: number;
  /** Pending transactions in all (the chain's mempoolTotal). */
  mempoolTotal: number;
  /** The block time, in milliseconds since the epoch. Default Date.now. */
  now?: () => number;
}

export interface EmbeddedEngineComponents {
  app: LedgerApp;
  logger: Logger;
}

/** The mempool is full, for this account or in total. */
export class MempoolFullError extends UserError {
  override name = 'MempoolFullError';
}

/** Transactions dropped from the mempool, remembered for tx_status. */
const DROPPED_MEMORY = 4096;

/**
 * The embedded default's block producer: one process, no consensus, driving the same ledger application
 * through the same ABCI calls CometBFT makes (CheckTx on submit and a recheck after every block;
 * PrepareProposal, ProcessProposal, FinalizeBlock and Commit every block time). Its mempool is a FIFO of
 * transaction bytes, as CometBFT's is.
 */
export class EmbeddedEngine {
  private readonly mempool = new Map<string, Uint8Array<ArrayBuffer>>();
  private readonly dropped = new Map<string, string>();
  private readonly producer: PeriodicTask;
  private readonly log: Logger;
  private writing: Promise<unknown> = Promise.resolve();
  /** Blocks that could not be made (a full disk, say): each reason logged once per outage, not every slot. */
  readonly #failed: FailureLog;

  constructor(
    private readonly init: EmbeddedEngineInit,
    private readonly components: EmbeddedEngineComponents,
  ) {
    this.log = components.logger;
    this.#failed = new FailureLog(
      (message, fields) => this.log.error(message, fields),
      'block production failed; retrying every block time',
    );
    this.producer = new PeriodicTask(() => this.produce(), init.blockTimeMs);
  }

  start(): void {
    this.producer.start();
  }

  async stop(): Promise<void> {
    await this.producer.stop();
    await this.settled();
  }

  /** Resolves once no block is between FinalizeBlock and a stored Commit. */
  async settled(): Promise<void> {
    let seen: Promise<unknown>;
    do {
      seen = this.writing;
      await seen;
    } while (seen !== this.writing);
  }

  get pending(): number {
    return this.mempool.size;
  }

  /** Block slots whose block could not be made so far (a full disk, say); none of them lost a transaction. */
  get productionFailures(): number {
    return this.#failed.count;
  }

  /**
   * A transaction as received (JSON), through CheckTx (which verifies it: shape, signatures, size, state) into
   * the mempool; returns its hash. Throws a UserError with CheckTx's reason.
   */
  submit(tx: SignedTx | unknown): string {
    let bytes: Uint8Array<ArrayBuffer>;
    try {
      bytes = encodeTx(tx as SignedTx);
    } catch (error) {
      throw new InvalidInputError('tx', oneLine(error));
    }
    const hash = sha256Hex(bytes);
    if (this.mempool.has(hash)) throw new UserError(`transaction ${hash} is already pending`);
    if (this.mempool.size >= this.init.mempoolTotal) {
      throw new MempoolFullError('the mempool is full; try again after the next block');
    }
    const res = this.components.app.checkTx({ tx: bytes, type: CheckTxType.NEW });
    if (res.code !== ABCI_CODES.ok) throw new UserError(res.log);
    this.mempool.set(hash, bytes);
    this.dropped.delete(hash);
    return hash;
  }

  /** Included or refused (the application's word), pending here, dropped on a recheck, or unknown. */
  async txStatus(hash: string): Promise<TxStatus> {
    const status = await this.components.app.txStatus(hash);
    if (status.status !== 'unknown') return status;
    if (this.mempool.has(hash)) return { status: 'pending' };
    const reason = this.dropped.get(hash);
    return reason !== undefined ? { status: 'rejected', reason } : { status: 'unknown' };
  }

  /** One block: propose from the mempool, accept, finalize, commit, then recheck what is left. */
  async produce(): Promise<void> {
    const { app } = this.components;
    const chain = app.committed;
    if (!chain) return;
    const height = BigInt(chain.height + 1);
    const time = timestamp((this.init.now ?? Date.now)());
    const none = new Uint8Array(0);
    try {
      const txs = app.prepareProposal({
        maxTxBytes: BigInt(this.init.maxTxBytes ?? 4 * 1024 * 1024),
        txs: [...this.mempool.values()],
        height,
        time,
        nextValidatorsHash: none,
        proposerAddress: none,
      });
      const status = app.processProposal({
        txs,
        hash: none,
        height,
        time,
        nextValidatorsHash: none,
        proposerAddress: none,
      });
      if (status !== ResponseProcessProposal.ProposalStatus.ACCEPT) {
        this.log.error('the application refused its own proposal; skipping this block', { height: Number(height) });
        return;
      }
      const write = (async () => {
        app.finalizeBlock({ txs, hash: none, height, time, nextValidatorsHash: none, proposerAddress: none });
        await app.commit();
      })();
      this.writing = write.catch(() => undefined);
      await write;
      for (const bytes of txs) this.mempool.delete(sha256Hex(bytes));
      this.recheck();
      const failures = this.#failed.succeeded();
      if (failures > 0) this.log.info('block production is back', { height: Number(height), failures });
    } catch (error) {
      this.#failed.record(oneLine(error), { height: Number(height) });
    }
  }

  /** CometBFT's recheck: every transaction still pending is checked again against the new state. */
  private recheck(): void {
    for (const [hash, bytes] of this.mempool) {
      const res = this.components.app.checkTx({ tx: bytes, type: CheckTxType.RECHECK });
      if (res.code === ABCI_CODES.ok) continue;
      this.mempool.delete(hash);
      this.dropped.set(hash, res.log);
      if (this.dropped.size > DROPPED_MEMORY) this.dropped.delete(this.dropped.keys().next().value as string);
    }
  }
}

function timestamp(ms: number): Timestamp {
  return { seconds: BigInt(Math.floor(ms / 1000)), nanos: (ms % 1000) * 1_000_000 };
}
