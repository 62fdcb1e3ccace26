import { f16round, Float16Array, getFloat16, setFloat16 } from '@petamoriken/float16';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { float16ToFloat32, float32ToFloat16 } from '../../../src/neuron/network/float16.js';

/** Every half-precision bit pattern, 0x0000 to 0xffff. */
const ALL = Uint16Array.from({ length: 65536 }, (_, h) => h);

const isNaNBits = (h: number) => (h & 0x7c00) === 0x7c00 && (h & 0x3ff) !== 0;

/** The oracle's half bits for a number (rounded from its float32 value, as the code under test sees it). */
function oracleBits(x: number): number {
  const view = new DataView(new ArrayBuffer(2));
  setFloat16(view, 0, Math.fround(x), true);
  return view.getUint16(0, true);
}

const toHalf = (x: number) => float32ToFloat16(Float32Array.of(x))[0]!;
const toFloat = (h: number) => float16ToFloat32(Uint16Array.of(h))[0]!;

/** Same value, -0 apart from +0; any NaN equals any NaN (payloads are not compared). */
function sameValue(actual: number, expected: number): boolean {
  return Number.isNaN(expected) ? Number.isNaN(actual) : Object.is(actual, expected);
}

/** Same half bits; for NaN only NaN-ness. */
function sameBits(actual: number, expected: number): boolean {
  return isNaNBits(expected) ? isNaNBits(actual) : actual === expected;
}

describe('float16ToFloat32', () => {
  it('matches the oracle on all 65,536 half bit patterns', () => {
    const got = float16ToFloat32(ALL);
    const viaArray = new Float16Array(ALL.buffer);
    const view = new DataView(ALL.buffer);
    const wrong: string[] = [];
    for (let h = 0; h < 65536; h++) {
      const expected = getFloat16(view, h * 2, true);
      if (!sameValue(got[h]!, expected) || !sameValue(got[h]!, viaArray[h]!)) {
        wrong.push(`0x${h.toString(16)}: ${got[h]} vs ${expected}`);
      }
    }
    expect(wrong.slice(0, 10)).toEqual([]);
    // Sanity of the oracle comparison itself: a few known values.
    expect(toFloat(0x3c00)).toBe(1);
    expect(toFloat(0x7bff)).toBe(65504);
    expect(toFloat(0x0001)).toBe(2 ** -24);
    expect(Object.is(toFloat(0x8000), -0)).toBe(true);
    expect(toFloat(0xfc00)).toBe(-Infinity);
    expect(toFloat(0x7e00)).toBeNaN();
  });

  it('reads unaligned views and an empty input', () => {
    const buffer = new ArrayBuffer(10);
    const view = new Uint16Array(buffer, 2, 3);
    view.set([0x3c00, 0xc000, 0x0400]);
    expect(Array.from(float16ToFloat32(view))).toEqual([1, -2, 2 ** -14]);
    expect(float16ToFloat32(new Uint16Array(0))).toHaveLength(0);
  });
});

describe('float32ToFloat16', () => {
  it('matches the oracle on the float32 value of every half bit pattern (exact round trip)', () => {
    const floats = float16ToFloat32(ALL);
    const back = float32ToFloat16(floats);
    const wrong: string[] = [];
    for (let h = 0; h < 65536; h++) {
      const expected = oracleBits(floats[h]!);
      if (!sameBits(back[h]!, expected) || !sameBits(back[h]!, h)) {
        wrong.push(`0x${h.toString(16)} -> 0x${back[h]!.toString(16)}, oracle 0x${expected.toString(16)}`);
      }
    }
    expect(wrong.slice(0, 10)).toEqual([]);
  });

  it('rounds every exact midpoint between neighbouring halves to the even one, and its neighbours to the nearer', () => {
    // Positive finite halves h and h + 1 (0x7bff's neighbour is Infinity: 65520 rounds up to it, as IEEE says).
    const wrong: string[] = [];
    for (let h = 0; h < 0x7c00; h++) {
      const lo = toFloat(h);
      const hi = h + 1 === 0x7c00 ? 65536 : toFloat(h + 1);
      const mid = (lo + hi) / 2;
      if (Math.fround(mid) !== mid) wrong.push(`midpoint ${mid} is not a float32`); // a true tie must reach the code
      const even = h % 2 === 0 ? h : h + 1;
      const below = nextDown32(mid);
      const above = nextUp32(mid);
      for (const [x, expected] of [
        [mid, even],
        [-mid, even | 0x8000],
        [below, h],
        [above, h + 1],
      ] as const) {
        const got = toHalf(x);
        if (got !== expected || got !== oracleBits(x)) {
          wrong.push(`${x}: 0x${got.toString(16)}, expected 0x${expected.toString(16)}`);
        }
      }
    }
    expect(wrong.slice(0, 10)).toEqual([]);
  });

  it('handles the edges: -0, subnormals, underflow, overflow to Infinity, NaN', () => {
    expect(toHalf(0)).toBe(0);
    expect(toHalf(-0)).toBe(0x8000);
    expect(toHalf(2 ** -24)).toBe(0x0001);
    expect(toHalf(2 ** -25)).toBe(0); // a tie with zero: zero is even
    expect(toHalf(-(2 ** -25))).toBe(0x8000);
    expect(toHalf(nextUp32(2 ** -25))).toBe(0x0001);
    expect(toHalf(2 ** -26)).toBe(0);
    expect(toHalf(1e-45)).toBe(0); // a float32 subnormal
    expect(toHalf(-1e-45)).toBe(0x8000);
    expect(toHalf(2 ** -14 - 2 ** -25)).toBe(0x0400); // the largest subnormal's upper tie carries into the exponent
    expect(toHalf(65504)).toBe(0x7bff);
    expect(toHalf(nextDown32(65520))).toBe(0x7bff);
    expect(toHalf(65520)).toBe(0x7c00);
    expect(toHalf(1e6)).toBe(0x7c00);
    expect(toHalf(-3.4e38)).toBe(0xfc00);
    expect(toHalf(Infinity)).toBe(0x7c00);
    expect(toHalf(-Infinity)).toBe(0xfc00);
    expect(isNaNBits(toHalf(NaN))).toBe(true);
    const signalling = new Float32Array(new Uint32Array([0x7f800001, 0xffc00000]).buffer);
    expect(Array.from(float32ToFloat16(signalling), isNaNBits)).toEqual([true, true]);
  });

  it('agrees with the oracle (setFloat16 and f16round) on random float32 values', () => {
    const subnormalRange = fc.float({ min: Math.fround(-(2 ** -13)), max: Math.fround(2 ** -13) });
    const overflowRange = fc.float({ min: Math.fround(65000), max: Math.fround(70000) });
    const anyBits = fc.integer({ min: 0, max: 0xffffffff }).map((b) => new Float32Array(Uint32Array.of(b).buffer)[0]!);
    fc.assert(
      fc.property(fc.oneof(fc.float(), subnormalRange, overflowRange, anyBits), (x) => {
        const half = toHalf(x);
        expect(sameBits(half, oracleBits(x))).toBe(true);
        expect(sameValue(toFloat(half), f16round(x))).toBe(true);
      }),
      { numRuns: 10_000 },
    );
  });

  it('converts arrays in place of the oracle Float16Array, at any offset', () => {
    fc.assert(
      fc.property(fc.array(fc.float(), { maxLength: 64 }), fc.nat(3), (values, offset) => {
        const buffer = new ArrayBuffer((values.length + offset) * 4);
        const input = new Float32Array(buffer, offset * 4, values.length);
        input.set(values);
        const half = float32ToFloat16(input);
        const oracle = Float16Array.from(values);
        expect(half).toHaveLength(values.length);
        for (let i = 0; i < values.length; i++) expect(sameValue(toFloat(half[i]!), oracle[i]!)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

function nextUp32(x: number): number {
  const f = new Float32Array([x]);
  const u = new Uint32Array(f.buffer);
  if (x >= 0) u[0]! += 1;
  else u[0]! -= 1;
  return f[0]!;
}

function nextDown32(x: number): number {
  return -nextUp32(-x);
}
