import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Sensor names (hwmon `name`, thermal zone `type`) that measure the CPU package or its cores. */
const CPU_SENSORS = /^(coretemp|k10temp|zenpower|cpu[_-]?thermal|x86_pkg_temp|soc[_-]?thermal|acpitz|tctl)/i;

/** °C from millidegrees as Linux writes them, or undefined for anything that is not a plausible reading. */
export function celsius(text: string): number | undefined {
  const milli = Number(text.trim());
  if (!Number.isFinite(milli)) return undefined;
  const c = milli / 1000;
  return c > -40 && c < 150 ? c : undefined;
}

/** A sysfs file's text, trimmed; undefined when it cannot be read (absent, no permission). */
export function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** A sysfs folder's entries; none when it cannot be read. */
export function listDir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/**
 * The CPU's temperature on Linux, from the kernel's hwmon sensors (coretemp, k10temp, ...) and thermal zones
 * (x86_pkg_temp, cpu-thermal, ...) under `root` (default /sys/class): the hottest CPU reading, in °C; undefined
 * where none is exposed (containers, most VMs, other platforms). Reads a few small files: cheap to call every
 * few seconds.
 */
export function cpuTemperatureC(root = '/sys/class'): number | undefined {
  const readings: number[] = [];
  const hwmon = join(root, 'hwmon');
  for (const device of listDir(hwmon)) {
    const name = readText(join(hwmon, device, 'name')) ?? '';
    if (!CPU_SENSORS.test(name)) continue;
    for (const file of listDir(join(hwmon, device)).filter((f) => /^temp\d+_input$/.test(f))) {
      const c = celsius(readText(join(hwmon, device, file)) ?? '');
      if (c !== undefined) readings.push(c);
    }
  }
  const thermal = join(root, 'thermal');
  for (const zone of listDir(thermal).filter((z) => z.startsWith('thermal_zone'))) {
    const type = readText(join(thermal, zone, 'type')) ?? '';
    if (!CPU_SENSORS.test(type)) continue;
    const c = celsius(readText(join(thermal, zone, 'temp')) ?? '');
    if (c !== undefined) readings.push(c);
  }
  return readings.length > 0 ? Math.max(...readings) : undefined;
}

/** The CPU temperature where this platform can read one (Linux), else always undefined. */
export const platformTemperatureC = (): number | undefined =>
  process.platform === 'linux' ? cpuTemperatureC() : undefined;
