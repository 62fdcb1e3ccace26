import type { MinerSnapshot } from '../../../shared/api.js';
import type { ContributionStateName } from '../../../shared/contribution-state.js';

/** The tray's images (assets/tray/<name>.png and @2x): one per contribution state, and one for a problem. */
export type TrayIcon = ContributionStateName | 'problem';
export const TRAY_ICONS: readonly TrayIcon[] = ['contributing', 'throttled', 'paused', 'waiting', 'problem'];

export type TrayAction = 'pause' | 'resume' | 'open' | 'quit';

/** One entry of the tray's menu, as data; ../tray.ts turns it into Electron's Menu. */
export type TrayMenuItem =
  | { kind: 'status'; label: string }
  | { kind: 'action'; action: TrayAction; label: string; enabled: boolean }
  | { kind: 'separator' };

export interface TrayModel {
  icon: TrayIcon;
  tooltip: string;
  menu: TrayMenuItem[];
}

export const PRODUCT_NAME = 'Bittensor Miner';
/** Windows cuts a tray tooltip at 127 characters. */
const MAX_TOOLTIP = 127;

const STATE_WORDS: Record<ContributionStateName, string> = {
  contributing: 'Contributing',
  throttled: 'Throttled',
  paused: 'Paused',
  waiting: 'Waiting',
};

/** What the host is doing when it is not (yet) running the neuron, in the tray's words. */
function phaseLine(snapshot: MinerSnapshot): string | null {
  switch (snapshot.phase) {
    case 'setup':
      return 'Set up: create or import a wallet in the window';
    case 'locked':
      return 'Locked: enter the wallet password in the window';
    case 'starting':
      return 'Starting: joining the network';
    case 'failed':
      return `Stopped: ${snapshot.problem ?? 'the miner failed'}`;
    case 'running':
      return null;
  }
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 3)}...` : text;
}

/**
 * The tray for a snapshot (null before the first one): its icon, a tooltip with the state and the reason, and a
 * menu whose first line repeats them (Linux trays often show no tooltip), then Pause or Resume (Resume exactly
 * when the user paused; only while the neuron runs), Open and Quit.
 */
export function trayModel(snapshot: MinerSnapshot | null): TrayModel {
  let icon: TrayIcon;
  let status: string;
  let toggle: { action: 'pause' | 'resume'; label: string; enabled: boolean };
  if (snapshot === null) {
    icon = 'waiting';
    status = 'Starting';
    toggle = { action: 'pause', label: 'Pause', enabled: false };
  } else {
    const { state, reason } = snapshot.contribution;
    const phase = phaseLine(snapshot);
    const running = snapshot.phase === 'running';
    icon = snapshot.phase === 'failed' ? 'problem' : running ? state : 'waiting';
    status = phase ?? `${STATE_WORDS[state]}: ${reason}`;
    toggle =
      state === 'paused'
        ? { action: 'resume', label: 'Resume', enabled: running }
        : { action: 'pause', label: 'Pause', enabled: running };
  }
  return {
    icon,
    tooltip: clip(`${PRODUCT_NAME}: ${status}`, MAX_TOOLTIP),
    menu: [
      { kind: 'status', label: clip(status, 80) },
      { kind: 'separator' },
      { kind: 'action', ...toggle },
      { kind: 'action', action: 'open', label: `Open ${PRODUCT_NAME}`, enabled: true },
      { kind: 'separator' },
      { kind: 'action', action: 'quit', label: 'Quit', enabled: true },
    ],
  };
}

/** Whether two models would draw the same tray (the tray is rebuilt only on a change; rebuilding flickers on Linux). */
export function sameTrayModel(a: TrayModel | undefined, b: TrayModel): boolean {
  return a !== undefined && JSON.stringify(a) === JSON.stringify(b);
}
