import type { ContributionStateName } from '../shared/contribution-state.js';
import type { Settings } from './settings.js';

/** What the machine is doing for the network right now, and why: what the tray and the Overview show. */
export type ContributionState = ContributionStateName;

export interface Contribution {
  state: ContributionState;
  /** One line for the user ("on battery", "you are using the computer", ...). */
  reason: string;
  /** Share of the CPU training may use now (0 when not contributing). */
  cpuShare: number;
}

/** What the host knows about the machine at a moment (from Electron's powerMonitor when there is one). */
export interface MachineState {
  now: Date;
  /** Seconds since the last mouse or keyboard input (system-wide); undefined when unknown (headless). */
  idleSeconds: number | undefined;
  onBattery: boolean;
  /** CPU temperature, °C, where the platform reports it. */
  temperatureC: number | undefined;
  /** The user pressed Pause. */
  userPaused: boolean;
}

const DAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Whether `now` (local time) falls in one of the schedule's windows; an empty schedule is always open. */
export function inSchedule(schedule: Settings['schedule'], now: Date): boolean {
  if (schedule.length === 0) return true;
  const day = now.getDay();
  const minute = now.getHours() * 60 + now.getMinutes();
  return schedule.some((w) => {
    const start = minutesOf(w.start);
    const end = minutesOf(w.end);
    if (start === end) return w.days.includes(day); // the whole day
    if (start < end) return w.days.includes(day) && minute >= start && minute < end;
    // Past midnight: the window opened on its day and runs into the next morning.
    return (w.days.includes(day) && minute >= start) || (w.days.includes((day + 6) % 7) && minute < end);
  });
}

/**
 * The contribution policy: full speed when the user is away, throttled or paused when they are back,
 * waiting on battery, when too hot or outside the schedule, paused when the user says so. The first rule that
 * applies gives the reason, in the order a user would look for it.
 */
export function contribution(settings: Settings, machine: MachineState): Contribution {
  const wait = (reason: string): Contribution => ({ state: 'waiting', reason, cpuShare: 0 });
  if (machine.userPaused) return { state: 'paused', reason: 'paused by you', cpuShare: 0 };
  if (machine.onBattery && settings.pauseOnBattery) return wait('on battery (plug in, or allow it in Settings)');
  const limit = settings.temperatureLimitC;
  if (limit !== null && machine.temperatureC !== undefined && machine.temperatureC >= limit) {
    return wait(`too hot: ${Math.round(machine.temperatureC)} °C, the limit is ${limit} °C`);
  }
  if (!inSchedule(settings.schedule, machine.now)) {
    return wait(`outside the schedule (${describeSchedule(settings.schedule)})`);
  }
  const needed = settings.idleMinutes * 60;
  if (needed > 0 && machine.idleSeconds !== undefined && machine.idleSeconds < needed) {
    const after = `contributing after ${settings.idleMinutes} min idle`;
    return settings.whenActive === 'throttle'
      ? {
          state: 'throttled',
          reason: `you are using the computer: a quarter speed (full ${after})`,
          cpuShare: settings.cpuShare / 4,
        }
      : wait(`you are using the computer (${after})`);
  }
  return {
    state: 'contributing',
    reason: `training with ${Math.round(settings.cpuShare * 100)}% of a core`,
    cpuShare: settings.cpuShare,
  };
}

function describeSchedule(schedule: Settings['schedule']): string {
  return schedule
    .map((w) => `${w.days.map((d) => DAY_NAMES[d]!.slice(0, 3)).join(', ')} ${w.start}-${w.end}`)
    .join('; ');
}
