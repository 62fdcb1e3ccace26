import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpuTemperatureC } from '../../../src/main/thermal.js';
import { fileTree } from '../../support/files.js';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'bt-thermal-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const sysfs = (name: string, files: Record<string, string>) => fileTree(root, name, files);

describe('the CPU temperature from Linux sysfs', () => {
  it('takes the hottest CPU sensor of hwmon and the thermal zones, ignoring other devices', async () => {
    const dir = await sysfs('mixed', {
      'hwmon/hwmon0/name': 'coretemp\n',
      'hwmon/hwmon0/temp1_input': '51000\n',
      'hwmon/hwmon0/temp2_input': '63500\n',
      'hwmon/hwmon0/temp2_label': 'Core 1\n',
      'hwmon/hwmon1/name': 'nvme\n',
      'hwmon/hwmon1/temp1_input': '90000\n',
      'thermal/thermal_zone0/type': 'x86_pkg_temp\n',
      'thermal/thermal_zone0/temp': '62000\n',
      'thermal/thermal_zone1/type': 'iwlwifi_1\n',
      'thermal/thermal_zone1/temp': '99000\n',
    });
    expect(cpuTemperatureC(dir)).toBe(63.5);
  });

  it('reads a thermal zone alone (a Raspberry Pi), and skips unreadable or absurd values', async () => {
    const dir = await sysfs('pi', {
      'thermal/thermal_zone0/type': 'cpu-thermal\n',
      'thermal/thermal_zone0/temp': '48312\n',
      'hwmon/hwmon0/name': 'k10temp\n',
      'hwmon/hwmon0/temp1_input': 'garbage\n',
      'hwmon/hwmon0/temp3_input': '-273000\n',
    });
    expect(cpuTemperatureC(dir)).toBeCloseTo(48.312, 3);
  });

  it('is undefined where nothing is exposed (a container), not 0', async () => {
    expect(cpuTemperatureC(join(root, 'nothing-here'))).toBeUndefined();
    expect(cpuTemperatureC(await sysfs('other', { 'hwmon/hwmon0/name': 'acpi_fan\n' }))).toBeUndefined();
  });
});
