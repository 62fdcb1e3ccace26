import { tf } from './tf.js';

/**
 * Our matmul for tfjs's WebGPU backend: a register-blocked tiled kernel (WGSL written here, generated per tile
 * shape) registered in place of tfjs's BatchMatMul on `webgpu`. tfjs's generic programs reach about a quarter of
 * cuBLAS fp32 on an NVIDIA H200 (bench:gpu, README); this one keeps each thread's block of outputs in registers,
 * stages tiles of A and B through workgroup memory with the next tile's loads in flight, and reads that memory as
 * vec4s. Any shape, transpose and broadcast batch is handled (edge tiles are bounds-checked); only outputs too
 * small to fill the GPU go to tfjs's own programs (split-K, reduce), which suit them better.
 */

/** One kernel's tile: a 16 x 16 grid of threads, each computing tm x tn outputs; bk rows of K per stage. */
export interface MatMulTile {
  /** Output rows per thread: 4 or 8 (a workgroup's tile is 16 * tm rows). */
  tm: 4 | 8;
  /** Output columns per thread: 4 or 8 (16 * tn columns). */
  tn: 4 | 8;
  /** Depth of one stage: 8 or 16 (workgroup memory holds bk x (16 tm + 16 tn) floats). */
  bk: 8 | 16;
}

/** The tile for outputs with enough tiles to fill a large GPU, and the one for fewer (4x the workgroups). */
export const LARGE_TILE: MatMulTile = { tm: 8, tn: 8, bk: 8 };
export const SMALL_TILE: MatMulTile = { tm: 4, tn: 4, bk: 16 };

const THREADS = 256; // 16 x 16

/**
 * The WGSL body (tfjs's shader header adds the bindings A, B, result and the uniforms' shapes) of one tile
 * shape and transpose pair. Loads go through f32(): tfjs casts int32 to float32 without touching the data, so a
 * "float32" operand may be bound as i32. A is [batch, M, K] ([batch, K, M] transposed), B [batch, K, N] ([batch, N, K]),
 * result [batch, M, N]; a batch of 1 broadcasts.
 */
export function tiledMatMulSource(tile: MatMulTile, transposeA: boolean, transposeB: boolean): string {
  const { tm, tn, bk } = tile;
  const bm = 16 * tm;
  const bn = 16 * tn;
  // Workgroup rows are padded by one vec4, so a stage stored k-fastest (the untransposed A, the transposed B)
  // spreads over the memory banks instead of landing on one.
  const strideA = bm / 4 + 1;
  const strideB = bn / 4 + 1;
  const loadsA = (bm * bk) / THREADS;
  const loadsB = (bn * bk) / THREADS;
  const lines: string[] = [];
  const emit = (s: string) => lines.push(s);

  emit(`var<workgroup> tileA: array<vec4<f32>, ${bk * strideA}>;`);
  emit(`var<workgroup> tileB: array<vec4<f32>, ${bk * strideB}>;`);
  emit('fn main() {');
  emit('  let tid = i32(localIndex);');
  emit('  let ty = tid / 16;');
  emit('  let tx = tid % 16;');
  emit('  let batch = i32(workgroupId.z);');
  emit('  let M = uniforms.outShape.y;');
  emit('  let N = uniforms.outShape.z;');
  emit(`  let K = ${transposeA ? 'uniforms.aShape.y' : 'uniforms.aShape.z'};`);
  emit('  let baseA = select(batch, 0, uniforms.aShape.x == 1) * M * K;');
  emit('  let baseB = select(batch, 0, uniforms.bShape.x == 1) * K * N;');
  emit(`  let m0 = i32(workgroupId.y) * ${bm};`);
  emit(`  let n0 = i32(workgroupId.x) * ${bn};`);
  for (let i = 0; i < tm; i++) for (let j = 0; j < tn / 4; j++) emit(`  var acc${i}_${j} = vec4<f32>(0.0);`);
  for (let i = 0; i < loadsA; i++) emit(`  var la${i} = 0.0;`);
  for (let i = 0; i < loadsB; i++) emit(`  var lb${i} = 0.0;`);

  // Element e of a stage (e = i * 256 + tid) is read along the operand's contiguous axis, so a warp's loads
  // coalesce: k-fastest for A [M, K] and B^T [N, K], m- or n-fastest for A^T [K, M] and B [K, N].
  const place = (e: string, outer: number, kFastest: boolean) =>
    kFastest ? { k: `(${e}) % ${bk}`, o: `(${e}) / ${bk}` } : { k: `(${e}) / ${outer}`, o: `(${e}) % ${outer}` };
  const loadStage = (k0: string) => {
    for (let i = 0; i < loadsA; i++) {
      const { k, o } = place(`${i * THREADS} + tid`, bm, !transposeA);
      emit(`    { let k = ${k0} + ${k}; let m = m0 + ${o};`);
      const index = transposeA ? 'baseA + k * M + m' : 'baseA + m * K + k';
      emit(`      la${i} = 0.0; if (k < K && m < M) { la${i} = f32(A[${index}]); } }`);
    }
    for (let i = 0; i < loadsB; i++) {
      const { k, o } = place(`${i * THREADS} + tid`, bn, transposeB);
      emit(`    { let k = ${k0} + ${k}; let n = n0 + ${o};`);
      const index = transposeB ? 'baseB + n * K + k' : 'baseB + k * N + n';
      emit(`      lb${i} = 0.0; if (k < K && n < N) { lb${i} = f32(B[${index}]); } }`);
    }
  };
  const storeStage = () => {
    for (let i = 0; i < loadsA; i++) {
      const { k, o } = place(`${i * THREADS} + tid`, bm, !transposeA);
      emit(`    { let k = ${k}; let m = ${o}; tileA[k * ${strideA} + m / 4][m % 4] = la${i}; }`);
    }
    for (let i = 0; i < loadsB; i++) {
      const { k, o } = place(`${i * THREADS} + tid`, bn, transposeB);
      emit(`    { let k = ${k}; let n = ${o}; tileB[k * ${strideB} + n / 4][n % 4] = lb${i}; }`);
    }
  };

  loadStage('0');
  emit(`  let stages = (K + ${bk - 1}) / ${bk};`);
  emit('  for (var s = 0; s < stages; s++) {');
  storeStage();
  emit('    workgroupBarrier();');
  emit('    if (s + 1 < stages) {');
  loadStage(`(s + 1) * ${bk}`);
  emit('    }');
  for (let k = 0; k < bk; k++) {
    // Thread (ty, tx) owns rows 4 (ty + 16 q) + c and columns 4 (tx + 16 q) + c: each read below is one
    // vec4, and a warp's reads of B are consecutive vec4s.
    for (let q = 0; q < tm / 4; q++) emit(`    let a${k}_${q} = tileA[${k * strideA + 16 * q} + ty];`);
    for (let q = 0; q < tn / 4; q++) emit(`    let b${k}_${q} = tileB[${k * strideB + 16 * q} + tx];`);
    for (let i = 0; i < tm; i++) {
      const a = `a${k}_${Math.floor(i / 4)}[${i % 4}]`;
      for (let j = 0; j < tn / 4; j++) emit(`    acc${i}_${j} = fma(vec4<f32>(${a}), b${k}_${j}, acc${i}_${j});`);
    }
  }
  emit('    workgroupBarrier();');
  emit('  }');

  emit('  let baseOut = batch * M * N;');
  for (let i = 0; i < tm; i++) {
    emit(`  { let m = m0 + 4 * (ty + ${16 * Math.floor(i / 4)}) + ${i % 4};`);
    emit('    if (m < M) {');
    for (let j = 0; j < tn / 4; j++) {
      for (let c = 0; c < 4; c++) {
        emit(
          `      { let n = n0 + 4 * (tx + ${16 * j}) + ${c}; if (n < N) { result[baseOut + m * N + n] = acc${i}_${j}[${c}]; } }`,
        );
      }
    }
    emit('    }');
    emit('  }');
  }
  emit('}');
  return lines.join('\n');
}

/** The program tfjs's WebGPU backend runs (its WebGPUProgram interface). */
class TiledMatMulProgram {
  readonly variableNames = ['A', 'B'];
  readonly variableComponents = [1, 1];
  readonly outputComponent = 1;
  readonly workgroupSize: [number, number, number] = [THREADS, 1, 1];
  readonly dispatchLayout = { x: [2], y: [1], z: [0] };
  readonly dispatch: [number, number, number];
  readonly shaderKey: string;

  constructor(
    readonly outputShape: [number, number, number],
    private readonly tile: MatMulTile,
    private readonly transposeA: boolean,
    private readonly transposeB: boolean,
  ) {
    const [batch, m, n] = outputShape;
    this.dispatch = [Math.ceil(n / (16 * tile.tn)), Math.ceil(m / (16 * tile.tm)), batch];
    this.shaderKey = `tiledMatMul_${tile.tm}_${tile.tn}_${tile.bk}_${transposeA}_${transposeB}`;
  }

  getUserCode(): string {
    return tiledMatMulSource(this.tile, this.transposeA, this.transposeB);
  }
}

/** Workgroups of LARGE_TILE below which SMALL_TILE is used (a large GPU runs ~100 workgroups at once). */
const FEW_LARGE_TILES = 128;
/** Outputs with fewer rows or columns than this go to tfjs's programs (vector products, tiny outputs). */
const MIN_SIDE = 16;

/** The tile for an output, or undefined where tfjs's own programs suit it better. */
export function chooseTile(batch: number, m: number, n: number, forced?: MatMulTile): MatMulTile | undefined {
  if (m < MIN_SIDE || n < MIN_SIDE) return undefined;
  if (forced) return forced;
  const largeTiles = batch * Math.ceil(m / 128) * Math.ceil(n / 128);
  return largeTiles >= FEW_LARGE_TILES ? LARGE_TILE : SMALL_TILE;
}

type TensorInfo = tf.TensorInfo;
interface WebGpuBackendLike {
  runWebGPUProgram(program: TiledMatMulProgram, inputs: TensorInfo[], dtype: tf.DataType): TensorInfo;
  disposeData(dataId: tf.DataId): boolean;
}

let forcedTile: MatMulTile | undefined;
let enabled = true;

/**
 * For benchmarks: `false` hands every matmul to tfjs's programs; a tile forces that tile on every output our
 * kernel takes. Training never calls this.
 */
export function setTiledMatMul(on: boolean, tile?: MatMulTile): void {
  enabled = on;
  forcedTile = tile;
}

/**
 * Registers our matmul for the `webgpu` backend, in front of tfjs's (kept for the outputs ours passes on and for
 * setTiledMatMul(false)). Safe to call twice.
 */
export function registerTiledMatMul(): void {
  const original = tf.getKernel('BatchMatMul', 'webgpu');
  const reshapeKernel = tf.getKernel('Reshape', 'webgpu');
  if (!original || !reshapeKernel || (original.kernelFunc as { tiled?: boolean }).tiled) return;
  const kernelFunc: tf.KernelFunc = (args) => {
    const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
    const { transposeA, transposeB } = args.attrs as { transposeA: boolean; transposeB: boolean };
    const backend = args.backend as unknown as WebGpuBackendLike;
    const rankA = a.shape.length;
    const rankB = b.shape.length;
    const m = a.shape[transposeA ? rankA - 1 : rankA - 2]!;
    const k = a.shape[transposeA ? rankA - 2 : rankA - 1]!;
    const n = b.shape[transposeB ? rankB - 2 : rankB - 1]!;
    const batchA = tf.util.sizeFromShape(a.shape.slice(0, -2));
    const batchB = tf.util.sizeFromShape(b.shape.slice(0, -2));
    const batch = Math.max(batchA, batchB);
    const tile =
      enabled && a.dtype === 'float32' && b.dtype === 'float32' ? chooseTile(batch, m, n, forcedTile) : undefined;
    // Outer dimensions other than equal ones or a broadcast 1 are for tfjs's kernel (which checks and throws).
    const outerA = a.shape.slice(0, -2).join();
    const outerB = b.shape.slice(0, -2).join();
    if (!tile || (outerA !== outerB && batchA !== 1 && batchB !== 1)) return original.kernelFunc(args);
    if ((transposeB ? b.shape[rankB - 1] : b.shape[rankB - 2]) !== k) return original.kernelFunc(args);
    const outShape = [...(batchA >= batchB ? a.shape : b.shape).slice(0, -2), m, n];
    const reshape = (x: TensorInfo, shape: number[]) =>
      reshapeKernel.kernelFunc({ inputs: { x }, backend: args.backend, attrs: { shape } }) as TensorInfo;
    const a3 = reshape(a, transposeA ? [batchA, k, m] : [batchA, m, k]);
    const b3 = reshape(b, transposeB ? [batchB, n, k] : [batchB, k, n]);
    const program = new TiledMatMulProgram([batch, m, n], tile, transposeA, transposeB);
    const out = backend.runWebGPUProgram(program, [a3, b3], 'float32');
    const shaped = reshape(out, outShape);
    for (const t of [a3, b3, out]) backend.disposeData(t.dataId);
    return shaped;
  };
  Object.assign(kernelFunc, { tiled: true });
  tf.unregisterKernel('BatchMatMul', 'webgpu');
  tf.registerKernel({ kernelName: 'BatchMatMul', backendName: 'webgpu', kernelFunc });
}
