import { z } from 'zod';
import { BACKEND_CHOICES } from './training.js';

/** The desktop app's settings: the schema the host validates every write and load with, and the page's forms. */

const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM (24-hour)');

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
  /** Share of the CPU training may use, 0.1 to 1 (the duty cycle while the neuron trains on the CPU). */
  cpuShare: z.number().min(0.1).max(1),
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

export const DEFAULT_SETTINGS: Readonly<Settings> = Object.freeze({
  idleMinutes: 5,
  whenActive: 'pause',
  pauseOnBattery: true,
  cpuShare: 0.75,
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
