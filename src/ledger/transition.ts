import { InvalidInputError } from '../shared/errors.js';
import { formatAmount } from '../shared/amount.js';
import { csrFromRows, csrToRows } from './mechanism/index.js';
import { newNeuron, type LedgerState, type Neuron } from './state.js';
import type { SignedTx } from './tx.js';

/** A transaction that is well-formed and signed but not valid against the current state. */
export class TxRejectedError extends InvalidInputError {
  override name = 'TxRejectedError';
}

const reject = (field: string, detail: string): never => {
  throw new TxRejectedError(field, detail);
};

/**
 * Applies one transaction (already checked for shape and signatures by parseSignedTx) to the state.
 * Every rule is checked before anything changes, so a rejected transaction leaves the state untouched.
 * Throws TxRejectedError.
 */
export function applyTx(state: LedgerState, tx: SignedTx): void {
  const effect = checkTx(state, tx);
  state.accountForUpdate(tx.body.signer).nonce += 1;
  effect();
}

/** Refuses a transaction signed for another chain (its genesis hash differs). */
export function checkChain(state: LedgerState, tx: SignedTx): void {
  if (tx.body.chain !== state.genesisHash) reject('tx.body.chain', 'belongs to another chain');
}

/**
 * Checks a transaction against the state without changing it; returns the change to make. `height` is the
 * height of the block it would go into (the mempool checks against the next one). Throws TxRejectedError.
 */
export function checkTx(state: LedgerState, tx: SignedTx, height = state.height): () => void {
  const { body } = tx;
  checkChain(state, tx);
  const signer = state.account(body.signer);
  if (body.nonce !== signer.nonce) {
    reject(
      'tx.body.nonce',
      body.nonce < signer.nonce ? `already used (next is ${signer.nonce})` : `expected ${signer.nonce}`,
    );
  }
  return planCall(state, tx, height);
}

/** Checks the call against the state and returns the mutation to run; throws before mutating anything. */
function planCall(state: LedgerState, tx: SignedTx, height: number): () => void {
  const { body } = tx;
  const call = body.call;
  switch (call.type) {
    case 'transfer': {
      const amount = BigInt(call.amount);
      if (amount === 0n) reject('tx.body.call.amount', 'must be more than 0');
      requireFree(state, body.signer, amount, 'tx.body.call.amount');
      return () => {
        state.accountForUpdate(body.signer).free -= amount;
        state.accountForUpdate(call.to).free += amount;
      };
    }
    case 'register': {
      const hotkey = body.signer;
      if (state.uidOf.has(hotkey))
        reject('tx.body.signer', `hotkey is already registered as uid ${state.uidOf.get(hotkey)}`);
      const burn = state.params.registrationBurn;
      if (burn > BigInt(call.maxBurn)) {
        reject(
          'tx.body.call.maxBurn',
          `registration now costs ${formatAmount(burn)}, more than the ${formatAmount(BigInt(call.maxBurn))} offered`,
        );
      }
      requireFree(state, call.coldkey, burn, 'tx.body.call.coldkey');
      const uid = slotForRegistration(state, height);
      return () => {
        state.accountForUpdate(call.coldkey).free -= burn;
        state.burned += burn;
        if (uid < state.neurons.length) deregister(state, uid);
        const neuron = newNeuron(uid, hotkey, call.coldkey, call.multiaddrs, state.height);
        state.neurons[uid] = neuron;
        state.uidOf.set(hotkey, uid);
      };
    }
    case 'update_multiaddrs': {
      const neuron = registered(state, body.signer);
      return () => {
        neuron.multiaddrs = [...call.multiaddrs];
      };
    }
    case 'add_stake': {
      const amount = BigInt(call.amount);
      if (amount === 0n) reject('tx.body.call.amount', 'must be more than 0');
      registered(state, call.hotkey, 'tx.body.call.hotkey');
      requireFree(state, body.signer, amount, 'tx.body.call.amount');
      return () => {
        state.accountForUpdate(body.signer).free -= amount;
        state.setStake(call.hotkey, body.signer, state.stakeOf(call.hotkey, body.signer) + amount);
      };
    }
    case 'remove_stake': {
      const amount = BigInt(call.amount);
      if (amount === 0n) reject('tx.body.call.amount', 'must be more than 0');
      const staked = state.stakeOf(call.hotkey, body.signer);
      if (staked < amount) reject('tx.body.call.amount', `only ${formatAmount(staked)} is staked on that hotkey`);
      return () => {
        state.setStake(call.hotkey, body.signer, staked - amount);
        state.accountForUpdate(body.signer).free += amount;
      };
    }
    case 'set_weights': {
      const neuron = registered(state, body.signer);
      const weights = checkWeights(state, neuron, call.weights, height);
      return () => {
        neuron.weights = weights;
        neuron.lastUpdate = state.height;
      };
    }
  }
}

function requireFree(state: LedgerState, address: string, amount: bigint, field: string): void {
  const free = state.account(address).free;
  if (free < amount) reject(field, `insufficient funds: ${formatAmount(free)} free, ${formatAmount(amount)} needed`);
}

function registered(state: LedgerState, hotkey: string, field = 'tx.body.signer'): Neuron {
  const uid = state.uidOf.get(hotkey);
  if (uid === undefined) return reject(field, 'hotkey is not registered; run `bittensor-miner register` first');
  return state.neurons[uid] as Neuron;
}

/** The set_weights rules: known, distinct uids; not a self-weight only; at least the minimum; the rate limit. */
function checkWeights(
  state: LedgerState,
  neuron: Neuron,
  weights: Array<[number, number]>,
  height: number,
): Array<[number, number]> {
  const field = 'tx.body.call.weights';
  const n = state.neurons.length;
  const seen = new Set<number>();
  let others = 0;
  for (const [uid, w] of weights) {
    if (uid >= n) reject(field, `uid ${uid} is not registered (${n} neurons)`);
    if (seen.has(uid)) reject(field, `uid ${uid} is listed twice`);
    seen.add(uid);
    if (w > 0 && uid !== neuron.uid) others++;
  }
  if (others === 0) reject(field, 'needs a non-zero weight on another neuron (a self-weight only is not allowed)');
  const required = Math.min(state.minWeights, n - 1);
  if (others < required) reject(field, `${others} non-zero weights; at least ${required} are required now`);
  const since = height - neuron.lastUpdate;
  if (neuron.lastUpdate >= 0 && since < state.params.weightsRateLimit) {
    reject(
      field,
      `weights may be set once per ${state.params.weightsRateLimit} blocks; try again in ${state.params.weightsRateLimit - since}`,
    );
  }
  return weights.filter(([, w]) => w > 0).sort((a, b) => a[0] - b[0]);
}

/** The uid a new registration takes: the next free one, or the lowest-emission neuron past its immunity. */
function slotForRegistration(state: LedgerState, height: number): number {
  if (state.neurons.length < state.params.maxNeurons) return state.neurons.length;
  let best: Neuron | undefined;
  for (const n of state.neurons) {
    if (height - n.registeredAt < state.params.immunityPeriod) continue;
    if (!best || n.emission < best.emission || (n.emission === best.emission && n.registeredAt < best.registeredAt))
      best = n;
  }
  if (!best)
    return reject(
      'tx.body.call',
      `the network is full (${state.params.maxNeurons} neurons, all within their immunity period); try later`,
    );
  return best.uid;
}

/** Removes the neuron at `uid`: its stake goes back to the coldkeys, and every weight and bond on it is cleared. */
function deregister(state: LedgerState, uid: number): void {
  const old = state.neurons[uid] as Neuron;
  for (const [coldkey, amount] of state.stakes.get(old.hotkey) ?? []) {
    state.accountForUpdate(coldkey).free += amount;
  }
  state.stakes.delete(old.hotkey);
  state.uidOf.delete(old.hotkey);
  for (const n of state.neurons) n.weights = n.weights.filter(([j]) => j !== uid);
  const rows = csrToRows(state.bonds).map((row, i) => (i === uid ? [] : row.filter(([j]) => j !== uid)));
  state.bonds = csrFromRows(rows, state.bonds.cols);
}
