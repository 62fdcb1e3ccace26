/**
 * `npm run bench:mechanism`: time one Yuma epoch at growing n with 64 weights per row, beside the same
 * epoch written with scipy.sparse (when python3 with scipy is on the machine), in one run. Prints a
 * table; asserts nothing about time.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CsrBuilder, nnz, yumaEpoch, type CsrMatrix } from '../src/ledger/mechanism/index.js';
import { seededRandom } from '../src/shared/random.js';
import { median, printTable } from './table.js';

const SIZES = (process.env['BENCH_SIZES'] ?? '1024,4096,16384,65536').split(',').map(Number);
const PER_ROW = 64;

function randomWeights(n: number, perRow: number, random: () => number): CsrMatrix {
  const b = new CsrBuilder(n, n, n * perRow);
  const cols = new Set<number>();
  for (let i = 0; i < n; i++) {
    cols.clear();
    while (cols.size < Math.min(perRow, n - 1)) {
      const j = Math.floor(random() * n);
      if (j !== i) cols.add(j);
    }
    const c = [...cols].sort((x, y) => x - y);
    b.addRow(
      c,
      c.map(() => random()),
    );
  }
  return b.build();
}

function scipyAvailable(): boolean {
  return spawnSync('python3', ['-c', 'import scipy.sparse'], { stdio: 'ignore' }).status === 0;
}

const hasScipy = scipyAvailable();
const rows: string[][] = [];
for (const n of SIZES) {
  const random = seededRandom(n);
  const weights = randomWeights(n, PER_ROW, random);
  const stake = Float64Array.from({ length: n }, () => random() * 1000);
  // Bonds from a first epoch, so that the timed epoch merges a realistic previous bond matrix.
  const bonds = yumaEpoch({ stake, weights }).bonds;
  const repeats = n >= 65536 ? 5 : 9;
  const times: number[] = [];
  let share: Float64Array = new Float64Array(0);
  yumaEpoch({ stake, weights, bonds }); // warm-up
  for (let r = 0; r < repeats; r++) {
    const t = performance.now();
    share = yumaEpoch({ stake, weights, bonds }).emissionShare;
    times.push(performance.now() - t);
  }
  const ours = median(times);
  let scipyMs = NaN;
  let diff = NaN;
  if (hasScipy) {
    const dir = mkdtempSync(join(tmpdir(), 'bt-bench-'));
    const write = (name: string, a: Float64Array | Int32Array) => writeFileSync(join(dir, name), a);
    write('stake.f64', stake);
    write('w_ptr.i32', weights.rowPtr);
    write('w_col.i32', weights.colIdx);
    write('w_val.f64', weights.values);
    write('b_ptr.i32', bonds.rowPtr);
    write('b_col.i32', bonds.colIdx);
    write('b_val.f64', bonds.values);
    const py = spawnSync('python3', ['bench/mechanism_scipy.py', dir, String(n), String(repeats + 1)], {
      encoding: 'utf8',
    });
    if (py.status === 0) {
      const ms = (JSON.parse(py.stdout) as { ms: number[] }).ms.slice(1);
      scipyMs = median(ms);
      // A Buffer is a view: on Node 24 its ArrayBuffer can be a larger pool. Copy exactly the file's bytes.
      const bytes = readFileSync(join(dir, 'E_scipy.f64'));
      const e = new Float64Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
      if (e.length !== share.length) throw new Error(`scipy wrote ${e.length} values for ${share.length} peers`);
      diff = Math.max(...Array.from(share, (v, i) => Math.abs(v - e[i]!)));
    } else {
      process.stderr.write(`scipy run failed: ${py.stderr}\n`);
    }
    rmSync(dir, { recursive: true, force: true });
  }
  rows.push([
    String(n),
    nnz(weights).toLocaleString('en-US'),
    ours.toFixed(1),
    ((ours * 1e6) / nnz(weights)).toFixed(1),
    Number.isNaN(scipyMs) ? 'n/a' : scipyMs.toFixed(1),
    Number.isNaN(scipyMs) ? 'n/a' : `${(scipyMs / ours).toFixed(2)}x`,
    Number.isNaN(diff) ? 'n/a' : diff.toExponential(1),
  ]);
}

console.log(`Yuma epoch, ${PER_ROW} weights per row, bonds carried from a previous epoch; median of repeated runs.`);
console.log(
  `node ${process.version}${hasScipy ? '; scipy.sparse: the same epoch written with scipy (bench/mechanism_scipy.py)' : '; scipy not found'}`,
);
printTable(['n', 'weights', 'epoch ms', 'ns/weight', 'scipy ms', 'scipy/ours', 'max |dE|'], rows);
