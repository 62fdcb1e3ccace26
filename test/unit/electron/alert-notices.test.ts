import { describe, expect, it } from 'vitest';
import type { Alert } from '../../../src/shared/api.js';
import { newAlerts } from '../../../src/main/electron/policy/alert-notices.js';
import { snapshotOf } from './fixtures.js';

const stall: Alert = { id: 'no-progress', level: 'warning', message: 'no training step for 95 s while contributing' };
const died: Alert = { id: 'neuron-died', level: 'error', message: 'the neuron stopped: the training worker exited' };

describe('desktop notifications for alerts', () => {
  it('notifies an alert once while it lasts, and again when it comes back', () => {
    let r = newAlerts(new Set(), snapshotOf({ alerts: [stall] }));
    expect(r.notify).toEqual([stall]);
    r = newAlerts(r.seen, snapshotOf({ alerts: [stall, died] }));
    expect(r.notify).toEqual([died]);
    r = newAlerts(r.seen, snapshotOf({ alerts: [stall, died] }));
    expect(r.notify).toEqual([]);
    r = newAlerts(r.seen, snapshotOf({ alerts: [] }));
    expect(r.notify).toEqual([]);
    r = newAlerts(r.seen, snapshotOf({ alerts: [stall] }));
    expect(r.notify).toEqual([stall]);
  });
});
