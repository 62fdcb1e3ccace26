import { UserError } from '../shared/errors.js';
import { LedgerAnswerError, LedgerRefusedError, LedgerUnreachableError, NotJsonRpcError } from './client-errors.js';
import { firstIssue } from '../shared/validate.js';
import { z } from 'zod';
import type { Block } from './block.js';
import {
  balanceAnswer,
  blockAnswer,
  chainInfoAnswer,
  epochAnswer,
  neuronAnswer,
  neuronChangesAnswer,
  txStatusAnswer,
  type Balance,
  type ChainInfo,
  type EpochInfo,
  type NeuronChanges,
  type NeuronInfo,
  type TxStatus,
} from './rpc/answers.js';
import { RPC_ERRORS, RpcError, type SubscriptionTopic } from './rpc/protocol.js';
import { JsonRpcTransport } from './rpc/transport.js';
import type { LedgerTransport } from './transport.js';
import { signTx, type Call, type SignedTx } from './tx.js';
import type { Signer } from './wallet/keys.js';

export type { Balance, ChainInfo, EpochInfo, NeuronInfo, TxStatus };
export { LedgerAnswerError, LedgerRefusedError, LedgerUnreachableError };

/** Reads a subscription's notifications: new blocks, or finished epochs (amounts in base units). */
export interface SubscriptionEvents {
  blocks: z.output<typeof blockNotice>;
  epochs: EpochInfo;
}
const blockNotice = z.object({ height: z.int().min(0), hash: z.string(), txs: z.int().min(0), timestamp: z.number() });
const NOTICES = { blocks: blockNotice, epochs: epochAnswer } satisfies Record<SubscriptionTopic, z.ZodType>;

export interface LedgerClientInit {
  /** Per-request timeout in milliseconds. Default 10000. */
  timeoutMs?: number;
}

/**
 * Typed client of the ledger, used by the CLI, the neuron and the app. `url` is one node's RPC URL, or
 * several separated by commas: our embedded ledger's JSON-RPC or any CometBFT node's RPC (port 26657 by
 * default), told apart by asking. A node that cannot be reached is skipped for the next one.
 */
export class LedgerClient {
  readonly urls: string[];
  private readonly timeoutMs: number;
  private current = 0;
  private readonly transports = new Map<string, Promise<LedgerTransport>>();

  constructor(
    readonly url: string,
    init: LedgerClientInit = {},
  ) {
    this.urls = url
      .split(',')
      .map((u) => u.trim().replace(/\/$/, ''))
      .filter(Boolean);
    if (this.urls.length === 0) throw new UserError('no ledger URL given');
    this.timeoutMs = init.timeoutMs ?? 10_000;
  }

  /**
   * The transport for a URL: probed once (our JSON-RPC answers chain_info; CometBFT does not know it). CometBFT's
   * client library (~30 MB in memory) is loaded only for a CometBFT node.
   */
  private transportFor(url: string): Promise<LedgerTransport> {
    let t = this.transports.get(url);
    if (!t) {
      t = (async () => {
        const json = new JsonRpcTransport(url, this.timeoutMs);
        try {
          await json.call('chain_info');
          return json;
        } catch (error) {
          if (error instanceof RpcError && error.code === RPC_ERRORS.methodNotFound) {
            const { CometTransport } = await import('./comet/transport.js');
            return new CometTransport(url, this.timeoutMs);
          }
          // Something answered but not over HTTP JSON-RPC: let the request itself say what is wrong.
          if (error instanceof NotJsonRpcError || error instanceof LedgerRefusedError) return json;
          throw error;
        }
      })();
      t.catch(() => this.transports.delete(url));
      this.transports.set(url, t);
    }
    return t;
  }

  /** Runs `op` on the current node; when it cannot be reached, on the next ones in turn. */
  private async withNode<T>(op: (t: LedgerTransport) => Promise<T>): Promise<T> {
    let lastError: unknown;
    for (let tried = 0; tried < this.urls.length; tried++) {
      const url = this.urls[this.current]!;
      try {
        return await op(await this.transportFor(url));
      } catch (error) {
        if (!(error instanceof LedgerUnreachableError)) throw error;
        lastError = error;
        this.transports.delete(url);
        this.current = (this.current + 1) % this.urls.length;
      }
    }
    throw lastError;
  }

  /**
   * Calls a method and checks its answer against `answer`; a refusal becomes an RpcError (code and
   * message), a network failure LedgerUnreachableError, an answer of another shape LedgerAnswerError.
   */
  async call<S extends z.ZodType>(method: string, params: unknown, answer: S): Promise<z.output<S>> {
    const result = await this.callRaw(method, params);
    const parsed = answer.safeParse(result);
    if (!parsed.success) throw new LedgerAnswerError(this.url, method, firstIssue(parsed.error, 'result').message);
    return parsed.data;
  }

  /** Calls a method and returns its result unchecked (the genesis, which genesisFromJson verifies). */
  callRaw(method: string, params?: unknown): Promise<unknown> {
    return this.withNode((t) => t.call(method, params));
  }

  info(): Promise<ChainInfo> {
    return this.call('chain_info', undefined, chainInfoAnswer);
  }

  /** The genesis in its JSON form (genesisFromJson validates it). */
  genesis(): Promise<unknown> {
    return this.callRaw('chain_genesis');
  }

  /** A block as the ledger stored it: its header (state root, transaction root) and transactions; null past the head. */
  block(height: number): Promise<Block | null> {
    return this.call('chain_block', { height }, blockAnswer.nullable());
  }

  /** Up to `count` stored blocks from height `from` (fewer near the head, none past it). */
  blocks(from: number, count: number): Promise<Block[]> {
    return this.call('chain_blocks', { from, count }, z.array(blockAnswer));
  }

  balance(address: string): Promise<Balance> {
    return this.call('account_balance', { address }, balanceAnswer);
  }

  neurons(): Promise<NeuronInfo[]> {
    return this.call('neuron_list', undefined, z.array(neuronAnswer));
  }

  /** What changed in the metagraph after height `since` (apply it with applyNeuronChanges). */
  neuronChanges(since: number): Promise<NeuronChanges> {
    return this.call('neuron_changes', { since }, neuronChangesAnswer);
  }

  neuron(hotkey: string): Promise<NeuronInfo | null> {
    return this.call('neuron_get', { hotkey }, neuronAnswer.nullable());
  }

  epoch(epoch: number): Promise<EpochInfo | null> {
    return this.call('epoch_get', { epoch }, epochAnswer.nullable());
  }

  epochHistory(last: number): Promise<EpochInfo[]> {
    return this.call('epoch_history', { last }, z.array(epochAnswer));
  }

  submit(tx: SignedTx): Promise<string> {
    return this.withNode((t) => t.submit(tx));
  }

  txStatus(hash: string): Promise<TxStatus> {
    return this.call('tx_status', { hash }, txStatusAnswer);
  }

  /** Polls until the transaction is included or rejected; throws UserError on rejection or after `timeoutMs`. */
  async waitForInclusion(hash: string, timeoutMs = 60_000, pollMs = 200): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const s = await this.txStatus(hash);
      if (s.status === 'included') return s.block;
      if (s.status === 'rejected') throw new UserError(`transaction rejected: ${s.reason}`);
      if (Date.now() > deadline)
        throw new UserError(`transaction ${hash} not included after ${timeoutMs / 1000} s (${s.status})`);
      await new Promise((r) => setTimeout(r, pollMs));
    }
  }

  /**
   * Signs `call` for `signer` with its next nonce (and, for a registration, the coldkey's co-signature),
   * submits it and waits until a block includes it. Returns the block height and the transaction hash.
   */
  async signAndSubmit(signer: Signer, call: Call, coldkey?: Signer): Promise<{ block: number; tx: string }> {
    const [info, account] = await Promise.all([this.info(), this.balance(signer.address)]);
    const tx = signTx({ chain: info.genesisHash, nonce: account.nonce, signer: signer.address, call }, signer, coldkey);
    const hash = await this.submit(tx);
    return { block: await this.waitForInclusion(hash), tx: hash };
  }

  /**
   * Subscribes to new blocks or epochs (over the node's WebSocket). Resolves once subscribed, with a
   * function that closes the subscription; `onProblem` hears of a notification that does not read and of a
   * connection that ended without being closed.
   */
  subscribe<T extends SubscriptionTopic>(
    topic: T,
    onEvent: (result: SubscriptionEvents[T]) => void,
    onProblem: (error: Error) => void = () => undefined,
  ): Promise<() => void> {
    return this.withNode((t) =>
      t.subscribe(
        topic,
        (raw) => {
          const parsed = NOTICES[topic].safeParse(raw);
          if (parsed.success) onEvent(parsed.data as SubscriptionEvents[T]);
          else onProblem(new LedgerAnswerError(t.url, topic, firstIssue(parsed.error, 'result').message));
        },
        onProblem,
      ),
    );
  }
}

/**
 * The metagraph now, from the one read at the answer's `since` and what changed after it: the changed rows whole,
 * the others with their small fields updated. A row nothing changed in is the same object as before, so that
 * readers comparing by reference (the snapshot's row cache) skip it.
 */
export function applyNeuronChanges(before: readonly NeuronInfo[], changes: NeuronChanges): NeuronInfo[] {
  const changed = new Map(changes.rows.map((r) => [r.uid, r]));
  return changes.stake.map((stake, uid) => {
    const row = changed.get(uid);
    if (row) return row;
    const old = before[uid];
    if (!old) throw new Error(`the ledger sent no row for new neuron ${uid}`);
    const next: NeuronInfo = {
      ...old,
      stake,
      rank: changes.rank[uid]!,
      trust: changes.trust[uid]!,
      consensus: changes.consensus[uid]!,
      incentive: changes.incentive[uid]!,
      dividends: changes.dividends[uid]!,
      emission: changes.emission[uid]!,
      multiaddrs: changes.multiaddrs[uid]!,
    };
    const same =
      old.stake === next.stake &&
      old.rank === next.rank &&
      old.trust === next.trust &&
      old.consensus === next.consensus &&
      old.incentive === next.incentive &&
      old.dividends === next.dividends &&
      old.emission === next.emission &&
      old.multiaddrs.join(' ') === next.multiaddrs.join(' ');
    return same ? old : next;
  });
}
