import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../src/ledger/canonical.js';
import { parseSignedTx, signTx, txHash, type Call, type SignedTx } from '../../../src/ledger/tx.js';
import type { Signer } from '../../../src/ledger/wallet/keys.js';
import { InvalidInputError } from '../../../src/shared/errors.js';
import { key } from '../../support/ledger.js';

const CHAIN = 'c0'.repeat(32);
const MAX = 16 * 1024;

const sign = (signer: Signer, call: Call, coldkey?: Signer, nonce = 0): SignedTx =>
  signTx({ chain: CHAIN, nonce, signer: signer.address, call }, signer, coldkey);
const transfer = () => sign(key(1), { type: 'transfer', to: key(2).address, amount: '5000' });
const register = (coldkey = key(1)) =>
  sign(
    key(101),
    { type: 'register', coldkey: key(1).address, multiaddrs: ['/ip4/127.0.0.1/tcp/1'], maxBurn: '9' },
    coldkey,
  );

/** A JSON copy of a value, as it arrives off the wire. */
const wire = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

/** The InvalidInputError parseSignedTx throws for `value` (fails the test if it throws anything else or nothing). */
function refusal(value: unknown, maxBytes = MAX): InvalidInputError {
  try {
    parseSignedTx(value, maxBytes);
  } catch (error) {
    if (error instanceof InvalidInputError) return error;
    throw error;
  }
  throw new Error('parseSignedTx accepted the transaction');
}

describe('parseSignedTx', () => {
  it('accepts well-signed transactions of every call type', () => {
    const calls: Array<[Call, Signer | undefined]> = [
      [{ type: 'transfer', to: key(2).address, amount: '1' }, undefined],
      [{ type: 'register', coldkey: key(3).address, multiaddrs: [], maxBurn: '1' }, key(3)],
      [{ type: 'update_multiaddrs', multiaddrs: ['/dns4/x/tcp/1'] }, undefined],
      [{ type: 'add_stake', hotkey: key(4).address, amount: '2' }, undefined],
      [{ type: 'remove_stake', hotkey: key(4).address, amount: '3' }, undefined],
      [{ type: 'set_weights', weights: [[0, 1]] }, undefined],
    ];
    for (const [call, coldkey] of calls) {
      const tx = sign(key(1), call, coldkey, 7);
      expect(parseSignedTx(wire(tx), MAX)).toEqual(tx);
    }
  });

  it('refuses a signature by another key', () => {
    const tx = transfer();
    const forged = { ...tx, signature: sign(key(2), tx.body.call).signature };
    const e = refusal(wire(forged));
    expect(e.field).toBe('tx.signature');
    expect(e.message).toMatch(/does not match the signer's key/);
  });

  it('refuses a body changed after signing', () => {
    const tx = wire(transfer());
    for (const tamper of [
      (t: SignedTx) => ((t.body.call as { amount: string }).amount = '5001'),
      (t: SignedTx) => (t.body.nonce = 1),
      (t: SignedTx) => (t.body.chain = 'c1'.repeat(32)),
      (t: SignedTx) => ((t.body.call as { to: string }).to = key(3).address),
    ]) {
      const copy = wire(tx);
      tamper(copy);
      expect(refusal(copy).field).toBe('tx.signature');
    }
    const flipped = tx.signature.slice(0, 10) + (tx.signature[10] === '0' ? '1' : '0') + tx.signature.slice(11);
    expect(refusal({ ...tx, signature: flipped }).field).toBe('tx.signature');
  });

  it('refuses an unsigned transaction', () => {
    const { body } = transfer();
    expect(refusal({ body }).field).toBe('tx.signature');
    expect(refusal({ body, signature: '' }).field).toBe('tx.signature');
    expect(refusal({ body, signature: '00'.repeat(64) }).message).toMatch(/does not match/);
  });

  it('refuses an unknown call type', () => {
    const tx = wire(transfer());
    const e = refusal({ ...tx, body: { ...tx.body, call: { type: 'mint', amount: '1' } } });
    expect(e.field).toBe('tx.body.call.type');
    expect(refusal({ ...tx, body: { ...tx.body, call: { to: key(2).address, amount: '1' } } }).field).toMatch(
      /^tx\.body\.call/,
    );
  });

  it('refuses extra fields at every level', () => {
    const tx = wire(transfer());
    expect(refusal({ ...tx, memo: 'hi' }).message).toMatch(/^tx: Unrecognized key: "memo"/);
    expect(refusal({ ...tx, body: { ...tx.body, fee: '1' } }).field).toBe('tx.body');
    expect(refusal({ ...tx, body: { ...tx.body, call: { ...tx.body.call, extra: 1 } } }).field).toBe('tx.body.call');
  });

  it('refuses a transaction above maxBytes', () => {
    const tx = transfer();
    const size = canonicalJson(tx).length;
    expect(parseSignedTx(wire(tx), size)).toEqual(tx);
    expect(refusal(wire(tx), size - 1).message).toBe(`tx: larger than ${size - 1} bytes`);
    const weights = Array.from({ length: 3000 }, (_, i) => [i, 65535] as [number, number]);
    const big = sign(key(1), { type: 'set_weights', weights });
    expect(refusal(wire(big)).message).toMatch(/larger than 16384 bytes/);
    expect(parseSignedTx(wire(big), 1 << 20)).toEqual(big);
  });

  it('requires the coldkey signature on a registration, and only there', () => {
    const tx = wire(register());
    expect(parseSignedTx(tx, MAX)).toEqual(tx);
    const { coldkeySignature: _, ...unsigned } = tx;
    expect(refusal(unsigned).message).toBe('tx.coldkeySignature: registration needs the coldkey to sign too');
    const wrong = wire(register(key(5)));
    expect(refusal(wrong).message).toBe("tx.coldkeySignature: does not match the coldkey's key");
    // A coldkey signature that signs another body does not count either.
    const other = sign(key(101), { ...tx.body.call, maxBurn: '10' } as Call, key(1));
    expect(refusal({ ...tx, coldkeySignature: other.coldkeySignature }).field).toBe('tx.coldkeySignature');
    // The hotkey's own signature in the coldkey's place.
    expect(refusal({ ...tx, coldkeySignature: tx.signature }).field).toBe('tx.coldkeySignature');

    const t = wire(transfer());
    const withCold = { ...t, coldkeySignature: t.signature };
    expect(refusal(withCold).message).toBe('tx.coldkeySignature: only a registration carries a coldkey signature');
  });

  it('refuses bad addresses, nonces, amounts and chain ids', () => {
    const tx = wire(transfer());
    const addr = key(2).address;
    const badChecksum = addr.slice(0, -1) + (addr.endsWith('1') ? '2' : '1');
    const cases: Array<[(t: SignedTx) => void, string]> = [
      [(t) => (t.body.signer = 'alice'), 'tx.body.signer'],
      [(t) => (t.body.signer = ''), 'tx.body.signer'],
      [(t) => (t.body.signer = badChecksum), 'tx.body.signer'],
      [(t) => (t.body.signer = '0'.repeat(48)), 'tx.body.signer'],
      [(t) => ((t.body.call as { to: unknown }).to = badChecksum), 'tx.body.call.to'],
      [(t) => ((t.body.call as { to: unknown }).to = 5), 'tx.body.call.to'],
      [(t) => ((t.body.call as { to: unknown }).to = addr + 'x'), 'tx.body.call.to'],
      [(t) => (t.body.nonce = -1), 'tx.body.nonce'],
      [(t) => (t.body.nonce = 1.5), 'tx.body.nonce'],
      [(t) => (t.body.nonce = 2 ** 60), 'tx.body.nonce'],
      [(t) => ((t.body.call as { amount: unknown }).amount = '-1'), 'tx.body.call.amount'],
      [(t) => ((t.body.call as { amount: unknown }).amount = '1.5'), 'tx.body.call.amount'],
      [(t) => ((t.body.call as { amount: unknown }).amount = 5), 'tx.body.call.amount'],
      [(t) => ((t.body.call as { amount: unknown }).amount = '1'.repeat(31)), 'tx.body.call.amount'],
      [(t) => (t.body.chain = 'C0'.repeat(32)), 'tx.body.chain'],
      [(t) => (t.signature = t.signature.toUpperCase()), 'tx.signature'],
    ];
    for (const [mutate, field] of cases) {
      const copy = wire(tx);
      mutate(copy);
      expect(refusal(copy).field).toBe(field);
    }
    const reg = wire(register());
    (reg.body.call as { coldkey: string }).coldkey = badChecksum;
    expect(refusal(reg).field).toBe('tx.body.call.coldkey');
  });
});

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Every path into a JSON value (the root included). */
function paths(value: Json, at: Array<string | number> = []): Array<Array<string | number>> {
  const out = [at];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...paths(v, [...at, i])));
  else if (value !== null && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) out.push(...paths(v, [...at, k]));
  return out;
}

type Mutation =
  | { kind: 'set'; pick: number; value: Json }
  | { kind: 'delete'; pick: number }
  | { kind: 'add'; pick: number; name: string; value: Json }
  | { kind: 'flip'; pick: number; at: number; char: string };

/** Applies a mutation to a copy of `tx` at the path chosen by `pick`. */
function mutate(tx: Json, m: Mutation): Json {
  const root = { v: structuredClone(tx) } as { v: Json };
  const all = paths(root.v).map((p) => ['v', ...p]);
  const path = all[m.pick % all.length]!;
  const parent = path.slice(0, -1).reduce<Json>((o, k) => (o as Record<string, Json>)[k]!, root as unknown as Json) as
    Record<string, Json> | Json[];
  const last = path[path.length - 1]!;
  const current = (parent as Record<string, Json>)[last]!;
  switch (m.kind) {
    case 'set':
      (parent as Record<string, Json>)[last] = m.value;
      break;
    case 'delete':
      if (Array.isArray(parent)) parent.splice(last as number, 1);
      else delete parent[last];
      break;
    case 'add':
      if (Array.isArray(current)) current.push(m.value);
      else if (current !== null && typeof current === 'object') current[m.name] = m.value;
      else (parent as Record<string, Json>)[last] = m.value;
      break;
    case 'flip':
      if (typeof current === 'string' && current.length > 0) {
        const i = m.at % current.length;
        (parent as Record<string, Json>)[last] = current.slice(0, i) + m.char + current.slice(i + 1);
      } else (parent as Record<string, Json>)[last] = m.char;
      break;
  }
  return root.v;
}

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), pick: fc.nat(), value: fc.jsonValue() as fc.Arbitrary<Json> }),
  fc.record({ kind: fc.constant('delete' as const), pick: fc.nat() }),
  fc.record({
    kind: fc.constant('add' as const),
    pick: fc.nat(),
    name: fc.oneof(fc.string(), fc.constantFrom('coldkeySignature', 'signature', 'body', 'to', 'amount', '__proto__')),
    value: fc.jsonValue() as fc.Arbitrary<Json>,
  }),
  fc.record({
    kind: fc.constant('flip' as const),
    pick: fc.nat(),
    at: fc.nat(),
    char: fc.oneof(fc.constantFrom('0', '1', 'a', 'f', 'F', '5', ' ', '', 'é'), fc.string({ maxLength: 2 })),
  }),
);

describe('parseSignedTx on arbitrary input', () => {
  it('throws only InvalidInputError for any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(() => parseSignedTx(value, MAX)).toThrow(InvalidInputError);
      }),
      { numRuns: 500 },
    );
  });

  it('throws only InvalidInputError for mutations of valid transactions, and never accepts a changed one', () => {
    const valid = [transfer(), register(), sign(key(3), { type: 'set_weights', weights: [[1, 2]] })].map(
      (tx) => wire(tx) as unknown as Json,
    );
    fc.assert(
      fc.property(fc.constantFrom(...valid), fc.array(mutation, { minLength: 1, maxLength: 3 }), (tx, mutations) => {
        const changed = mutations.reduce(mutate, tx);
        // Exactly what would come off the wire (deleting the root leaves nothing at all).
        const raw = changed === undefined ? undefined : (JSON.parse(JSON.stringify(changed)) as unknown);
        let accepted: SignedTx;
        try {
          accepted = parseSignedTx(raw, MAX);
        } catch (error) {
          expect(error).toBeInstanceOf(InvalidInputError);
          expect((error as InvalidInputError).field).toMatch(/^tx(\.|$)/);
          return;
        }
        // Only a mutation that changed nothing that matters may pass: the same transaction, the same hash.
        expect(txHash(accepted)).toBe(txHash(tx as unknown as SignedTx));
      }),
      { numRuns: 1000 },
    );
  });
});
