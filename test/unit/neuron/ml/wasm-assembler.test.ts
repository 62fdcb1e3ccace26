import { describe, expect, it } from 'vitest';
import {
  I32,
  advance,
  get,
  i32,
  memarg,
  onMemory,
  op,
  set,
  whileBelow,
  type WasmFunction,
} from '../../../../src/neuron/ml/wasm-assembler.js';

/** fill(at, n, value): n int32 values from byte offset `at`. */
const FILL: WasmFunction = {
  name: 'fill',
  params: [I32, I32, I32],
  locals: [I32],
  code: [...whileBelow(3, get(1), i32(1), [...get(0), ...get(2), op.i32Store, ...memarg(), ...advance(0, i32(4))])],
};

/** A WebAssembly memory of one page (the runtime's API: not in this project's TypeScript lib set). */
const newMemory = () =>
  new (
    globalThis as unknown as { WebAssembly: { Memory: new (d: { initial: number }) => { buffer: ArrayBuffer } } }
  ).WebAssembly.Memory({ initial: 1 });

describe('the assembler of our WebAssembly kernels', () => {
  it('assembles a function that runs on the memory it is given, once per memory', () => {
    const memory = newMemory();
    const on = onMemory([FILL]);
    const exports = on(memory)!;
    exports['fill']!(8, 3, -7);
    expect(Array.from(new Int32Array(memory.buffer, 0, 6))).toEqual([0, 0, -7, -7, -7, 0]);
    expect(on(memory)).toBe(exports);
    const other = newMemory();
    expect(on(other)).not.toBe(exports);
    expect(on(undefined)).toBeUndefined();
  });

  it("a module this runtime does not compile is not used (a kernel then hands its work to tfjs's)", () => {
    // An instruction that does not exist: the module fails validation, so there are no exports for any memory.
    const broken: WasmFunction = { name: 'broken', params: [], locals: [], code: [0xfd, 0xff, 0x7f] };
    expect(onMemory([broken])(newMemory())).toBeUndefined();
  });

  it('encodes negative constants as signed LEB128 (i32.const -4 masks off two bits)', () => {
    const mask: WasmFunction = {
      name: 'mask',
      params: [I32],
      locals: [],
      code: [...i32(0), ...get(0), ...i32(-4), op.i32And, op.i32Store, ...memarg()],
    };
    const memory = newMemory();
    onMemory([mask])(memory)!['mask']!(4099);
    expect(new Int32Array(memory.buffer, 0, 1)[0]).toBe(4096);
    expect(set(200)).toEqual([op.localSet, 0xc8, 0x01]);
  });
});
