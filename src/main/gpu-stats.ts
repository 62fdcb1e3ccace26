import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { isGpuBackend, type GpuReading } from '../shared/api.js';
import { oneLine } from '../shared/errors.js';
import { TypedEvents } from '../shared/events.js';
import type { Logger } from '../shared/logger.js';
import { celsius, listDir, readText } from './thermal.js';

export type { GpuReading } from '../shared/api.js';

/** What GpuStats asks nvidia-smi for, in this order: one CSV line per GPU. */
export const NVIDIA_SMI_ARGS = [
  '--query-gpu=name,utilization.gpu,temperature.gpu,memory.used,memory.total',
  '--format=csv,noheader,nounits',
] as const;

/** A number in [min, max] from a CSV field, else undefined. */
function numberIn(field: string, min: number, max: number): number | undefined {
  const n = field === '' ? NaN : Number(field);
  return Number.isFinite(n) && n >= min && n <= max ? n : undefined;
}

/** A reading from fields that may be undefined: those are left out (absent, not undefined). */
function readingOf(fields: { [K in keyof Required<GpuReading>]: Required<GpuReading>[K] | undefined }): GpuReading {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as unknown as GpuReading;
}

/**
 * The GPUs in nvidia-smi's answer to NVIDIA_SMI_ARGS ("NVIDIA H200, 35, 41, 1024, 143771" per line), in its
 * order. A field the driver does not report ("[N/A]", "[Not Supported]") or an implausible value is left out of
 * that GPU's reading; a line that is not such a row (an error message, a field that is neither a number nor a
 * bracketed marker) is skipped. Pure.
 */
export function parseNvidiaSmi(csv: string): GpuReading[] {
  const readings: GpuReading[] = [];
  for (const line of csv.split(/\r?\n/)) {
    const fields = line.split(',').map((f) => f.trim());
    if (fields.length < 5) continue;
    // A name with a comma in it: the last four fields are the numbers.
    const numbers = fields.slice(-4);
    const name = fields.slice(0, -4).join(', ');
    if (
      name === '' ||
      name.startsWith('[') ||
      !numbers.every((f) => /^\[.*\]$/.test(f) || numberIn(f, -1e9, 1e9) !== undefined)
    ) {
      continue;
    }
    const [utilization, temperature, used, total] = numbers as [string, string, string, string];
    readings.push(
      readingOf({
        name,
        utilizationPct: numberIn(utilization, 0, 100),
        temperatureC: numberIn(temperature, -40, 150),
        memoryUsedMiB: numberIn(used, 0, 1e9),
        memoryTotalMiB: numberIn(total, 0, 1e9),
      }),
    );
  }
  return readings;
}

/**
 * AMD GPUs as Linux's amdgpu driver exposes them under `root` (default /sys/class): per card, the busy share
 * (drm/cardN/device/gpu_busy_percent), the temperature (its amdgpu hwmon's temp1_input, the edge sensor) and the
 * VRAM in use (mem_info_vram_used / _total, bytes). Cards of other drivers are skipped; none: []. A few small
 * reads.
 */
export function amdGpuReadings(root = '/sys/class'): GpuReading[] {
  const drm = join(root, 'drm');
  const readings: GpuReading[] = [];
  for (const card of listDir(drm).filter((c) => /^card\d+$/.test(c))) {
    const device = join(drm, card, 'device');
    const hwmon = listDir(join(device, 'hwmon')).find((h) => readText(join(device, 'hwmon', h, 'name')) === 'amdgpu');
    const busy = numberIn(readText(join(device, 'gpu_busy_percent')) ?? '', 0, 100);
    if (hwmon === undefined && busy === undefined) continue;
    const mib = (file: string) => {
      const bytes = numberIn(readText(join(device, file)) ?? '', 0, Number.MAX_SAFE_INTEGER);
      return bytes === undefined ? undefined : Math.round(bytes / 2 ** 20);
    };
    const temperature =
      hwmon === undefined ? undefined : celsius(readText(join(device, 'hwmon', hwmon, 'temp1_input')) ?? '');
    readings.push(
      readingOf({
        name: readText(join(device, 'product_name')) || `AMD GPU (${card})`,
        utilizationPct: busy,
        temperatureC: temperature,
        memoryUsedMiB: mib('mem_info_vram_used'),
        memoryTotalMiB: mib('mem_info_vram_total'),
      }),
    );
  }
  return readings;
}

/**
 * The GPU that trains among those read: the one whose name the backend's device words contain ("WebGPU, NVIDIA
 * H200 (Vulkan)" holds "NVIDIA H200"), else the first; undefined when none was read. Pure.
 */
export function trainingGpu(readings: GpuReading[], device: string): GpuReading | undefined {
  const words = device.toLowerCase();
  return readings.find((r) => words.includes(r.name.toLowerCase())) ?? readings[0];
}

export interface GpuStatsInit {
  /** How often the GPU is read while the neuron trains on one, ms. Default 10000. */
  everyMs?: number;
  /** How long nvidia-smi may take before it is killed (no reading this time), ms. Default 3000. */
  timeoutMs?: number;
  /** The nvidia-smi to run, found on PATH unless a path. Default 'nvidia-smi'. */
  nvidiaSmi?: string;
  /** Where Linux's sysfs classes are, for AMD GPUs; null: not read. Default '/sys/class' on Linux, else null. */
  sysfsRoot?: string | null;
}

export interface GpuStatsComponents {
  /** The backend the neuron trains on now (MinerSnapshot.backend): the GPU is read only while it is a GPU one. */
  backend: () => { name: string; device: string };
  logger: Logger;
}

export interface GpuStatsEvents extends Record<string, unknown> {
  /** The reading changed: a new one, or none any more (not on a GPU, or the GPU stopped answering). */
  reading: GpuReading | undefined;
}

/**
 * The training GPU's utilisation, temperature and memory, where the platform reports them: NVIDIA's through
 * `nvidia-smi` (run at most every `everyMs`, with a timeout), AMD's through Linux sysfs. Reads only while the
 * neuron trains on a GPU backend; without nvidia-smi or sysfs readings there is no reading (said once in the log).
 */
export class GpuStats {
  readonly events: TypedEvents<GpuStatsEvents>;
  private latest: GpuReading | undefined;
  private timer: NodeJS.Timeout | undefined;
  private abort = new AbortController();
  private inFlight: Promise<GpuReading | undefined> | undefined;
  /** nvidia-smi is not installed: not tried again. */
  private noNvidiaSmi = false;
  /** The last sample found nothing (said once in the log, until a sample finds something again). */
  private told = false;
  private readonly log: Logger;

  constructor(
    private readonly components: GpuStatsComponents,
    private readonly init: GpuStatsInit = {},
  ) {
    this.log = components.logger.child('gpu');
    this.events = new TypedEvents<GpuStatsEvents>(this.log);
  }

  /** The latest reading of the training GPU; undefined when not training on one or none could be read. */
  get reading(): GpuReading | undefined {
    return this.latest;
  }

  /** Reads every `everyMs` from now on. Safe to call twice. */
  start(): void {
    if (this.timer) return;
    if (this.abort.signal.aborted) this.abort = new AbortController();
    this.timer = setInterval(() => void this.sample(), this.init.everyMs ?? 10_000);
    this.timer.unref();
  }

  /** Stops reading, and kills an nvidia-smi still running. Safe to call twice. */
  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.abort.abort();
  }

  /** Reads the GPU now (what the timer does; a read in progress is joined), and returns the reading. */
  sample(): Promise<GpuReading | undefined> {
    this.inFlight ??= this.read().finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

  private async read(): Promise<GpuReading | undefined> {
    const backend = this.components.backend();
    const signal = this.abort.signal;
    let next: GpuReading | undefined;
    if (isGpuBackend(backend.name)) {
      const problems: string[] = [];
      let readings = await this.nvidia(signal).catch((error: unknown) => {
        problems.push(`nvidia-smi: ${oneLine(error)}`);
        return [];
      });
      const root =
        this.init.sysfsRoot === undefined ? (process.platform === 'linux' ? '/sys/class' : null) : this.init.sysfsRoot;
      if (readings.length === 0 && root !== null) {
        readings = amdGpuReadings(root);
        if (readings.length === 0) problems.push('no AMD GPU in sysfs');
      }
      next = trainingGpu(readings, backend.device);
      if (signal.aborted) return this.latest;
      if (!next && !this.told) {
        this.told = true;
        this.log.info('no GPU readings (utilisation, temperature)', { problem: problems.join('; ') || 'none' });
      }
      if (next) this.told = false;
    }
    if (JSON.stringify(next) !== JSON.stringify(this.latest)) {
      this.latest = next;
      this.events.emit('reading', next);
    }
    return next;
  }

  /** nvidia-smi's GPUs; [] once it is known not to be installed; throws when it fails or says nothing useful. */
  private async nvidia(signal: AbortSignal): Promise<GpuReading[]> {
    if (this.noNvidiaSmi) return [];
    try {
      const { stdout } = await promisify(execFile)(this.init.nvidiaSmi ?? 'nvidia-smi', [...NVIDIA_SMI_ARGS], {
        timeout: this.init.timeoutMs ?? 3000,
        signal,
        windowsHide: true,
        maxBuffer: 64 * 1024,
      });
      const readings = parseNvidiaSmi(stdout);
      if (readings.length === 0) throw new Error(`no GPU in its answer: ${oneLine(stdout.trim() || '(empty)')}`);
      return readings;
    } catch (error) {
      const failed = error as { code?: unknown; killed?: boolean; stderr?: string };
      if (failed.code === 'ENOENT') {
        this.noNvidiaSmi = true;
        throw new Error('not installed (not on PATH)', { cause: error });
      }
      if (failed.killed && !signal.aborted) {
        throw new Error(`no answer in ${this.init.timeoutMs ?? 3000} ms`, { cause: error });
      }
      if (typeof failed.code === 'number') {
        throw new Error(`exit code ${failed.code}: ${oneLine(failed.stderr?.trim() || '(nothing on stderr)')}`, {
          cause: error,
        });
      }
      throw error;
    }
  }
}
