import { describe, expect, it } from 'vitest';
import type { NeuronInfo } from '../../../src/ledger/client.js';
import { parseAmount } from '../../../src/shared/amount.js';
import { neuronRow } from '../../support/ledger.js';
import { API_METHODS, API_ROUTES, type EpochPoint, type MinerApi } from '../../../src/shared/api.js';
import { callApi, parseApiArgument } from '../../../src/shared/api-schema.js';
import { InvalidInputError } from '../../../src/shared/errors.js';
import { alerts, earnings, peerRows, STALL_MS, tokensNeeded } from '../../../src/main/snapshot.js';
import { whatIf } from '../../../src/renderer/lib/what-if.js';

const neuron = (uid: number, stake: string, weights: Array<[number, number]>): NeuronInfo =>
  neuronRow(uid, parseAmount(stake), weights);

describe('API validation (every transport goes through it)', () => {
  it('accepts well-formed arguments and refuses the rest naming the field', () => {
    expect(parseApiArgument('transfer', { to: ' 5Abc ', amount: '1.5', password: 'pw' })).toEqual({
      to: '5Abc',
      amount: '1.5',
      password: 'pw',
    });
    expect(() => parseApiArgument('transfer', { to: 'x', amount: '1.1234567891' })).toThrow(/^amount: /);
    expect(() => parseApiArgument('transfer', { amount: '1' })).toThrow(/^to: /);
    expect(() => parseApiArgument('stake', { amount: '1', extra: 1 })).toThrow('extra: is not a field of stake');
    expect(() => parseApiArgument('unlock', { password: '' })).toThrow('password: enter the password');
    expect(() => parseApiArgument('updateSettings', { cpuCores: 0 })).toThrow(/^cpuCores: /);
    expect(() => parseApiArgument('updateSettings', { neuronPort: 70_000 })).toThrow(/^neuronPort: /);
    expect(parseApiArgument('updateSettings', { neuronPort: 4001, upnp: false })).toEqual({
      neuronPort: 4001,
      upnp: false,
    });
    expect(() => parseApiArgument('updateSettings', { unknown: true })).toThrow(InvalidInputError);
    expect(parseApiArgument('pause', undefined)).toBeUndefined();
    expect(() => parseApiArgument('pause', { now: true })).toThrow(InvalidInputError);
  });

  it('never reaches the host with a bad argument', async () => {
    const calls: string[] = [];
    const api = Object.fromEntries(
      API_METHODS.map((m) => [m, async (arg: unknown) => (calls.push(m), arg)]),
    ) as unknown as MinerApi;
    await expect(callApi(api, 'stake', { amount: '-1' })).rejects.toThrow(/^amount: /);
    expect(calls).toEqual([]);
    await expect(callApi(api, 'stake', { amount: '2' })).resolves.toEqual({ amount: '2' });
    expect(calls).toEqual(['stake']);
  });

  it('routes each call to one distinct HTTP method and path', () => {
    const routes = API_METHODS.map((m) => `${API_ROUTES[m].method} ${API_ROUTES[m].path}`);
    expect(new Set(routes).size).toBe(API_METHODS.length);
    expect(API_ROUTES.snapshot).toEqual({ method: 'GET', path: '/api/snapshot' });
  });
});

describe('the snapshot the dashboard shows', () => {
  it('joins the metagraph with our view of each peer, weights normalized', () => {
    const rows = peerRows(
      [
        neuron(0, '100', [[1, 65535]]),
        neuron(1, '50', [
          [0, 30000],
          [2, 10000],
        ]),
        neuron(2, '10', []),
      ],
      1,
      [{ uid: 0, gate: 0.7, importance: 0.02, latencyMs: 3.5 }],
    );
    expect(rows.map((r) => r.isUs)).toEqual([false, true, false]);
    expect(rows[1]!.weights).toEqual([
      [0, 0.75],
      [2, 0.25],
    ]);
    expect(rows[0]).toMatchObject({ gate: 0.7, importance: 0.02, latencyMs: 3.5, ourWeight: 0.75 });
    expect(rows[2]).toMatchObject({ gate: null, importance: null, latencyMs: null, ourWeight: 0.25 });
  });

  it('counts today from local midnight and projects a day at the recent rate', () => {
    const point = (epoch: number, time: number, emission: string): EpochPoint => ({
      epoch,
      block: epoch * 10,
      time,
      emission,
      balance: '0',
      rank: 0,
      trust: 0,
      consensus: 0,
      incentive: 0,
      dividends: 0,
    });
    const midnight = 1_000_000;
    const epochs = [point(1, midnight - 1, '4'), point(2, midnight + 10, '2'), point(3, midnight + 20, '2.5')];
    const e = earnings(epochs, midnight, 10_000); // 8,640 epochs a day
    expect(e.today).toBe('4.5');
    expect(e.perDay).toBe('24479.99999712'); // floor(8.5e9 / 3) base units x 8,640
    expect(earnings(epochs.slice(0, 1), midnight, 10_000).perDay).toBeNull();
  });

  it('raises an alert when contributing stalls, but not while paused or starting', () => {
    const base = {
      running: true,
      contributing: true,
      neuronProblem: undefined,
      trainingRestarting: null,
      ledgerProblem: undefined,
      networkProblem: undefined,
      settingsProblem: undefined,
      contributingForMs: STALL_MS + 1,
      sinceLastStepMs: STALL_MS + 1,
      peersConnected: 0,
      tokensPerSecond: 100,
    };
    expect(alerts(base).map((a) => a.id)).toEqual(['peers-unreachable', 'no-progress']);
    expect(alerts({ ...base, contributing: false })).toEqual([]);
    expect(alerts({ ...base, contributingForMs: 1000 })).toEqual([]);
    expect(alerts({ ...base, peersConnected: 2, sinceLastStepMs: 10 })).toEqual([]);
    expect(alerts({ ...base, neuronProblem: 'the training worker exited (code 1)' })[0]).toMatchObject({
      id: 'neuron-died',
      level: 'error',
    });
    // The embedded network's own problem replaces the advice about bootstrap addresses, which would mislead there.
    const locked = "the embedded network's wallets do not open with its password file (/d/network/password): ...";
    expect(alerts({ ...base, networkProblem: locked }).map((a) => [a.id, a.level])).toEqual([
      ['network', 'error'],
      ['no-progress', 'warning'],
    ]);
    const restarting = 'the training worker stopped (out of memory); restarting it from its last checkpoint in 2 s';
    expect(alerts({ ...base, peersConnected: 2, sinceLastStepMs: 10, trainingRestarting: restarting })).toEqual([
      { id: 'training-restarting', level: 'warning', message: restarting },
    ]);
  });
});

describe('joining a network: the tokens a new wallet still needs', () => {
  it('counts the burn until registered and the stake it lacks, less what is free', () => {
    const base = { free: 0n, registered: false, staked: 0n, burn: 1n, stake: 100n };
    expect(tokensNeeded(base)).toBe(101n);
    expect(tokensNeeded({ ...base, free: 60n })).toBe(41n);
    expect(tokensNeeded({ ...base, free: 150n })).toBe(0n);
    expect(tokensNeeded({ ...base, registered: true, staked: 100n })).toBe(0n);
    expect(tokensNeeded({ ...base, registered: true, staked: 30n, free: 20n })).toBe(50n);
  });
});

describe("the Earnings view's what-if (the ledger's mechanism, in the page)", () => {
  const peers = peerRows(
    [
      neuron(0, '100', [[2, 1]]),
      neuron(1, '100', [
        [0, 1],
        [2, 1],
      ]),
      neuron(2, '100', [[0, 1]]),
    ],
    2,
    [],
  );
  const params = { rho: 10, kappa: 0.5, bondsAlpha: 0.1 };

  it('gives more incentive when a peer weights us more, and none when nobody does', () => {
    const now = whatIf(peers, 2, params);
    const more = whatIf(peers, 2, params, { weight: { from: 1, onUs: 1 } });
    const none = whatIf(peers, 2, params, { weight: { from: 0, onUs: 0 } });
    expect(more.incentive).toBeGreaterThan(now.incentive);
    expect(none.incentive).toBeLessThan(now.incentive);
    const pair = peerRows([neuron(0, '100', [[1, 1]]), neuron(1, '100', [[0, 1]])], 1, []);
    expect(whatIf(pair, 1, params).incentive).toBeGreaterThan(0);
    expect(whatIf(pair, 1, params, { weight: { from: 0, onUs: 0 } }).incentive).toBe(0);
  });

  it('changes our dividends with our stake', () => {
    const now = whatIf(peers, 2, params);
    const richer = whatIf(peers, 2, params, { ourStake: 1000 });
    expect(richer.dividends).toBeGreaterThan(now.dividends);
  });
});
