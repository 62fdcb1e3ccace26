import { powerMonitor } from 'electron';
import type { PowerSource } from '../host.js';
import { platformTemperatureC } from '../thermal.js';

/** Idle seconds reported while the screen is locked: the user is away, however recent their last input. */
const LOCKED_IDLE_SECONDS = 24 * 3600;

/** Events after which the contribution policy should look again at once (rather than at its next tick). */
const POWER_EVENTS = [
  'on-battery',
  'on-ac',
  'lock-screen',
  'unlock-screen',
  'user-did-become-active',
  'resume',
] as const;

/**
 * The host's PowerSource from Electron's powerMonitor (usable only after the app is ready): system idle time
 * (treated as long idle while the screen is locked), battery; the CPU temperature where Linux exposes one
 * (Electron reports none).
 */
export class ElectronPower implements PowerSource {
  private locked = false;
  private readonly onLock = () => (this.locked = true);
  private readonly onUnlock = () => (this.locked = false);
  private readonly listeners: Array<() => void> = [];

  constructor() {
    powerMonitor.on('lock-screen', this.onLock);
    powerMonitor.on('unlock-screen', this.onUnlock);
  }

  idleSeconds(): number | undefined {
    const idle = powerMonitor.getSystemIdleTime();
    return this.locked ? Math.max(idle, LOCKED_IDLE_SECONDS) : idle;
  }

  onBattery(): boolean {
    return powerMonitor.isOnBatteryPower();
  }

  temperatureC(): number | undefined {
    return platformTemperatureC();
  }

  /** Calls `onChange` (host.reevaluate) on every power event. */
  watch(onChange: () => void): void {
    for (const name of POWER_EVENTS) {
      const listener = () => onChange();
      // The event names are a union that powerMonitor's overloads do not accept as one argument.
      powerMonitor.on(name as 'on-ac', listener);
      this.listeners.push(() => powerMonitor.removeListener(name as 'on-ac', listener));
    }
  }

  /** Removes every listener. Safe to call twice. */
  stop(): void {
    powerMonitor.removeListener('lock-screen', this.onLock);
    powerMonitor.removeListener('unlock-screen', this.onUnlock);
    for (const remove of this.listeners.splice(0)) remove();
  }
}
