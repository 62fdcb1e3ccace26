import { Notification } from 'electron';
import type { Alert, MinerSnapshot } from '../../shared/api.js';
import { newAlerts } from './policy/alert-notices.js';
import { PRODUCT_NAME } from './policy/tray-model.js';

/**
 * Desktop notifications for the dashboard's alerts (contributing stopped, no peers, the ledger unreachable),
 * once per alert while it lasts: the window is often hidden in the tray when they happen. Clicking one opens
 * the window. Returns the function to call with each snapshot.
 */
export function alertNotices(open: () => void): (snapshot: MinerSnapshot) => void {
  let seen = new Set<Alert['id']>();
  return (snapshot) => {
    const next = newAlerts(seen, snapshot);
    seen = next.seen;
    if (!Notification.isSupported()) return;
    for (const alert of next.notify) {
      const notice = new Notification({
        title: PRODUCT_NAME,
        body: alert.message,
        urgency: alert.level === 'error' ? 'critical' : 'normal',
      });
      notice.on('click', open);
      notice.show();
    }
  };
}
