import { describe, expect, it } from 'vitest';
import { autostartDesktopEntry, loginItemPlan, updatePlan } from '../../../src/main/electron/policy/platform.js';

const installed = (platform: NodeJS.Platform, env: Record<string, string> = {}) => ({
  isPackaged: true,
  platform,
  env,
});

describe('updates', () => {
  it('are checked in an installed build on macOS, Windows and from an AppImage, every few hours', () => {
    for (const build of [
      installed('darwin'),
      installed('win32'),
      installed('linux', { APPIMAGE: '/a/Miner.AppImage' }),
    ]) {
      const plan = updatePlan(build);
      expect(plan.enabled, build.platform).toBe(true);
      expect(plan.everyMs).toBeGreaterThanOrEqual(3_600_000);
      expect(plan.firstCheckMs).toBeGreaterThan(0);
    }
  });

  it('are never checked in development, when turned off, or from a package manager install', () => {
    expect(updatePlan({ isPackaged: false, platform: 'darwin', env: {} })).toMatchObject({
      enabled: false,
      reason: expect.stringMatching(/development/),
    });
    expect(updatePlan(installed('win32', { BT_MINER_NO_UPDATES: '1' })).enabled).toBe(false);
    expect(updatePlan(installed('linux')).enabled).toBe(false);
  });
});

describe('start at login', () => {
  it("uses Electron's login item on macOS and Windows, following the setting", () => {
    expect(loginItemPlan(true, installed('darwin'), '/x')).toEqual({ kind: 'electron', openAtLogin: true });
    expect(loginItemPlan(false, installed('win32'), '/x')).toEqual({ kind: 'electron', openAtLogin: false });
  });

  it('writes an autostart entry on Linux, for the AppImage file when run from one', () => {
    expect(loginItemPlan(true, installed('linux'), '/opt/Miner/miner')).toEqual({
      kind: 'autostart-file',
      openAtLogin: true,
      exec: '/opt/Miner/miner',
    });
    expect(
      loginItemPlan(false, installed('linux', { APPIMAGE: '/home/u/Miner.AppImage' }), '/tmp/.mount/miner'),
    ).toEqual({ kind: 'autostart-file', openAtLogin: false, exec: '/home/u/Miner.AppImage' });
  });

  it('does nothing in a development build', () => {
    expect(loginItemPlan(true, { isPackaged: false, platform: 'darwin', env: {} }, '/x').kind).toBe('none');
  });

  it('quotes the program path in the autostart entry', () => {
    const entry = autostartDesktopEntry('Bittensor Miner', '/home/u/My "Apps"/$HOME/miner');
    expect(entry).toContain('Exec="/home/u/My \\"Apps\\"/\\$HOME/miner" --hidden\n');
    expect(entry.startsWith('[Desktop Entry]\nType=Application\nName=Bittensor Miner\n')).toBe(true);
  });
});
