import type { Settings } from '../../shared/api.js';
import { BACKEND_CHOICES } from '../../shared/training.js';
import type { Miner } from './miner.svelte.js';

type Schedule = Settings['schedule'];

/** "1-5 09:00-17:00" lines (days 0 = Sunday) as schedule windows; throws an Error naming the bad line. */
export function parseSchedule(text: string): Schedule {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((line) => {
      const m = /^([0-6](?:[,-][0-6])*)\s+(\d\d:\d\d)-(\d\d:\d\d)$/.exec(line);
      if (!m) throw new Error(`schedule: "${line}" is not "DAYS HH:MM-HH:MM", e.g. "1-5 09:00-17:00"`);
      const days = new Set<number>();
      for (const part of m[1]!.split(',')) {
        const [a, b = a] = part.split('-').map(Number) as [number, number?];
        for (let d = a; d <= (b ?? a); d++) days.add(d);
      }
      return { days: [...days].sort(), start: m[2]!, end: m[3]! };
    });
}

/** Schedule windows as the text field shows them, one per line. */
export const formatSchedule = (schedule: Schedule): string =>
  schedule.map((w) => `${w.days.join(',')} ${w.start}-${w.end}`).join('\n');

/**
 * The Settings view's form: the fields as the inputs hold them (numbers may arrive as text, the schedule and
 * bootstrap peers as text), turned into Settings for the host, which validates them again.
 */
export class SettingsForm {
  /** The backends the select offers: 'auto', then the ladder's order. */
  readonly backends = BACKEND_CHOICES;
  /** The fields the inputs bind to (undefined until the host's settings arrive). */
  fields = $state<Settings | undefined>(undefined);
  scheduleText = $state('');
  bootstrapText = $state('');
  #error = $state.raw<string | undefined>(undefined);
  #saved = $state.raw<string | undefined>(undefined);
  #busy = $state.raw(false);

  /** `miner` gives the miner to call (a getter, so that the form follows the component's current prop). */
  constructor(private readonly miner: () => Pick<Miner, 'call'>) {}

  get error(): string | undefined {
    return this.#error;
  }

  get saved(): string | undefined {
    return this.#saved;
  }

  get busy(): boolean {
    return this.#busy;
  }

  /** Fills the form from the host's settings. */
  load(s: Settings): void {
    this.fields = s;
    this.scheduleText = formatSchedule(s.schedule);
    this.bootstrapText = s.bootstrap.join('\n');
  }

  /** Asks the host for its settings. */
  async fetch(): Promise<void> {
    try {
      this.load(await this.miner().call('settings'));
    } catch (e) {
      this.#error = (e as Error).message;
    }
  }

  /** The form as Settings; throws an Error with one line when a text field cannot be read. */
  toSettings(): Settings {
    const f = this.fields;
    if (!f) throw new Error('the settings have not arrived yet');
    const limit = f.temperatureLimitC as number | string | null;
    return {
      ...f,
      idleMinutes: Number(f.idleMinutes),
      cpuCores: Number(f.cpuCores),
      gpuShare: Number(f.gpuShare),
      neuronPort: Number(f.neuronPort),
      temperatureLimitC: limit === null || String(limit).trim() === '' ? null : Number(limit),
      ledgerUrl: f.ledgerUrl?.trim() ? f.ledgerUrl.trim() : null,
      schedule: parseSchedule(this.scheduleText),
      bootstrap: this.bootstrapText.split(/\s+/).filter(Boolean),
    };
  }

  /** Sends the form to the host; shows what it answered (saved, or its one-line error). */
  async save(): Promise<void> {
    this.#busy = true;
    this.#error = undefined;
    this.#saved = undefined;
    try {
      this.load(await this.miner().call('updateSettings', this.toSettings()));
      this.#saved = 'Saved.';
    } catch (e) {
      this.#error = (e as Error).message;
    } finally {
      this.#busy = false;
    }
  }
}
