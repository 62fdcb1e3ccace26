import fc from 'fast-check';
import { Uint8ArrayList } from 'uint8arraylist';
import { describe, expect, it } from 'vitest';
import { decodeTensor, encodeFloatTensor, encodeWithTensor, joinAligned } from '../../../src/neuron/network/codec.js';
import { Code, ForwardResponse } from '../../../src/neuron/network/proto/bittensor.js';

const OUTPUTS_FIELD = 3;

/** Splits bytes into chunks at the given cut points, as a stream may deliver them. */
function chunked(bytes: Uint8Array, cuts: number[]): Uint8ArrayList {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const list = new Uint8ArrayList();
  let at = 0;
  for (const p of [...points, bytes.length]) {
    if (p > at) list.append(bytes.slice(at, p));
    at = p;
  }
  return list;
}

describe('encodeWithTensor and joinAligned (the copy-saving paths)', () => {
  const arbAnswer = fc.record({
    shape: fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 3 }),
    half: fc.boolean(),
    message: fc.string({ maxLength: 20 }),
    cuts: fc.array(fc.nat(), { maxLength: 6 }),
  });

  it('writes the same bytes as the generated encoder, and decodes back aligned from any chunking', () => {
    fc.assert(
      fc.property(arbAnswer, ({ shape, half, message, cuts }) => {
        const n = shape.reduce((a, b) => a * b, 1);
        const data = Float32Array.from({ length: n }, (_, i) => Math.sin(i) * 3);
        const outputs = encodeFloatTensor(data, shape, half);
        const reference = ForwardResponse.encode({ code: Code.OVERLOADED, message, outputs });
        const head = ForwardResponse.encode({ code: Code.OVERLOADED, message });
        const ours = encodeWithTensor(head, OUTPUTS_FIELD, outputs).subarray();
        expect(Buffer.from(ours).equals(Buffer.from(reference))).toBe(true);

        const joined = joinAligned(chunked(reference, cuts), OUTPUTS_FIELD);
        expect(Buffer.from(joined).equals(Buffer.from(reference))).toBe(true);
        const decoded = ForwardResponse.decode(joined);
        expect(decoded.outputs!.data.byteOffset % 4).toBe(0);
        const t = decodeTensor(decoded.outputs, 'outputs', { maxElements: 1000 });
        expect(t.shape).toEqual(shape);
        expect(t.data).toHaveLength(n);
        if (!half) expect(Array.from(t.data)).toEqual(Array.from(data));
      }),
      { numRuns: 300 },
    );
  });

  it('joins garbage as it is, for the decoder to judge', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.array(fc.nat(), { maxLength: 4 }), (bytes, cuts) => {
        const joined = joinAligned(chunked(bytes, cuts), OUTPUTS_FIELD);
        expect(Buffer.from(joined).equals(Buffer.from(bytes))).toBe(true);
      }),
    );
  });
});
