import { z } from 'zod';
import { BACKEND_CHOICES } from './training.js';

/** The desktop app's settings: the schema the host validates every write and load with, and the page's forms. */

const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM (24-hour)');

/** Most CPU cores the setting takes; the host counts a larger value than the machine has as all of them. */
export const MAX_CPU_CORES = 256;

/** A weekly window in which contributing is allowed (local time); end before start wraps past midnight. */
const ScheduleWindow = z.strictObject({
  /** Days of the week, 0 = Sunday. */
  days: z.array(z.int().min(0).max(6)).min(1).max(7),
  start: time,
  end: time,
});

/** The desktop app's settings, validated on every write and on load. */
export const SettingsSchema = z.strictObject({
  /** Contribute only after the user has been idle (no mouse or keyboard) this many minutes; 0: always. */
  idleMinutes: z
    .int()
    .min(0)
    .max(24 * 60),
  /** While the user is active: 'pause' training, or 'throttle' it to a quarter of its share (CPU or GPU). */
  whenActive: z.enum(['pause', 'throttle']),
  /** Stop contributing on battery power. */
  pauseOnBattery: z.boolean(),
  /**
   * CPU cores training may use, 0.1 up to the machine's (MAX_CPU_CORES at most; the host counts more than the
   * machine has as all of them): ceil(cores) threads (at most MAX_TRAINING_THREADS) train data-parallel on a CPU
   * backend, each resting between steps to keep to its part (cpuPlan). The thread count is read at the neuron's next start; the duty cycle
   * follows a change at once. No effect while the neuron trains on a GPU backend (gpuShare).
   */
  cpuCores: z.number().min(0.1).max(MAX_CPU_CORES),
  /**
   * Share of the time training may use the GPU, 0 to 1: the duty cycle while the neuron trains on a GPU backend,
   * so that a gaming PC stays usable (0: it waits instead of using the GPU). No effect on the CPU.
   */
  gpuShare: z.number().min(0).max(1),
  /** Pause at this temperature of the CPU or the training GPU, °C, where the platform reports one; null: no limit. */
  temperatureLimitC: z.number().min(40).max(110).nullable(),
  /** When contributing is allowed; empty: any time. */
  schedule: z.array(ScheduleWindow).max(32),
  /** Start the app at login (off unless the user chooses it). */
  startAtLogin: z.boolean(),
  /**
   * The ledger to join: an embedded ledger's RPC or a CometBFT node's (port 26657), or several separated by
   * commas to fail over between; null: the embedded local network.
   */
  ledgerUrl: z
    .string()
    .max(2000)
    .refine(
      (u) => u.split(',').every((one) => /^https?:\/\/[^\s/?#]+(\/[^\s,]*)?$/.test(one.trim())),
      'must be an http:// or https:// URL, or several separated by commas',
    )
    .nullable(),
  /** Peers to dial at start (multiaddrs with /p2p/). */
  bootstrap: z
    .array(z.string().regex(/\/p2p\/[1-9A-HJ-NP-Za-km-z]+$/, 'must be a multiaddr ending in /p2p/PEER_ID'))
    .max(64),
  /** The neuron's TCP port on a joined network; 0 picks one (a fixed one can be forwarded on the router). */
  neuronPort: z.int().min(0).max(65535),
  /** Ask the router for a port mapping (UPnP) on a joined network. */
  upnp: z.boolean(),
  /**
   * The backend the neuron trains on, read at its next start: one by name, or 'auto' (a self-test on each
   * that loads; the fastest that passes). `start --backend` overrides it.
   */
  backend: z.enum(BACKEND_CHOICES),
});
export type Settings = z.infer<typeof SettingsSchema>;

/**
 * The defaults where the machine is not known (one CPU core for training); the host's are defaultSettings() of
 * its machine's core count.
 */
export const DEFAULT_SETTINGS: Readonly<Settings> = Object.freeze({
  idleMinutes: 5,
  whenActive: 'pause',
  pauseOnBattery: true,
  cpuCores: 1,
  gpuShare: 0.75,
  temperatureLimitC: 85,
  schedule: [],
  startAtLogin: false,
  ledgerUrl: null,
  bootstrap: [],
  neuronPort: 0,
  upnp: true,
  backend: 'auto',
});

/** The default CPU cores for training on a machine with `machineCores` logical cores: all but one, at least 1. */
export const defaultCpuCores = (machineCores: number): number => Math.max(1, Math.floor(machineCores) - 1);

/** The default settings on a machine with `machineCores` logical cores. */
export function defaultSettings(machineCores: number): Settings {
  return { ...DEFAULT_SETTINGS, schedule: [], bootstrap: [], cpuCores: defaultCpuCores(machineCores) };
}

/** How a number of CPU cores is used: `threads` training threads, each training `share` (0 to 1] of the time. */
export interface CpuPlan {
  threads: number;
  share: number;
}

/**
 * Most threads the app's neuron trains on: its batch has 8 rows and a thread takes at least one (more would idle,
 * each holding a copy of the model).
 */
export const MAX_TRAINING_THREADS = 8;

/**
 * The CPU cores setting as threads and their duty cycle: ceil(cores) threads (at most `maxThreads`), each
 * `cores / threads` of the time, at most all of it (1.5 cores: 2 threads at 0.75; 0.5: 1 thread at 0.5; 3: 3
 * threads all the time; 12: 8 threads all the time).
 */
export function cpuPlan(cores: number, maxThreads = MAX_TRAINING_THREADS): CpuPlan {
  const threads = Math.max(1, Math.min(maxThreads, Math.ceil(cores)));
  return { threads, share: Math.min(1, cores / threads) };
}
