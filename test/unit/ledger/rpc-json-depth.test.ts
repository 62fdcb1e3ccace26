import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exceedsJsonDepth } from '../../../src/ledger/rpc/json-depth.js';

/** Nesting depth of a parsed value, recursively (fine for the shallow values generated here). */
function depthOf(v: unknown): number {
  if (Array.isArray(v)) return 1 + Math.max(0, ...v.map(depthOf));
  if (typeof v === 'object' && v !== null) return 1 + Math.max(0, ...Object.values(v).map(depthOf));
  return 0;
}

describe('exceedsJsonDepth', () => {
  it('counts arrays and objects, not scalars', () => {
    expect(exceedsJsonDepth('1', 0)).toBe(false);
    expect(exceedsJsonDepth('[]', 0)).toBe(true);
    expect(exceedsJsonDepth('[]', 1)).toBe(false);
    expect(exceedsJsonDepth('{"a":[{"b":[]}]}', 4)).toBe(false);
    expect(exceedsJsonDepth('{"a":[{"b":[]}]}', 3)).toBe(true);
    expect(exceedsJsonDepth('[[],[],[[]]]', 2)).toBe(true);
    expect(exceedsJsonDepth('[[],[],[]]', 2)).toBe(false);
  });

  it('skips brackets inside strings, escaped quotes and backslashes included', () => {
    expect(exceedsJsonDepth(JSON.stringify({ a: '[[[[{{{{' }), 1)).toBe(false);
    expect(exceedsJsonDepth(JSON.stringify(['"[[[[', '\\', '\\"{{{{']), 1)).toBe(false);
    // A string ending in a backslash: the quote after it still closes the string.
    expect(exceedsJsonDepth('["\\\\",[[]]]', 2)).toBe(true);
    expect(exceedsJsonDepth('["\\u005b[["]', 1)).toBe(false);
  });

  it('handles 100,000 levels without recursion', () => {
    expect(exceedsJsonDepth('['.repeat(100_000), 64)).toBe(true);
    expect(exceedsJsonDepth(`"${'['.repeat(100_000)}"`, 64)).toBe(false);
  });

  it('agrees with the parsed depth of any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), fc.integer({ min: 0, max: 7 }), (v, max) => {
        expect(exceedsJsonDepth(JSON.stringify(v), max)).toBe(depthOf(v) > max);
      }),
      { numRuns: 500 },
    );
  });
});
