import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileDurable } from '../ledger/durable-file.js';
import { InvalidInputError } from '../shared/errors.js';

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
  /** While the user is active: 'pause' training, or 'throttle' it to a quarter of the CPU share. */
  whenActive: z.enum(['pause', 'throttle']),
  /** Stop contributing on battery power. */
  pauseOnBattery: z.boolean(),
  /** Share of the CPU training may use, 0.1 to 1. */
  cpuShare: z.number().min(0.1).max(1),
  /** Share of the GPU, 0 to 1 (0: never the GPU). */
  gpuShare: z.number().min(0).max(1),
  /** Pause above this temperature, °C, where the platform reports one; null: no limit. */
  temperatureLimitC: z.number().min(40).max(110).nullable(),
  /** When contributing is allowed; empty: any time. */
  schedule: z.array(ScheduleWindow).max(32),
  /** Start the app at login (off unless the user chooses it). */
  startAtLogin: z.boolean(),
  /** The ledger to join; null: the embedded local network. */
  ledgerUrl: z
    .string()
    .url()
    .refine((u) => /^https?:/.test(u), 'must be an http:// or https:// URL')
    .nullable(),
  /** Peers to dial at start (multiaddrs with /p2p/). */
  bootstrap: z
    .array(z.string().regex(/\/p2p\/[1-9A-HJ-NP-Za-km-z]+$/, 'must be a multiaddr ending in /p2p/PEER_ID'))
    .max(64),
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
});

/** The first problem of a settings object, as "field: what is wrong". */
function problem(error: z.ZodError): InvalidInputError {
  const issue = error.issues[0];
  const field = (issue?.path ?? []).map(String).join('.') || 'settings';
  return new InvalidInputError(field, issue?.message ?? 'is not valid');
}

/**
 * The settings file (settings.json in the data folder): validated on load and on every change, written
 * atomically, so that a crash or a full disk never leaves a half-written file. A missing file is the
 * defaults; a damaged or invalid one is reported and replaced by the defaults only when the user saves.
 */
export class SettingsStore {
  private current: Settings = { ...DEFAULT_SETTINGS };
  /** Why the file on disk was not used (undefined when it was, or there was none). */
  loadProblem: string | undefined;

  constructor(private readonly dataDir: string) {}

  get file(): string {
    return join(this.dataDir, 'settings.json');
  }

  get value(): Settings {
    return structuredClone(this.current);
  }

  async load(): Promise<Settings> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        this.loadProblem = `cannot read ${this.file} (${(error as NodeJS.ErrnoException).code ?? 'error'}); using the defaults`;
      }
      return this.value;
    }
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      this.loadProblem = `${this.file} is not JSON; using the defaults until you save the settings`;
      return this.value;
    }
    // Fields added in later versions take their defaults; unknown ones are refused like any invalid input.
    const parsed = SettingsSchema.safeParse({ ...DEFAULT_SETTINGS, ...(raw as object) });
    if (!parsed.success) {
      this.loadProblem = `${this.file}: ${problem(parsed.error).message}; using the defaults until you save the settings`;
      return this.value;
    }
    this.current = parsed.data;
    return this.value;
  }

  /** Validates and applies a change, then writes the file; invalid input throws InvalidInputError naming the field. */
  async update(change: Partial<Settings>): Promise<Settings> {
    const parsed = SettingsSchema.safeParse({ ...this.current, ...change });
    if (!parsed.success) throw problem(parsed.error);
    await writeFileDurable(this.file, `${JSON.stringify(parsed.data, null, 2)}\n`);
    this.current = parsed.data;
    this.loadProblem = undefined;
    return this.value;
  }
}
