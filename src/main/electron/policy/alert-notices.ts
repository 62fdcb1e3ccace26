import type { Alert, MinerSnapshot } from '../../../shared/api.js';

/**
 * Which of a snapshot's alerts deserve a desktop notification: the ones that were not raised in the previous
 * snapshot (an alert stays on the dashboard while it lasts, but notifies once), errors and warnings alike.
 * `seen` is the alerts' ids of the previous snapshot; the result also gives the ids to remember.
 */
export function newAlerts(
  seen: ReadonlySet<Alert['id']>,
  snapshot: MinerSnapshot,
): { notify: Alert[]; seen: Set<Alert['id']> } {
  const now = new Set(snapshot.alerts.map((a) => a.id));
  return { notify: snapshot.alerts.filter((a) => !seen.has(a.id)), seen: now };
}
