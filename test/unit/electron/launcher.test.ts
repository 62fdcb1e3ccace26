import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  electronExecutable,
  electronPackageDir,
  findElectronBinary,
  launchPlan,
} from '../../../src/cli/electron-binary.js';
import { BIN, runNode } from '../../support/cli.js';

const temp = mkdtempSync(join(tmpdir(), 'bt-launch-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));
let n = 0;

/** A node_modules/electron as npm leaves it: with or without path.txt, with or without the unpacked binary. */
function electronPackage(opts: { pathTxt?: string; binary?: string }): string {
  const dir = join(temp, `electron-${n++}`);
  mkdirSync(join(dir, 'dist'), { recursive: true });
  writeFileSync(join(dir, 'package.json'), '{"name":"electron","version":"45.5.0"}');
  if (opts.pathTxt !== undefined) writeFileSync(join(dir, 'path.txt'), opts.pathTxt);
  if (opts.binary !== undefined) {
    mkdirSync(join(dir, 'dist', opts.binary, '..'), { recursive: true });
    writeFileSync(join(dir, 'dist', opts.binary), '');
  }
  return dir;
}

describe("finding Electron's binary without running the electron package", () => {
  it('finds the binary path.txt names under dist/', () => {
    const dir = electronPackage({ pathTxt: 'electron', binary: 'electron' });
    expect(findElectronBinary({ packageDir: dir, env: {}, platform: 'linux' })).toEqual({
      found: true,
      binary: join(dir, 'dist', 'electron'),
      distDir: join(dir, 'dist'),
    });
    const mac = electronPackage({ pathTxt: electronExecutable('darwin'), binary: electronExecutable('darwin') });
    expect(findElectronBinary({ packageDir: mac, env: {}, platform: 'darwin' })).toMatchObject({
      found: true,
      binary: join(mac, 'dist', 'Electron.app', 'Contents', 'MacOS', 'Electron'),
    });
  });

  it('says the binary was never downloaded when there is no path.txt (npm skipped the download)', () => {
    const lookup = findElectronBinary({ packageDir: electronPackage({}), env: {}, platform: 'linux' });
    expect(lookup).toEqual({ found: false, reason: 'Electron is not installed (its download needs internet)' });
  });

  it('says the binary is missing when path.txt names a file that is not there', () => {
    const dir = electronPackage({ pathTxt: 'electron' });
    const lookup = findElectronBinary({ packageDir: dir, env: {}, platform: 'linux' });
    expect(lookup.found).toBe(false);
    expect(!lookup.found && lookup.reason).toContain(join(dir, 'dist', 'electron'));
  });

  it('says so when the electron package itself is missing', () => {
    const lookup = findElectronBinary({ packageDir: undefined, env: {}, platform: 'win32' });
    expect(!lookup.found && lookup.reason).toMatch(/node_modules\/electron is missing/);
  });

  it('takes ELECTRON_OVERRIDE_DIST_PATH first, as the electron package does', () => {
    const override = join(temp, 'override');
    mkdirSync(override, { recursive: true });
    writeFileSync(join(override, 'electron.exe'), '');
    const env = { ELECTRON_OVERRIDE_DIST_PATH: override };
    expect(findElectronBinary({ packageDir: electronPackage({}), env, platform: 'win32' })).toEqual({
      found: true,
      binary: join(override, 'electron.exe'),
      distDir: override,
    });
    const lookup = findElectronBinary({ packageDir: undefined, env, platform: 'linux' });
    expect(!lookup.found && lookup.reason).toMatch(
      /^ELECTRON_OVERRIDE_DIST_PATH is set, but .*electron does not exist$/,
    );
  });

  it('finds the installed electron package without running it', () => {
    expect(electronPackageDir()).toMatch(/node_modules[/\\]electron$/);
  });
});

describe('what npm start runs', () => {
  const withBinary = electronPackage({ pathTxt: 'electron', binary: 'electron' });

  it('runs Electron when its binary is there and a display is', () => {
    for (const [platform, env] of [
      ['linux', { DISPLAY: ':0' }],
      ['linux', { WAYLAND_DISPLAY: 'wayland-0' }],
      ['darwin', {}],
    ] as const) {
      expect(launchPlan({ packageDir: withBinary, env, platform, headless: false })).toEqual({
        mode: 'electron',
        binary: join(withBinary, 'dist', 'electron'),
      });
    }
  });

  it('runs headless with one line saying why and what to do when the binary is missing', () => {
    const plan = launchPlan({
      packageDir: electronPackage({}),
      env: { DISPLAY: ':0' },
      platform: 'linux',
      headless: false,
    });
    expect(plan).toEqual({
      mode: 'headless',
      why: 'Electron is not installed (its download needs internet): running headless; to get the desktop window run `npx install-electron` where you have internet',
    });
  });

  it('runs headless on Linux without a display, and quietly when asked to', () => {
    const plan = launchPlan({ packageDir: withBinary, env: {}, platform: 'linux', headless: false });
    expect(plan).toMatchObject({ mode: 'headless', why: expect.stringMatching(/DISPLAY is not set/) });
    expect(launchPlan({ packageDir: withBinary, env: { DISPLAY: ':0' }, platform: 'linux', headless: true })).toEqual({
      mode: 'headless',
      why: null,
    });
  });
});

/** Runs the built CLI's `app` with `env` added; resolves with its exit code and output. */
const runApp = (args: string[], env: Record<string, string>) =>
  runNode([BIN, 'app', ...args], undefined, { ELECTRON_RUN_AS_NODE: '1', ...env });

describe('bittensor-miner app', () => {
  it('without Electron prints the one line, then is `start --headless` with the options given', async () => {
    const empty = join(temp, 'no-electron');
    mkdirSync(empty, { recursive: true });
    // An option start does not know shows that the arguments reached `start` (which refuses it at once).
    const r = await runApp(['--no-such-option'], { ELECTRON_OVERRIDE_DIST_PATH: empty, DISPLAY: ':0' });
    const lines = r.stderr.trim().split('\n');
    expect(lines[0]).toMatch(/^ELECTRON_OVERRIDE_DIST_PATH is set, but .* does not exist: running headless; /);
    expect(lines[1]).toBe("error: unknown option '--no-such-option'");
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
  });

  it.skipIf(process.platform === 'win32')(
    "with Electron runs it on the app's main module and exits with its code",
    async () => {
      const dist = join(temp, 'fake-electron');
      mkdirSync(dist, { recursive: true });
      // Where the lookup will look: the executable the real package's path.txt names, if it has one.
      const realPathTxt = join(electronPackageDir() ?? temp, 'path.txt');
      const name = existsSync(realPathTxt)
        ? readFileSync(realPathTxt, 'utf8').trim()
        : electronExecutable(process.platform);
      const binary = join(dist, name);
      mkdirSync(join(binary, '..'), { recursive: true });
      writeFileSync(binary, '#!/bin/sh\necho "electron $* run-as-node=${ELECTRON_RUN_AS_NODE:-unset}"\nexit 3\n');
      chmodSync(binary, 0o755);
      const r = await runApp([], { ELECTRON_OVERRIDE_DIST_PATH: dist, DISPLAY: ':0' });
      expect(r.stdout.trim()).toMatch(/^electron \S+[/\\]dist[/\\]main[/\\]electron[/\\]main\.js run-as-node=unset$/);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(3);
    },
  );
});
