import { describe, expect, it } from 'vitest';
import {
  sameTrayModel,
  TRAY_ICONS,
  trayModel,
  type TrayMenuItem,
} from '../../../src/main/electron/policy/tray-model.js';
import type { ContributionStateName } from '../../../src/shared/contribution-state.js';
import { snapshotOf } from './fixtures.js';

const toggleOf = (menu: TrayMenuItem[]) => {
  const toggles = menu.filter((i) => i.kind === 'action' && (i.action === 'pause' || i.action === 'resume'));
  expect(toggles).toHaveLength(1);
  return toggles[0] as Extract<TrayMenuItem, { kind: 'action' }>;
};
const actions = (menu: TrayMenuItem[]) => menu.flatMap((i) => (i.kind === 'action' ? [i.action] : []));

describe('the tray', () => {
  it.each<[ContributionStateName, string, 'Pause' | 'Resume']>([
    ['contributing', 'training with 75% of a core', 'Pause'],
    ['throttled', 'you are using the computer: a quarter speed', 'Pause'],
    ['waiting', 'on battery (plug in, or allow it in Settings)', 'Pause'],
    ['paused', 'paused by you', 'Resume'],
  ])('while %s shows its icon, the state and reason, and offers %s', (state, reason, label) => {
    const model = trayModel(
      snapshotOf({ contribution: { state, reason, share: state === 'paused' ? 0 : 0.5, processor: 'cpu' } }),
    );
    expect(model.icon).toBe(state);
    const word = state[0]!.toUpperCase() + state.slice(1);
    expect(model.tooltip).toBe(`Bittensor Miner: ${word}: ${reason}`);
    expect(model.menu[0]).toEqual({ kind: 'status', label: `${word}: ${reason}` });
    const toggle = toggleOf(model.menu);
    expect(toggle.label).toBe(label);
    expect(toggle.action).toBe(label.toLowerCase());
    expect(toggle.enabled).toBe(true);
    expect(actions(model.menu)).toEqual([label.toLowerCase(), 'open', 'quit']);
  });

  it('changes at once when the state changes, and not when nothing shown changed', () => {
    const running = trayModel(snapshotOf());
    const paused = trayModel(
      snapshotOf({ contribution: { state: 'paused', reason: 'paused by you', share: 0, processor: 'cpu' } }),
    );
    expect(sameTrayModel(running, paused)).toBe(false);
    expect(sameTrayModel(running, trayModel(snapshotOf({ peersConnected: 9, uid: 7 })))).toBe(true);
    expect(sameTrayModel(undefined, running)).toBe(false);
  });

  it.each<[string, Parameters<typeof snapshotOf>[0], string, string]>([
    ['locked', { phase: 'locked' }, 'waiting', 'Locked: enter the wallet password in the window'],
    ['in set-up', { phase: 'setup' }, 'waiting', 'Set up: create or import a wallet in the window'],
    ['starting', { phase: 'starting' }, 'waiting', 'Starting: joining the network'],
    ['failed', { phase: 'failed', problem: 'the ledger refused us' }, 'problem', 'Stopped: the ledger refused us'],
  ])('while %s says so and offers no Pause', (_what, over, icon, status) => {
    const model = trayModel(snapshotOf(over));
    expect(model.icon).toBe(icon);
    expect(model.tooltip).toBe(`Bittensor Miner: ${status}`);
    expect(toggleOf(model.menu).enabled).toBe(false);
    expect(actions(model.menu)).toContain('quit');
  });

  it('before the first snapshot shows it is starting', () => {
    const model = trayModel(null);
    expect(model.icon).toBe('waiting');
    expect(model.tooltip).toBe('Bittensor Miner: Starting');
    expect(toggleOf(model.menu)).toMatchObject({ label: 'Pause', enabled: false });
  });

  it('keeps the tooltip within the 127 characters Windows shows', () => {
    const reason = 'a very long reason '.repeat(20);
    const model = trayModel(snapshotOf({ contribution: { state: 'waiting', reason, share: 0, processor: 'cpu' } }));
    expect(model.tooltip.length).toBeLessThanOrEqual(127);
    expect(model.tooltip.endsWith('...')).toBe(true);
  });

  it('has an icon for every state it can show', () => {
    const shown = new Set<string>();
    for (const state of ['contributing', 'throttled', 'paused', 'waiting'] as const) {
      shown.add(trayModel(snapshotOf({ contribution: { state, reason: 'r', share: 0, processor: 'cpu' } })).icon);
    }
    shown.add(trayModel(snapshotOf({ phase: 'failed' })).icon);
    expect([...shown].sort()).toEqual([...TRAY_ICONS].sort());
  });
});
