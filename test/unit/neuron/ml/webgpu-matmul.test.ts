import { describe, expect, it } from 'vitest';
import { chooseTile, LARGE_TILE, SMALL_TILE, tiledMatMulSource } from '../../../../src/neuron/ml/webgpu-matmul.js';

/** Bytes of workgroup memory a generated kernel declares. */
function workgroupBytes(source: string): number {
  return [...source.matchAll(/var<workgroup> \w+: array<vec4<f32>, (\d+)>/g)].reduce(
    (sum, m) => sum + 16 * Number(m[1]),
    0,
  );
}

describe('our WebGPU matmul', () => {
  it('takes outputs by how many large tiles they fill, and leaves thin ones to tfjs', () => {
    expect(chooseTile(1, 2048, 2048)).toEqual(LARGE_TILE); // 256 tiles of 128 x 128
    expect(chooseTile(1, 8192, 8192)).toEqual(LARGE_TILE);
    expect(chooseTile(1, 512, 512)).toEqual(SMALL_TILE); // 16 large tiles: 64 x 64 gives 4x the workgroups
    expect(chooseTile(16, 512, 512)).toEqual(LARGE_TILE); // the batch counts
    expect(chooseTile(1, 8, 4096)).toBeUndefined(); // a vector-like product
    expect(chooseTile(1, 4096, 1)).toBeUndefined();
    expect(chooseTile(1, 100, 100, LARGE_TILE)).toEqual(LARGE_TILE); // forced (benchmarks)
  });

  it("fits WebGPU's default 16 KiB of workgroup memory with the tiles training uses, for every transpose pair", () => {
    for (const tile of [LARGE_TILE, SMALL_TILE]) {
      for (const [ta, tb] of [
        [false, false],
        [true, false],
        [false, true],
        [true, true],
      ] as const) {
        const source = tiledMatMulSource(tile, ta, tb);
        expect(workgroupBytes(source)).toBeLessThanOrEqual(16_384);
        // Every stage's k is unrolled: one read of each operand's vec4s per k.
        expect(source.match(/= tileB\[/g)).toHaveLength(tile.bk * (tile.tn / 4));
        expect(source.match(/= fma\(/g)).toHaveLength(tile.bk * tile.tm * (tile.tn / 4));
      }
    }
  });
});
