import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bt-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const request = {
  stake: [1, 1, 2],
  weights: [
    [0, 1, 1],
    [1, 0, 3],
    [1, 1, 5],
  ],
};

describe('bittensor-miner mechanism epoch', () => {
  it('reads a file and prints every field of the contract', async () => {
    const file = join(dir, 'req.json');
    await writeFile(file, JSON.stringify(request));
    const r = await runCli(['mechanism', 'epoch', '--input', file]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    for (const key of [
      'rank',
      'trust',
      'consensus',
      'incentive',
      'dividends',
      'emissionShare',
      'emission',
      'stake',
      'bonds',
      'loss',
      'timingMs',
    ]) {
      expect(out).toHaveProperty(key);
    }
    expect(out['rank']).toEqual([0.3125, 0.375, 0.3125]);
    expect((out['stake'] as number[]).reduce((a, b) => a + b)).toBeCloseTo(5, 12);
    expect(Array.isArray(out['bonds'])).toBe(true);
    expect(typeof out['timingMs']).toBe('number');
  });

  it('reads standard input, runs several blocks and answers bonds in the rows format', async () => {
    const rows = {
      ...request,
      weights: {
        rows: [
          [
            [1, 1],
            [2, 1],
          ],
          [
            [0, 1],
            [2, 3],
          ],
          [
            [0, 1],
            [1, 1],
          ],
        ],
      },
      blocks: 4,
      params: { emission: 2 },
    };
    const r = await runCli(['mechanism', 'epoch', '--input', '-'], JSON.stringify(rows));
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { stake: number[]; bonds: { rows: unknown[] } };
    expect(out.stake.reduce((a, b) => a + b)).toBeCloseTo(4 + 4 * 2, 10);
    expect(out.bonds.rows).toHaveLength(3);
  });

  it('runs the eigentrust mechanism', async () => {
    const r = await runCli(
      ['mechanism', 'epoch', '-i', '-'],
      JSON.stringify({
        mechanism: 'eigentrust',
        stake: [1, 3],
        selfWeights: [1, 1],
        weights: [
          [0, 0],
          [0, 0],
        ],
      }),
    );
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      emissionShare: [0.25, 0.75],
      emission: [0.25, 0.75],
      stake: [1.25, 3.75],
    });
  });

  it.each([
    ['malformed JSON', '{"stake": [1, 2', 'input'],
    ['an n mismatch', JSON.stringify({ ...request, stake: [1, 2] }), 'weights'],
    [
      'a negative weight',
      JSON.stringify({
        ...request,
        weights: [
          [0, 1, 1],
          [1, 0, -3],
          [1, 1, 0],
        ],
      }),
      'weights[1][2]',
    ],
    [
      'an out-of-range column',
      JSON.stringify({ ...request, weights: { rows: [[[3, 1]], [], []] } }),
      'weights.rows[0][0][0]',
    ],
    ['a non-finite number', '{"stake": [1, 1e999], "weights": [[0, 1], [1, 0]]}', 'stake[1]'],
    ['an unknown mechanism', JSON.stringify({ ...request, mechanism: 'pagerank' }), 'mechanism'],
  ])('rejects %s with exit code 2 and one line naming the field', async (_name, stdin, field) => {
    const r = await runCli(['mechanism', 'epoch', '--input', '-'], stdin);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(field);
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });

  it.each([
    ['blocks without end', { ...request, blocks: 1e12 }, 'error: blocks: must be an integer from 1 to 100000'],
    [
      'an emission whose stake overflows',
      { ...request, blocks: 3, params: { emission: 1e308 } },
      'error: params.emission: too large, the total stake after 3 blocks is not finite; lower it or blocks',
    ],
    [
      'a weights row whose sum overflows',
      {
        ...request,
        weights: [
          [0, 1, 1],
          [1e308, 0, 1e308],
          [1, 1, 0],
        ],
      },
      "error: weights[1]: the row's sum is not finite; scale its entries down",
    ],
    [
      'an unknown top-level field',
      { ...request, bond: [] },
      'error: bond: unknown field (known: mechanism, params, stake, weights, bonds, active, selfWeights, blocks)',
    ],
    [
      'inputs whose result is not finite',
      {
        mechanism: 'eigentrust',
        stake: [1e200, 1e200],
        selfWeights: [1, 1],
        weights: [
          [0, 1e200],
          [1e200, 0],
        ],
      },
      'error: input: the emission of epoch 1 is not finite: some numbers are too large or too small to compute ' +
        'with; scale stake, selfWeights and weights toward 1',
    ],
  ])('refuses %s with exit code 2 and exactly one line', async (_name, input, line) => {
    const r = await runCli(['mechanism', 'epoch', '--input', '-'], JSON.stringify(input));
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`${line}\n`);
  });

  it('rejects a missing file and a missing --input as usage errors', async () => {
    const missing = await runCli(['mechanism', 'epoch', '--input', join(dir, 'nope.json')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--input: cannot read .*ENOENT/);
    const noInput = await runCli(['mechanism', 'epoch']);
    expect(noInput.code).toBe(2);
    expect(noInput.stdout).toBe('');
  });
});

describe('bittensor-miner --help', () => {
  it.each([[[]], [['mechanism']], [['mechanism', 'epoch']], [['mechanism', 'simulate']]])(
    'prints help for %j',
    async (args) => {
      const r = await runCli([...args, '--help']);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^Usage: bittensor-miner/);
    },
  );
});

describe('bittensor-miner mechanism simulate', () => {
  it('prints the per-epoch series as CSV', async () => {
    const r = await runCli(['mechanism', 'simulate', '--epochs', '20', '--cabal-stake', '0.4']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toBe('epoch,cabal_stake,yuma_share,naive_share');
    expect(lines).toHaveLength(22);
    const [epoch, stake, yuma, naive] = lines[21]!.split(',').map(Number);
    expect([epoch, stake]).toEqual([20, 0.4]);
    expect(yuma).toBeLessThan(0.4);
    expect(naive).toBeCloseTo(0.4, 12);
  });

  it('writes JSON series, a summary and an SVG chart', async () => {
    const out = join(dir, 'sim.json');
    const chart = join(dir, 'sim.svg');
    const r = await runCli([
      'mechanism',
      'simulate',
      '--epochs',
      '30',
      '--format',
      'json',
      '--out',
      out,
      '--chart',
      chart,
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("The cabal's share");
    const json = JSON.parse(await readFile(out, 'utf8')) as { series: Array<{ cabalStake: number; yuma: number[] }> };
    expect(json.series.map((s) => s.cabalStake)).toEqual([0.3, 0.45, 0.49]);
    expect(json.series[0]!.yuma).toHaveLength(31);
    const svg = await readFile(chart, 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('Naive ranking');
  });

  it.each([
    [
      '--out',
      'under a file',
      (base: string) => join(base, 'a-file', 'series.csv'),
      'ENOTDIR: a parent is not a folder',
    ],
    [
      '--out',
      'deeper under a file',
      (base: string) => join(base, 'a-file', 'x', 'series.csv'),
      'ENOTDIR: a parent is not a folder',
    ],
    ['--chart', 'onto a folder', (base: string) => join(base, 'a-folder'), 'EISDIR: it is a folder'],
  ])('refuses %s %s with one line naming the path, and leaves nothing behind', async (flag, _where, pathIn, why) => {
    const base = await mkdtemp(join(dir, 'unwritable-'));
    await mkdir(join(base, 'a-folder'));
    await writeFile(join(base, 'a-file'), 'x');
    const path = pathIn(base);
    const r = await runCli(['mechanism', 'simulate', '--epochs', '5', flag, path]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`error: ${flag}: cannot write ${path} (${why}); choose a writable path\n`);
    expect((await readdir(base)).sort()).toEqual(['a-file', 'a-folder']);
    expect(await readdir(join(base, 'a-folder'))).toEqual([]);
  });

  it.skipIf(process.platform !== 'linux')(
    'refuses --out under /proc at once (a recursive mkdir there never returns)',
    async () => {
      const r = await runCli(['mechanism', 'simulate', '--epochs', '5', '--out', '/proc/x/y.csv']);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(
        /^error: --out: cannot write \/proc\/x\/y\.csv \([A-Z]+: .*\); choose a writable path\n$/,
      );
    },
  );

  it('rejects a bad option value with exit code 2', async () => {
    const r = await runCli(['mechanism', 'simulate', '--cabal-stake', '0.3,abc']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe('error: --cabal-stake: expected a number > 0 and <= 1, got "abc"');
  });
});
