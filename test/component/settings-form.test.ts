import { describe, expect, it } from 'vitest';
import { formatSchedule, parseSchedule, SettingsForm } from '../../src/renderer/lib/settings-form.svelte.js';
import { DEFAULT_SETTINGS } from '../../src/shared/settings.js';

describe("the Settings view's form, without a DOM", () => {
  it('reads schedule lines (ranges and lists of days) and writes them back', () => {
    const schedule = parseSchedule(' 1-5 09:00-17:00\n\n0,6 10:00-12:00 ');
    expect(schedule).toEqual([
      { days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' },
      { days: [0, 6], start: '10:00', end: '12:00' },
    ]);
    expect(parseSchedule(formatSchedule(schedule))).toEqual(schedule);
    expect(() => parseSchedule('weekdays 9-5')).toThrow(/^schedule: "weekdays 9-5" is not "DAYS HH:MM-HH:MM"/);
  });

  it('turns what the inputs hold (numbers as text, empty fields) into Settings', () => {
    const form = new SettingsForm(() => ({ call: () => Promise.reject(new Error('no host here')) }));
    form.load({ ...DEFAULT_SETTINGS, bootstrap: ['/ip4/1.2.3.4/tcp/1/p2p/x'] });
    expect(form.bootstrapText).toBe('/ip4/1.2.3.4/tcp/1/p2p/x');
    expect(form.fields!.backend).toBe('auto');
    expect(form.backends).toContain('webgpu');
    Object.assign(form.fields!, {
      idleMinutes: '7',
      cpuCores: '2.5',
      temperatureLimitC: '',
      ledgerUrl: '  ',
      backend: 'wasm',
    });
    form.scheduleText = '1-5 18:00-08:00';
    form.bootstrapText = ' /ip4/5.6.7.8/tcp/2/p2p/y \n';
    expect(form.toSettings()).toMatchObject({
      idleMinutes: 7,
      cpuCores: 2.5,
      temperatureLimitC: null,
      ledgerUrl: null,
      schedule: [{ days: [1, 2, 3, 4, 5], start: '18:00', end: '08:00' }],
      bootstrap: ['/ip4/5.6.7.8/tcp/2/p2p/y'],
      backend: 'wasm',
    });
  });

  it("shows the host's one-line refusal and keeps the form", async () => {
    const form = new SettingsForm(
      () =>
        ({
          call: (method: string) =>
            method === 'updateSettings'
              ? Promise.reject(new Error('cpuCores: too big'))
              : Promise.resolve(DEFAULT_SETTINGS),
        }) as never,
    );
    await form.fetch();
    await form.save();
    expect(form.error).toBe('cpuCores: too big');
    expect(form.saved).toBeUndefined();
    expect(form.fields).toBeDefined();
  });
});
