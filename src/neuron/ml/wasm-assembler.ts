/**
 * A small assembler for the WebAssembly modules of our kernels (wasm-adam.ts, wasm-matmul.ts, wasm-vector.ts): the instructions
 * they use in WebAssembly's binary format, structured loops over byte offsets, and a module of exported functions
 * that works in the memory of tfjs's WebAssembly backend (imported as env.memory). Each kernel module is a few
 * hundred bytes, assembled and compiled when the backend starts.
 */

/** Value types. */
export const I32 = 0x7f;
export const F32 = 0x7d;
export const V128 = 0x7b;

/** Instructions (one byte). */
export const op = {
  localGet: 0x20,
  localSet: 0x21,
  localTee: 0x22,
  i32Const: 0x41,
  f32Const: 0x43,
  i32LtU: 0x49,
  i32LtS: 0x48,
  i32GeU: 0x4f,
  i32Add: 0x6a,
  i32Sub: 0x6b,
  i32Mul: 0x6c,
  i32And: 0x71,
  i32Shl: 0x74,
  block: 0x02,
  loop: 0x03,
  if: 0x04,
  else: 0x05,
  br: 0x0c,
  brIf: 0x0d,
  end: 0x0b,
  select: 0x1b,
  void: 0x40,
  f32Load: 0x2a,
  f32Store: 0x38,
  i32Store: 0x36,
  f32Sqrt: 0x91,
  f32Add: 0x92,
  f32Mul: 0x94,
  f32Div: 0x95,
} as const;

/** SIMD instructions: 0xfd, then the opcode as unsigned LEB128. */
export const simd = {
  load: [0xfd, 0x00],
  load32Splat: [0xfd, 0x09],
  store: [0xfd, 0x0b],
  splat: [0xfd, 0x13],
  /** f32x4.extract_lane: then the lane's byte. */
  extractLane: [0xfd, 0x1f],
  nearest: [0xfd, 0x6a],
  i32Shl: [0xfd, 0xab, 0x01],
  sqrt: [0xfd, 0xe3, 0x01],
  add: [0xfd, 0xe4, 0x01],
  sub: [0xfd, 0xe5, 0x01],
  mul: [0xfd, 0xe6, 0x01],
  div: [0xfd, 0xe7, 0x01],
  /** b < a ? b : a (x86's minps): a NaN in a is kept. */
  pmin: [0xfd, 0xea, 0x01],
  /** a < b ? b : a (x86's maxps): a NaN in a is kept. */
  pmax: [0xfd, 0xeb, 0x01],
  /** Relaxed SIMD's a·b + c, fused where the processor has FMA (rounded once or twice: either is allowed). */
  relaxedMadd: [0xfd, 0x85, 0x02],
} as const;

/** Unsigned LEB128. */
function leb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

/** Signed LEB128 of a 32-bit integer. */
function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    const done = (n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

export const get = (local: number) => [op.localGet, ...leb(local)];
export const set = (local: number) => [op.localSet, ...leb(local)];
export const tee = (local: number) => [op.localTee, ...leb(local)];
export const i32 = (n: number) => [op.i32Const, ...sleb(n)];
/** A memory access's immediate: alignment hint 1 byte (any alignment), then a constant byte offset. */
export const memarg = (offset = 0) => [0x00, ...leb(offset)];
/** The all-zero vector. */
export const zeroVector = [0xfd, 0x0c, ...Array<number>(16).fill(0)];
/** A vector of four copies of a float32 (v128.const). */
export const f32x4 = (value: number) => [0xfd, 0x0c, ...new Uint8Array(new Float32Array(4).fill(value).buffer)];
/** The bytes of `count` float32s (instructions leaving an i32): 4·count. */
export const floatBytes = (count: number[]) => [...count, ...i32(2), op.i32Shl];
/** The bytes of the whole vectors of four among `count` float32s: 4·(count rounded down to a multiple of 4). */
export const vectorBytes = (count: number[]) => floatBytes([...count, ...i32(-4), op.i32And]);
/**
 * Sets the i32 locals `vectorEnd` and `end` to where the whole vectors of four among `count` float32s and all of
 * them end: byte offsets from the i32 local `base`, or from 0 without one.
 */
export function floatEnds(count: number, vectorEnd: number, end: number, base?: number): number[] {
  const from = (bytes: number[]) => (base === undefined ? bytes : [...get(base), ...bytes, op.i32Add]);
  return [...from(vectorBytes(get(count))), ...set(vectorEnd), ...from(floatBytes(get(count))), ...set(end)];
}
/** local += bytes (an i32 local). */
export const advance = (local: number, bytes: number[]) => [...get(local), ...bytes, op.i32Add, ...set(local)];

/**
 * A loop that runs `body` while the i32 local `counter` is below `end` (instructions leaving an i32), adding
 * `step` (instructions leaving an i32) to it after each pass. The test comes first, so it may run no pass.
 */
export function whileBelow(counter: number, end: number[], step: number[], body: number[]): number[] {
  return [
    op.block,
    op.void,
    op.loop,
    op.void,
    ...get(counter),
    ...end,
    op.i32GeU,
    op.brIf,
    1,
    ...body,
    ...advance(counter, step),
    op.br,
    0,
    op.end,
    op.end,
  ];
}

/** A function of the module: exported under `name`; its locals after the parameters, by type. */
export interface WasmFunction {
  name: string;
  params: number[];
  locals: number[];
  code: number[];
}

const vector = (items: number[][]) => [...leb(items.length), ...items.flat()];
const section = (id: number, body: number[]) => [id, ...leb(body.length), ...body];
const name = (s: string) => [...leb(s.length), ...Array.from(s, (ch) => ch.charCodeAt(0))];

/** Runs of equal types, as a function body declares its locals. */
function localGroups(types: number[]): number[][] {
  const groups: number[][] = [];
  for (const type of types) {
    const last = groups.at(-1);
    if (last && last[1] === type) last[0]!++;
    else groups.push([1, type]);
  }
  return groups.map(([count, type]) => [...leb(count!), type!]);
}

/**
 * The module: imports env.memory (a shared one of at most 4 GiB, as tfjs's threaded build makes it, where
 * `shared`), exports each function (no results; each ends with `end`, added here).
 */
export function assemble(functions: WasmFunction[], shared: boolean): Uint8Array {
  const types = functions.map((f) => [0x60, ...vector(f.params.map((p) => [p])), ...vector([])]);
  const bodies = functions.map((f) => {
    const body = [...vector(localGroups(f.locals)), ...f.code, op.end];
    return [...leb(body.length), ...body];
  });
  return Uint8Array.from([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vector(types)),
    ...section(
      2,
      vector([[...name('env'), ...name('memory'), 0x02, ...(shared ? [0x03, 0, ...leb(65536)] : [0x00, 0])]]),
    ),
    ...section(3, vector(functions.map((_, i) => leb(i)))),
    ...section(7, vector(functions.map((f, i) => [...name(f.name), 0x00, ...leb(i)]))),
    ...section(10, vector(bodies)),
  ]);
}

/** The part of WebAssembly's JavaScript API used here: in every runtime, not in every TypeScript lib set. */
declare const WebAssembly: {
  Memory: new (descriptor: { initial: number }) => { buffer: ArrayBufferLike };
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
  validate(bytes: Uint8Array): boolean;
};

/** A WebAssembly.Memory, or undefined for anything else. */
function asMemory(memory: unknown): object | undefined {
  return memory instanceof WebAssembly.Memory ? memory : undefined;
}

/** Whether the memory is shared (tfjs's threaded build). */
function isShared(memory: object): boolean {
  const { buffer } = memory as { buffer: ArrayBufferLike };
  return typeof SharedArrayBuffer !== 'undefined' && buffer instanceof SharedArrayBuffer;
}

/** Whether this runtime compiles the functions (relaxed SIMD is not everywhere). */
function compiles(functions: WasmFunction[]): boolean {
  return WebAssembly.validate(assemble(functions, false));
}

export type WasmExport = (...args: number[]) => void;

/** What of tfjs's WebAssembly backend holds its memory: exported (single-threaded build) or made in JavaScript. */
export interface WasmModuleMemory {
  wasm: { asm?: { memory?: unknown }; wasmMemory?: unknown };
}

/** The WebAssembly.Memory of tfjs's WebAssembly backend, or undefined. */
export function backendMemory(backend: WasmModuleMemory): object | undefined {
  return asMemory(backend.wasm.asm?.memory ?? backend.wasm.wasmMemory);
}

/**
 * The functions, compiled and instantiated on a memory when first asked for it (again for another memory: a
 * backend that starts again has a new one); undefined without a memory or where they do not compile here.
 */
export function onMemory(
  functions: WasmFunction[],
): (memory: object | undefined) => Record<string, WasmExport> | undefined {
  let valid: boolean | undefined;
  let cached: { memory: object; exports: Record<string, WasmExport> } | undefined;
  return (memory) => {
    if (!memory) return undefined;
    if (cached?.memory === memory) return cached.exports;
    valid ??= compiles(functions);
    if (!valid) return undefined;
    cached = { memory, exports: instantiate(functions, memory) };
    return cached.exports;
  };
}

/** The functions, compiled and instantiated on `memory`, by name. */
function instantiate(functions: WasmFunction[], memory: object): Record<string, WasmExport> {
  const module = new WebAssembly.Module(assemble(functions, isShared(memory)));
  return new WebAssembly.Instance(module, { env: { memory } }).exports as Record<string, WasmExport>;
}
