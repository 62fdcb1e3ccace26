import { hexToBytes } from '@noble/hashes/utils.js';
import { z } from 'zod';
import { InvalidInputError, oneLine } from '../../shared/errors.js';
import { type Logger } from '../../shared/logger.js';
import { parseWith } from '../../shared/validate.js';
import { genesisHash, type Genesis } from '../block.js';
import { Chain, ChainMismatchError, type PendingBlock } from '../chain.js';
import { chainParamsJson, unitsJson } from '../params.js';
import { callMethod, type LedgerService, type TxStatus } from '../rpc/methods.js';
import { RpcError } from '../rpc/protocol.js';
import type { LedgerState } from '../state.js';
import type { ChainStore } from '../storage.js';
import { applyTx, TxRejectedError } from '../transition.js';
import type { SignedTx } from '../tx.js';
import { isAddress } from '../wallet/address.js';
import { ABCI_CODES } from './codes.js';
import {
  ResponseApplySnapshotChunk,
  ResponseOfferSnapshot,
  ResponseProcessProposal,
  ResponseVerifyVoteExtension,
  type Request,
  type RequestCheckTx,
  type RequestFinalizeBlock,
  type RequestInitChain,
  type RequestPrepareProposal,
  type RequestProcessProposal,
  type RequestQuery,
  type Response,
  type ResponseCheckTx,
  type ResponseFinalizeBlock,
  type ResponseQuery,
  type Timestamp,
  type ExecTxResult,
} from './proto/abci.js';
import { VerifiedTxCache } from './tx-codec.js';

/** The application's version, reported in Info. */
export const APP_VERSION = 1n;

/**
 * What CometBFT's genesis.json carries for us in `app_state`: the chain's parameters and first balances
 * (amounts in base units as strings). CometBFT's `chain_id` and `genesis_time` join them in our genesis, so a
 * transaction signed for one network is refused on every other.
 */
export const appStateJson = z.strictObject({
  params: chainParamsJson,
  accounts: z.array(z.tuple([z.string().refine(isAddress, 'must be an address'), unitsJson])),
});

export interface LedgerAppInit {
  /**
   * Crash tests only (as CometBFT's FAIL_TEST_INDEX): the process kills itself with SIGKILL on receiving its
   * n-th Commit, after FinalizeBlock and before anything of the block is stored. Default: never.
   */
  killAtCommit?: number | undefined;
}

export interface LedgerAppComponents {
  /** Where the application keeps its blocks, epoch records and state snapshots. */
  store: ChainStore;
  logger: Logger;
}

/** Transaction reasons kept for tx_status queries after a block refused them. */
const REFUSED_MEMORY = 4096;

/**
 * The ledger as an ABCI 2.0 application: the one state machine, whether CometBFT validators drive it over
 * the socket protocol or the embedded engine calls it in process. It keeps three states: the committed one
 * (queries read it), the check state (CheckTx applies to it, reset at every Commit) and the block being
 * finalized (FinalizeBlock builds it aside; only Commit stores it and makes it the committed one). Every
 * method answers; none throws for any input.
 */
export class LedgerApp {
  private chain: Chain | undefined;
  private check: LedgerState | undefined;
  private pending: PendingBlock | undefined;
  private txs: VerifiedTxCache | undefined;
  private readonly refused = new Map<string, string>();
  private readonly log: Logger;

  private commits = 0;

  constructor(
    private readonly components: LedgerAppComponents,
    private readonly init: LedgerAppInit = {},
  ) {
    this.log = components.logger;
  }

  /** Opens the store; a store that already holds a chain is ready to serve (Info reports its height). */
  async start(): Promise<void> {
    if (this.chain) return;
    await this.components.store.open();
    if (await this.components.store.getGenesis())
      this.ready(await Chain.open(this.components.store, undefined, this.log));
  }

  async stop(): Promise<void> {
    this.chain?.events.removeAll();
    this.chain = undefined;
    await this.components.store.close();
  }

  /** Serves a chain its owner opened on this app's store (the embedded engine checks its data folder first). */
  attach(chain: Chain): void {
    this.ready(chain);
  }

  /** The committed chain (undefined before InitChain). */
  get committed(): Chain | undefined {
    return this.chain;
  }

  private ready(chain: Chain): void {
    this.chain = chain;
    this.check = nextBlockState(chain);
    this.txs = new VerifiedTxCache(chain.genesis.params.maxTransactionBytes);
  }

  /** Answers one request; an unexpected failure becomes an `exception` response (CometBFT stops on it). */
  async handle(req: Request): Promise<Response> {
    try {
      if (req.echo) return { echo: { message: req.echo.message } };
      if (req.flush) return { flush: {} };
      if (req.info) return { info: this.info() };
      if (req.initChain) return { initChain: await this.initChain(req.initChain) };
      if (req.query) return { query: await this.query(req.query) };
      if (req.checkTx) return { checkTx: this.checkTx(req.checkTx) };
      if (req.prepareProposal) return { prepareProposal: { txs: this.prepareProposal(req.prepareProposal) } };
      if (req.processProposal) return { processProposal: { status: this.processProposal(req.processProposal) } };
      if (req.finalizeBlock) return { finalizeBlock: this.finalizeBlock(req.finalizeBlock) };
      if (req.commit) return { commit: await this.commit() };
      if (req.extendVote) return { extendVote: { voteExtension: new Uint8Array(0) } };
      if (req.verifyVoteExtension)
        return { verifyVoteExtension: { status: ResponseVerifyVoteExtension.VerifyStatus.ACCEPT } };
      if (req.listSnapshots) return { listSnapshots: {} };
      // State sync is not offered: refuse snapshots so that a node block-syncs instead.
      if (req.offerSnapshot) return { offerSnapshot: { result: ResponseOfferSnapshot.Result.REJECT } };
      if (req.loadSnapshotChunk) return { loadSnapshotChunk: { chunk: new Uint8Array(0) } };
      if (req.applySnapshotChunk) return { applySnapshotChunk: { result: ResponseApplySnapshotChunk.Result.ABORT } };
      return { exception: { error: 'an empty or unknown request' } };
    } catch (error) {
      this.log.error('abci request failed', { error: oneLine(error) });
      return { exception: { error: oneLine(error) } };
    }
  }

  info() {
    const chain = this.chain;
    const height = chain?.height ?? 0;
    return {
      data: 'bittensor-miner ledger',
      version: '1',
      appVersion: APP_VERSION,
      lastBlockHeight: BigInt(height),
      lastBlockAppHash: chain && height > 0 ? hexToBytes(chain.state.root()) : new Uint8Array(0),
    };
  }

  /** Creates the chain from CometBFT's genesis (again after a crash before block 1: the same genesis is accepted). */
  async initChain(req: RequestInitChain) {
    const appState = parseWith(appStateJson, JSON.parse(new TextDecoder().decode(req.appStateBytes)), 'app_state');
    const chain = await this.initGenesis({
      chainId: req.chainId,
      timestamp: timestampMs(req.time),
      params: appState.params,
      accounts: appState.accounts,
    });
    return { appHash: hexToBytes(chain.state.root()) };
  }

  /**
   * Creates the chain from a genesis, or opens it when the store already holds that one (the embedded engine
   * calls this directly; CometBFT through InitChain). Refuses another genesis than the stored one.
   */
  async initGenesis(genesis: Genesis): Promise<Chain> {
    if (this.chain && genesisHash(this.chain.genesis) !== genesisHash(genesis)) {
      throw new ChainMismatchError('this data holds another chain than the genesis given; use a new data folder');
    }
    const chain = this.chain ?? (await Chain.open(this.components.store, genesis, this.log));
    this.ready(chain);
    this.log.info('chain initialized', {
      chain: chain.id,
      ...(genesis.chainId ? { cometbftChainId: genesis.chainId } : {}),
    });
    return chain;
  }

  /** Admits a transaction to the mempool when it applies to the check state, or when its nonce is ahead. */
  checkTx(req: RequestCheckTx): ResponseCheckTx {
    const { chain, check, txs } = this;
    if (!chain || !check || !txs) return txResult(ABCI_CODES.notReady, 'the chain is not initialized yet');
    let tx: SignedTx;
    try {
      tx = txs.decode(req.tx).tx;
    } catch (error) {
      return txResult(ABCI_CODES.malformed, (error as Error).message);
    }
    if (tx.body.chain !== chain.id) return txResult(ABCI_CODES.wrongChain, 'tx.body.chain: belongs to another chain');
    const next = check.account(tx.body.signer).nonce;
    const ahead = tx.body.nonce - next;
    const limit = chain.genesis.params.mempoolPerAccount;
    if (ahead > 0) {
      // A gap: it waits in the mempool until the transactions before it arrive (PrepareProposal orders them).
      return ahead < limit
        ? txResult(ABCI_CODES.ok)
        : txResult(ABCI_CODES.rejected, `tx.body.nonce: ${ahead} ahead of the next (${next}); at most ${limit - 1}`);
    }
    if (ahead < 0 && tx.body.nonce >= chain.state.account(tx.body.signer).nonce) {
      // Not used in a block yet: another transaction with this nonce waits in the mempool (blocks may be halted).
      return txResult(
        ABCI_CODES.rejected,
        `tx.body.nonce: ${tx.body.nonce} is taken by a transaction still pending (next is ${next})`,
      );
    }
    try {
      applyTx(check, tx);
      return txResult(ABCI_CODES.ok);
    } catch (error) {
      if (error instanceof TxRejectedError || error instanceof InvalidInputError)
        return txResult(ABCI_CODES.rejected, error.message);
      throw error;
    }
  }

  /**
   * The proposer's block: the mempool's transactions, each account's in nonce order, those that apply to the
   * committed state (tried on a copy), within `max_tx_bytes` and the chain's transaction limit.
   */
  prepareProposal(req: RequestPrepareProposal): Array<Uint8Array<ArrayBuffer>> {
    const { chain, txs } = this;
    if (!chain || !txs) return [];
    const bySigner = new Map<string, Array<{ tx: SignedTx; bytes: Uint8Array<ArrayBuffer> }>>();
    for (const bytes of req.txs) {
      try {
        const { tx } = txs.decode(bytes);
        const list = bySigner.get(tx.body.signer) ?? [];
        list.push({ tx, bytes });
        bySigner.set(tx.body.signer, list);
      } catch {
        // An undecodable transaction cannot be in the mempool (CheckTx refused it); never propose one.
      }
    }
    const scratch = nextBlockState(chain);
    const out: Array<Uint8Array<ArrayBuffer>> = [];
    let budget = Number(req.maxTxBytes);
    const max = chain.genesis.params.maxBlockTransactions;
    // Accounts take turns, one transaction each per turn, so that one busy account cannot fill a block.
    const queues = [...bySigner.values()].map((list) => list.sort((a, b) => a.tx.body.nonce - b.tx.body.nonce));
    while (queues.length > 0 && out.length < max) {
      for (let q = 0; q < queues.length && out.length < max; q++) {
        const { tx, bytes } = queues[q]!.shift()!;
        const size = protoSize(bytes.length);
        let applied = size <= budget;
        if (applied) {
          try {
            applyTx(scratch, tx);
          } catch {
            applied = false;
          }
        }
        if (applied) {
          out.push(bytes);
          budget -= size;
        }
        // An account whose transaction does not apply (or fit) waits for the next block with the rest of it.
        if (!applied || queues[q]!.length === 0) queues.splice(q--, 1);
      }
    }
    return out;
  }

  /** Accepts a proposal whose every transaction decodes, is signed by its signer and names this chain. */
  processProposal(req: RequestProcessProposal): ResponseProcessProposal.ProposalStatus {
    const { chain, txs } = this;
    if (!chain || !txs) return ResponseProcessProposal.ProposalStatus.REJECT;
    if (req.txs.length > chain.genesis.params.maxBlockTransactions)
      return ResponseProcessProposal.ProposalStatus.REJECT;
    for (const bytes of req.txs) {
      try {
        if (txs.decode(bytes).tx.body.chain !== chain.id) return ResponseProcessProposal.ProposalStatus.REJECT;
      } catch {
        return ResponseProcessProposal.ProposalStatus.REJECT;
      }
    }
    return ResponseProcessProposal.ProposalStatus.ACCEPT;
  }

  /**
   * Executes the decided block on a copy of the committed state: every transaction gets its result, the
   * epoch runs every `tempo` blocks, the app hash is the new state root. Nothing is stored until Commit.
   */
  finalizeBlock(req: RequestFinalizeBlock): ResponseFinalizeBlock {
    const { chain, txs } = this;
    if (!chain || !txs) throw new Error('FinalizeBlock before InitChain');
    const height = Number(req.height);
    if (height !== chain.height + 1)
      throw new Error(`FinalizeBlock for height ${height}, but the chain is at ${chain.height}`);
    const decoded = req.txs.map((bytes) => {
      try {
        const { tx, hash } = txs.decode(bytes);
        if (tx.body.chain !== chain.id)
          return { error: 'tx.body.chain: belongs to another chain', code: ABCI_CODES.wrongChain, hash };
        return { tx, hash };
      } catch (error) {
        return { error: (error as Error).message, code: ABCI_CODES.malformed, hash: undefined };
      }
    });
    const valid = decoded.flatMap((d) => (d.tx ? [d.tx] : []));
    const pending = chain.executeBlock(valid, timestampMs(req.time));
    this.pending = pending;
    let k = 0;
    const txResults = decoded.map((d) => {
      if (!d.tx) return txResult(d.code, d.error);
      const reason = pending.results[k++];
      if (reason !== undefined) {
        this.remember(d.hash, reason);
        return txResult(ABCI_CODES.rejected, reason);
      }
      return txResult(ABCI_CODES.ok);
    });
    const events = pending.epoch
      ? [
          {
            type: 'epoch',
            attributes: [
              { key: 'number', value: String(pending.epoch.epoch), index: true },
              { key: 'minted', value: pending.epoch.minted, index: false },
            ],
          },
        ]
      : [];
    return { events, txResults, appHash: hexToBytes(pending.block.header.stateRoot) };
  }

  /** Stores the finalized block (one atomic, synced write) and resets the check state to it. */
  async commit() {
    const { chain, pending } = this;
    if (!chain || !pending) throw new Error('Commit without a finalized block');
    if (++this.commits === this.init.killAtCommit) process.kill(process.pid, 'SIGKILL');
    this.pending = undefined;
    await chain.commitBlock(pending);
    this.check = nextBlockState(chain);
    if (pending.epoch)
      this.log.info('epoch', { epoch: pending.epoch.epoch, block: pending.epoch.block, minted: pending.epoch.minted });
    return { retainHeight: 0n };
  }

  /**
   * Answers the ledger's read methods (`path` is the JSON-RPC method name, `data` its params as JSON) from
   * the committed state, with the same answers as the JSON-RPC server.
   */
  async query(req: RequestQuery): Promise<ResponseQuery> {
    const chain = this.chain;
    if (!chain) return queryError('the chain is not initialized yet', undefined, ABCI_CODES.notReady);
    const path = req.path.replace(/^\//, '');
    if (path === 'tx_submit') return queryError('submit transactions with broadcast_tx_sync', chain);
    let params: unknown;
    try {
      params = req.data.length === 0 ? undefined : JSON.parse(new TextDecoder().decode(req.data));
    } catch {
      return queryError('data: must be the params as JSON', chain);
    }
    try {
      const value = await callMethod(this.service(chain), path, params);
      return {
        code: ABCI_CODES.ok,
        log: '',
        info: '',
        index: 0n,
        key: req.data,
        value: new TextEncoder().encode(JSON.stringify(value)),
        height: BigInt(chain.height),
        codespace: '',
      };
    } catch (error) {
      return queryError(error instanceof RpcError ? error.message : oneLine(error), chain);
    }
  }

  private service(chain: Chain): LedgerService {
    return {
      chain,
      role: 'validator',
      submit: () => Promise.reject(new InvalidInputError('tx', 'submit with broadcast_tx_sync')),
      txStatus: (hash) => this.txStatus(hash),
    };
  }

  /** Where a transaction stands as far as committed blocks tell: included, refused by a block, or unknown. */
  async txStatus(hash: string): Promise<TxStatus> {
    const height = await this.chain?.store.txHeight(hash);
    if (height !== undefined) return { status: 'included', block: height };
    const reason = this.refused.get(hash);
    return reason !== undefined ? { status: 'rejected', reason } : { status: 'unknown' };
  }

  private remember(hash: string, reason: string): void {
    this.refused.set(hash, reason);
    if (this.refused.size > REFUSED_MEMORY) this.refused.delete(this.refused.keys().next().value as string);
  }
}

/** A copy of the committed state at the height of the next block: what CheckTx and PrepareProposal apply to. */
function nextBlockState(chain: Chain): LedgerState {
  const state = chain.state.clone();
  state.height += 1;
  return state;
}

/** A CheckTx or FinalizeBlock result (the two messages have the same fields). */
function txResult(code: number, log = ''): ExecTxResult {
  return { code, data: new Uint8Array(0), log, info: '', gasWanted: 0n, gasUsed: 0n, events: [], codespace: '' };
}

function queryError(message: string, chain: Chain | undefined, code: number = ABCI_CODES.badQuery): ResponseQuery {
  return {
    code,
    log: message,
    info: '',
    index: 0n,
    key: new Uint8Array(0),
    value: new Uint8Array(0),
    height: BigInt(chain?.height ?? 0),
    codespace: '',
  };
}

/** A protobuf Timestamp in milliseconds (0 when absent). */
export function timestampMs(t: Timestamp | undefined): number {
  if (!t) return 0;
  return Number(t.seconds) * 1000 + Math.floor(t.nanos / 1e6);
}

/** Bytes a transaction takes in CometBFT's count against max_tx_bytes: field tag, length prefix, the bytes. */
function protoSize(length: number): number {
  let prefix = 1;
  while (length >= 128 ** prefix) prefix++;
  return 1 + prefix + length;
}
