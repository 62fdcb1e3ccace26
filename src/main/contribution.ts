import type { ContributionStateName } from '../shared/contribution-state.js';
import { cpuPlan } from '../shared/settings.js';
import type { Settings } from './settings.js';

/** What the machine is doing for the network right now, and why: what the tray and the Overview show. */
export type ContributionState = ContributionStateName;

/** What the training's time is mostly spent on: the CPU, or a GPU (a GPU backend, isGpuBackend). */
export type Processor = 'cpu' | 'gpu';

export interface Contribution {
  state: ContributionState;
  /** One line for the user ("on battery", "you are using the computer", ...). */
  reason: string;
  /**
   * The duty cycle the training is held to now, 0 to 1: after each step it rests until steps take this share of
   * the time. The GPU share on a GPU backend (the step's time is mostly the GPU's); otherwise each training
   * thread's part of the CPU cores allowed (cpuUse); 0 when not contributing.
   */
  share: number;
  /** Which setting `share` comes from: the GPU share when training on a GPU, else the CPU cores. */
  processor: Processor;
}

/** What the host knows about the machine at a moment (from Electron's powerMonitor when there is one). */
export interface MachineState {
  now: Date;
  /** Seconds since the last mouse or keyboard input (system-wide); undefined when unknown (headless). */
  idleSeconds: number | undefined;
  onBattery: boolean;
  /** CPU temperature, °C, where the platform reports it. */
  temperatureC: number | undefined;
  /** The training GPU's temperature, °C, where the platform reports it (nvidia-smi, Linux hwmon). */
  gpuTemperatureC: number | undefined;
  /** The neuron trains on a GPU backend (isGpuBackend of its backend's name): the GPU share applies. */
  onGpu: boolean;
  /** The machine's logical CPU cores: more CPU cores in the settings count as all of them. */
  cores: number;
  /**
   * The threads the running training uses on the CPU (set at its start); undefined before it runs, when it will
   * start with cpuPlan's threads for the cores allowed.
   */
  threads: number | undefined;
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
 * The duty cycle of each training thread on the CPU: the cores allowed (at most the machine's) spread over the
 * threads the training runs on, at most all the time. Fewer cores than when it started apply at once (each
 * thread rests longer); more threads than it started with only at its next start.
 */
export function cpuUse(settings: Pick<Settings, 'cpuCores'>, machine: Pick<MachineState, 'cores' | 'threads'>): CpuUse {
  const cores = Math.min(settings.cpuCores, machine.cores);
  const threads = machine.threads ?? cpuPlan(cores).threads;
  return { threads, share: Math.min(1, cores / threads) };
}

/** Threads training on the CPU and the share of the time each trains. */
export interface CpuUse {
  threads: number;
  share: number;
}

/**
 * The contribution policy: full speed when the user is away, throttled or paused when they are back,
 * waiting on battery, when too hot (the hotter of the CPU and the GPU) or outside the schedule, paused when the
 * user says so. The first rule that applies gives the reason, in the order a user would look for it. On a GPU
 * backend the GPU share sets the duty cycle (0: the GPU is not to be used, so it waits), else the CPU cores
 * spread over the training's threads (cpuUse).
 */
export function contribution(settings: Settings, machine: MachineState): Contribution {
  const processor: Processor = machine.onGpu ? 'gpu' : 'cpu';
  const cpu = cpuUse(settings, machine);
  const full = processor === 'gpu' ? settings.gpuShare : cpu.share;
  const wait = (reason: string): Contribution => ({ state: 'waiting', reason, share: 0, processor });
  if (machine.userPaused) return { state: 'paused', reason: 'paused by you', share: 0, processor };
  if (processor === 'gpu' && full === 0) {
    return wait('the GPU share is 0 in Settings: the neuron trains on the GPU, which it may not use');
  }
  if (machine.onBattery && settings.pauseOnBattery) return wait('on battery (plug in, or allow it in Settings)');
  const limit = settings.temperatureLimitC;
  const hottest = hotter(machine.temperatureC, machine.gpuTemperatureC);
  if (limit !== null && hottest !== undefined && hottest.c >= limit) {
    return wait(`too hot: the ${hottest.part} is at ${Math.round(hottest.c)} °C, the limit is ${limit} °C`);
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
          share: full / 4,
          processor,
        }
      : wait(`you are using the computer (${after})`);
  }
  return {
    state: 'contributing',
    reason: processor === 'gpu' ? `training on the GPU ${percent(full)} of the time` : describeCpu(cpu),
    share: full,
    processor,
  };
}

const percent = (share: number) => `${Math.round(share * 100)}%`;

/** "training with 1.5 cores: 2 threads, each 75% of the time". */
function describeCpu({ threads, share }: CpuUse): string {
  const used = Math.round(threads * share * 100) / 100;
  const cores = used < 1 ? `${used} of a core` : `${used} ${used === 1 ? 'core' : 'cores'}`;
  const each = share === 1 ? 'all the time' : `${percent(share)} of the time`;
  return threads === 1
    ? `training with ${cores}: one thread, ${each}`
    : `training with ${cores}: ${threads} threads, each ${each}`;
}

/** The hotter of the CPU's and the GPU's readings, and which it is; undefined when neither reports one. */
function hotter(cpu: number | undefined, gpu: number | undefined): { part: 'CPU' | 'GPU'; c: number } | undefined {
  if (gpu !== undefined && (cpu === undefined || gpu > cpu)) return { part: 'GPU', c: gpu };
  return cpu === undefined ? undefined : { part: 'CPU', c: cpu };
}

function describeSchedule(schedule: Settings['schedule']): string {
  return schedule
    .map((w) => `${w.days.map((d) => DAY_NAMES[d]!.slice(0, 3)).join(', ')} ${w.start}-${w.end}`)
    .join('; ');
}
