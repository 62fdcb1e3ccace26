import { mkdir, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { app } from 'electron';
import type { Logger } from '../../shared/logger.js';
import { autostartDesktopEntry, loginItemPlan, type BuildFacts } from './policy/platform.js';
import { PRODUCT_NAME } from './policy/tray-model.js';

/** The argument the app is started with at login: it starts in the tray, without the window. */
export const HIDDEN_ARG = '--hidden';

/** Where XDG desktops look for programs to start at login. */
function autostartFile(env: BuildFacts['env']): string {
  const config = env['XDG_CONFIG_HOME'] || join(homedir(), '.config');
  return join(config, 'autostart', 'bittensor-miner.desktop');
}

/**
 * Makes the app start at login, or not, as settings.startAtLogin says: Electron's login item on macOS and
 * Windows, an autostart file on Linux, nothing in a development build. Only a change is applied; failures are
 * logged, never thrown.
 */
export function createLoginItem(build: BuildFacts, logger: Logger): (startAtLogin: boolean) => void {
  let applied: boolean | undefined;
  return (startAtLogin) => {
    if (applied === startAtLogin) return;
    applied = startAtLogin;
    const plan = loginItemPlan(startAtLogin, build, process.execPath);
    switch (plan.kind) {
      case 'none':
        if (startAtLogin) logger.info('not starting at login', { reason: plan.reason });
        return;
      case 'electron':
        app.setLoginItemSettings({ openAtLogin: plan.openAtLogin, args: [HIDDEN_ARG] });
        logger.info('start at login', { on: plan.openAtLogin });
        return;
      case 'autostart-file': {
        const file = autostartFile(build.env);
        const done = plan.openAtLogin
          ? mkdir(join(file, '..'), { recursive: true }).then(() =>
              writeFile(file, autostartDesktopEntry(PRODUCT_NAME, plan.exec), { mode: 0o644 }),
            )
          : rm(file, { force: true });
        done.then(
          () => logger.info('start at login', { on: plan.openAtLogin, file }),
          (error: unknown) => logger.warn('could not change starting at login', { error: String(error) }),
        );
        return;
      }
    }
  };
}

/** Whether this start came from the login item (then the window stays hidden until the user opens it). */
export function startedAtLogin(argv: readonly string[], platform: NodeJS.Platform): boolean {
  if (argv.includes(HIDDEN_ARG)) return true;
  return platform === 'darwin' && app.getLoginItemSettings().wasOpenedAtLogin === true;
}
