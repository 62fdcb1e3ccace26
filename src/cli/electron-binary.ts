import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * Finding Electron's binary without `require('electron')`: that call downloads the binary when it is missing
 * (and throws where the download cannot reach its host). The same rules as the electron package's index.js:
 * ELECTRON_OVERRIDE_DIST_PATH first, then node_modules/electron/path.txt naming the executable under dist/.
 */

/** `distDir`: the unpacked Electron the binary lies in (electron-builder's electronDist). */
export type ElectronLookup = { found: true; binary: string; distDir: string } | { found: false; reason: string };

/** What to tell a user who has no Electron binary, after the reason. */
export const INSTALL_ELECTRON_ADVICE = 'to get the desktop window run `npx install-electron` where you have internet';

/** The executable's path inside an unpacked Electron, as the electron package names it per platform. */
export function electronExecutable(platform: NodeJS.Platform): string {
  if (platform === 'darwin') return 'Electron.app/Contents/MacOS/Electron';
  if (platform === 'win32') return 'electron.exe';
  return 'electron';
}

/** The installed electron package's folder (its package.json resolved, nothing of it run), or undefined. */
export function electronPackageDir(): string | undefined {
  try {
    return dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return undefined;
  }
}

export interface ElectronLookupInit {
  /** node_modules/electron, or undefined when the package is not installed. */
  packageDir: string | undefined;
  env: Record<string, string | undefined>;
  platform: NodeJS.Platform;
}

/** Where Electron's binary is, or one line saying why there is none. */
export function findElectronBinary(init: ElectronLookupInit): ElectronLookup {
  const pathFile = init.packageDir === undefined ? undefined : join(init.packageDir, 'path.txt');
  const named = pathFile !== undefined && existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : '';
  const override = init.env['ELECTRON_OVERRIDE_DIST_PATH'];
  if (override) {
    const binary = join(override, named || electronExecutable(init.platform));
    return existsSync(binary)
      ? { found: true, binary, distDir: override }
      : { found: false, reason: `ELECTRON_OVERRIDE_DIST_PATH is set, but ${binary} does not exist` };
  }
  if (init.packageDir === undefined) {
    return { found: false, reason: 'Electron is not installed (node_modules/electron is missing: run npm ci)' };
  }
  if (named === '') return { found: false, reason: 'Electron is not installed (its download needs internet)' };
  const distDir = join(init.packageDir, 'dist');
  const binary = join(distDir, named);
  return existsSync(binary)
    ? { found: true, binary, distDir }
    : { found: false, reason: `Electron is not installed (${binary} is missing; its download needs internet)` };
}

export type LaunchPlan = { mode: 'electron'; binary: string } | { mode: 'headless'; why: string | null };

export interface LaunchPlanInit extends ElectronLookupInit {
  /** The user asked for headless (--headless). */
  headless: boolean;
}

/**
 * How `npm start` runs the miner: in Electron when its binary is installed and there is a display to open a
 * window on, headless otherwise, with the one line that says why (null when the user asked for headless).
 */
export function launchPlan(init: LaunchPlanInit): LaunchPlan {
  if (init.headless) return { mode: 'headless', why: null };
  const lookup = findElectronBinary(init);
  if (!lookup.found) return { mode: 'headless', why: `${lookup.reason}: running headless; ${INSTALL_ELECTRON_ADVICE}` };
  if (init.platform === 'linux' && !init.env['DISPLAY'] && !init.env['WAYLAND_DISPLAY']) {
    return { mode: 'headless', why: 'no display to open a window on (DISPLAY is not set): running headless' };
  }
  return { mode: 'electron', binary: lookup.binary };
}
