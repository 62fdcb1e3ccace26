import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { z } from 'zod';
import { writeFileDurable } from '../ledger/durable-file.js';
import type { InvalidInputError } from '../shared/errors.js';
import { firstIssue } from '../shared/validate.js';
import { DEFAULT_SETTINGS, defaultSettings, SettingsSchema, type Settings } from '../shared/settings.js';

export { DEFAULT_SETTINGS, SettingsSchema, type Settings };

/** The first problem of a settings object, as "field: what is wrong". */
const problem = (error: z.ZodError): InvalidInputError => firstIssue(error, '', 'settings');

/**
 * A settings file as an earlier version wrote it, in today's fields: `cpuShare` (the share of one core that
 * training could use) becomes `cpuCores` of the same value; a file that has both keeps its `cpuCores`.
 */
export function migrateSettings(raw: unknown): unknown {
  if (raw === null || typeof raw !== 'object' || !Object.hasOwn(raw, 'cpuShare')) return raw;
  const { cpuShare, ...rest } = raw as Record<string, unknown>;
  return Object.hasOwn(rest, 'cpuCores') ? rest : { ...rest, cpuCores: cpuShare };
}

export interface SettingsStoreInit {
  /** The machine's logical CPU cores: the default and the most that cpuCores counts. Default: os.availableParallelism(). */
  cores?: number;
}

/**
 * The settings file (settings.json in the data folder): validated on load and on every change, written
 * atomically, so that a crash or a full disk never leaves a half-written file. A missing file is the
 * defaults; a damaged or invalid one is reported and replaced by the defaults only when the user saves. A file of
 * an earlier version is read in today's fields (migrateSettings) and written in them at the next save. More CPU
 * cores than the machine has count as all of them.
 */
export class SettingsStore {
  /** The machine's logical CPU cores. */
  readonly cores: number;
  private readonly defaults: Settings;
  private current: Settings;
  /** Why the file on disk was not used (undefined when it was, or there was none). */
  loadProblem: string | undefined;

  constructor(
    private readonly dataDir: string,
    init: SettingsStoreInit = {},
  ) {
    this.cores = Math.max(1, Math.floor(init.cores ?? availableParallelism()));
    this.defaults = defaultSettings(this.cores);
    this.current = structuredClone(this.defaults);
  }

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
    const parsed = SettingsSchema.safeParse({ ...this.defaults, ...(migrateSettings(raw) as object) });
    if (!parsed.success) {
      this.loadProblem = `${this.file}: ${problem(parsed.error).message}; using the defaults until you save the settings`;
      return this.value;
    }
    this.current = this.clamped(parsed.data);
    return this.value;
  }

  /** Validates and applies a change, then writes the file; invalid input throws InvalidInputError naming the field. */
  async update(change: Partial<Settings>): Promise<Settings> {
    const parsed = SettingsSchema.safeParse({ ...this.current, ...change });
    if (!parsed.success) throw problem(parsed.error);
    const next = this.clamped(parsed.data);
    await writeFileDurable(this.file, `${JSON.stringify(next, null, 2)}\n`);
    this.current = next;
    this.loadProblem = undefined;
    return this.value;
  }

  /** `s` with no more CPU cores than the machine has. */
  private clamped(s: Settings): Settings {
    return s.cpuCores > this.cores ? { ...s, cpuCores: this.cores } : s;
  }
}
