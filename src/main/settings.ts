import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { z } from 'zod';
import { writeFileDurable } from '../ledger/durable-file.js';
import type { InvalidInputError } from '../shared/errors.js';
import { firstIssue } from '../shared/validate.js';
import { DEFAULT_SETTINGS, SettingsSchema, type Settings } from '../shared/settings.js';

export { DEFAULT_SETTINGS, SettingsSchema, type Settings };

/** The first problem of a settings object, as "field: what is wrong". */
const problem = (error: z.ZodError): InvalidInputError => firstIssue(error, '', 'settings');

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
