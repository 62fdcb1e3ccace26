import { z } from 'zod';
import { oneLine, UserError } from '../../shared/errors.js';
import { firstIssue } from '../../shared/validate.js';
import { formatAmount } from '../../shared/amount.js';
import { genesisToJson } from '../block.js';
import type { Chain } from '../chain.js';
import { canonicalJson } from '../canonical.js';
import type { EpochRecord, Neuron } from '../state.js';
import type { ChainInfoWire, EpochWire, NeuronChangesWire, NeuronWire, TxStatus } from './answers.js';
import { isAddress } from '../wallet/address.js';
import { RPC_ERRORS, RpcError } from './protocol.js';
import { scoresOf } from '../../shared/neuron-scores.js';

export type { TxStatus };

/** What the RPC methods need from the node behind them (the embedded engine, or a CometBFT node's application). */
export interface LedgerService {
  readonly chain: Chain;
  readonly role: 'embedded' | 'validator';
  /** Verifies and queues a transaction; returns its hash. */
  submit(tx: unknown): Promise<string>;
  txStatus(hash: string): Promise<TxStatus>;
  /**
   * Resolves once no block is between changing the state and being stored. Every request waits for it, so
   * that no reader sees a height, balance or neuron that a crash at that moment would undo.
   */
  settled?(): Promise<void>;
}

/** A stored epoch record (amounts in base units) as the RPC returns it (amounts as decimal token strings). */
export function epochToWire(record: EpochRecord): EpochWire {
  return {
    ...record,
    minted: formatAmount(BigInt(record.minted)),
    neurons: record.neurons.map((n) => ({
      ...n,
      stake: formatAmount(BigInt(n.stake)),
      emission: formatAmount(BigInt(n.emission)),
    })),
  };
}

const address = z.string().refine(isAddress, 'must be a valid address');
const hash = z.string().regex(/^[0-9a-f]{64}$/, 'must be a 64-character hex hash');
const height = z.int().min(0);

interface MethodSpec<S extends z.ZodType> {
  params: S;
  run(service: LedgerService, params: z.infer<S>): Promise<unknown> | unknown;
}
const method = <S extends z.ZodType>(spec: MethodSpec<S>): MethodSpec<z.ZodType> => spec as MethodSpec<z.ZodType>;
const none = z.union([z.undefined(), z.null(), z.strictObject({}), z.tuple([])]);

function neuronInfo(service: LedgerService, n: Neuron): NeuronWire {
  return {
    uid: n.uid,
    hotkey: n.hotkey,
    coldkey: n.coldkey,
    stake: formatAmount(service.chain.state.hotkeyStake(n.hotkey)),
    ...scoresOf(n),
    emission: formatAmount(n.emission),
    registeredAt: n.registeredAt,
    lastUpdate: n.lastUpdate,
    multiaddrs: n.multiaddrs,
    weights: n.weights,
  };
}

/** The RPC methods: name -> params schema and handler. */
export const RPC_METHODS: Record<string, MethodSpec<z.ZodType>> = {
  chain_info: method({
    params: none,
    run: (s): ChainInfoWire => {
      const st = s.chain.state;
      return {
        role: s.role,
        genesisHash: s.chain.id,
        height: st.height,
        headHash: s.chain.hash,
        epoch: st.epoch,
        minWeights: st.minWeights,
        issuance: formatAmount(st.issuance),
        burned: formatAmount(st.burned),
        registrationBurn: formatAmount(s.chain.genesis.params.registrationBurn),
        neurons: st.neurons.length,
        params: JSON.parse(canonicalJson(s.chain.genesis.params)) as ChainInfoWire['params'],
      };
    },
  }),
  chain_genesis: method({ params: none, run: (s) => genesisToJson(s.chain.genesis) }),
  chain_block: method({
    params: z.strictObject({ height }),
    run: async (s, p) => (await s.chain.store.getBlock(p.height)) ?? null,
  }),
  chain_blocks: method({
    params: z.strictObject({ from: height, count: z.int().min(1).max(100) }),
    run: async (s, p) => {
      const out = [];
      const head = s.chain.height;
      for (let h = p.from; h < p.from + p.count && h <= head; h++) {
        const b = await s.chain.store.getBlock(h);
        if (b) out.push(b);
      }
      return out;
    },
  }),
  account_balance: method({
    params: z.strictObject({ address }),
    run: (s, p) => {
      const st = s.chain.state;
      const a = st.account(p.address);
      return { free: formatAmount(a.free), staked: formatAmount(st.coldkeyStake(p.address)), nonce: a.nonce };
    },
  }),
  neuron_list: method({ params: none, run: (s) => s.chain.state.neurons.map((n) => neuronInfo(s, n)) }),
  neuron_changes: method({
    // since -1: every row (a reader with nothing yet).
    params: z.strictObject({ since: z.int().min(-1) }),
    run: (s, p): NeuronChangesWire => {
      const st = s.chain.state;
      const n = st.neurons;
      return {
        height: st.height,
        rows: n.filter((x) => x.registeredAt > p.since || x.lastUpdate > p.since).map((x) => neuronInfo(s, x)),
        stake: n.map((x) => formatAmount(st.hotkeyStake(x.hotkey))),
        rank: n.map((x) => x.rank),
        trust: n.map((x) => x.trust),
        consensus: n.map((x) => x.consensus),
        incentive: n.map((x) => x.incentive),
        dividends: n.map((x) => x.dividends),
        emission: n.map((x) => formatAmount(x.emission)),
        multiaddrs: n.map((x) => x.multiaddrs),
      };
    },
  }),
  neuron_get: method({
    params: z.strictObject({ hotkey: address }),
    run: (s, p) => {
      const uid = s.chain.state.uidOf.get(p.hotkey);
      return uid === undefined ? null : neuronInfo(s, s.chain.state.neurons[uid]!);
    },
  }),
  epoch_get: method({
    params: z.strictObject({ epoch: z.int().min(1) }),
    run: async (s, p) => {
      const record = await s.chain.store.getEpoch(p.epoch);
      return record ? epochToWire(record) : null;
    },
  }),
  epoch_history: method({
    params: z.strictObject({ last: z.int().min(1).max(1000) }),
    run: async (s, p) => {
      const out = [];
      for (let e = Math.max(1, s.chain.state.epoch - p.last + 1); e <= s.chain.state.epoch; e++) {
        const rec = await s.chain.store.getEpoch(e);
        if (rec) out.push(epochToWire(rec));
      }
      return out;
    },
  }),
  tx_submit: method({
    params: z.strictObject({ tx: z.unknown() }),
    run: async (s, p) => {
      try {
        return { hash: await s.submit(p.tx) };
      } catch (error) {
        if (error instanceof UserError) throw new RpcError(RPC_ERRORS.rejected, error.message);
        throw error;
      }
    },
  }),
  tx_status: method({ params: z.strictObject({ hash }), run: (s, p) => s.txStatus(p.hash) }),
};

/**
 * Runs a method by name for any front end (the JSON-RPC server, the ABCI application's Query): checks the
 * params, waits until no block is half-written, runs it. Throws RpcError with the JSON-RPC code.
 */
export async function callMethod(service: LedgerService, name: string, params: unknown): Promise<unknown> {
  const spec = Object.hasOwn(RPC_METHODS, name) ? RPC_METHODS[name] : undefined;
  if (!spec) throw new RpcError(RPC_ERRORS.methodNotFound, `unknown method ${JSON.stringify(name.slice(0, 64))}`);
  const parsed = spec.params.safeParse(params);
  if (!parsed.success) throw new RpcError(RPC_ERRORS.invalidParams, firstIssue(parsed.error, 'params').message);
  await service.settled?.();
  try {
    return (await spec.run(service, parsed.data)) ?? null;
  } catch (error) {
    if (error instanceof RpcError) throw error;
    throw new RpcError(RPC_ERRORS.internal, `internal error: ${oneLine(error)}`);
  }
}
