import type { Logger } from '../../shared/logger.js';
import { oneLine } from '../../shared/errors.js';
import { updatePlan, type BuildFacts } from './policy/platform.js';

/**
 * Checks the release feed (electron-builder.yml `publish`) a little after start and every few hours, in an
 * installed build only; electron-updater downloads an update in the background and installs it when the app
 * quits. Everything goes to the host's logger; a failure (offline, no feed, a bad signature) is logged and the
 * next check tries again: it never reaches the user as a crash. Returns stop().
 */
export function startUpdater(build: BuildFacts, logger: Logger): () => void {
  const log = logger.child('updater');
  const plan = updatePlan(build);
  log.info(plan.reason);
  if (!plan.enabled) return () => undefined;

  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const check = async () => {
    try {
      // Loaded only here: electron-updater picks its platform updater on first use.
      const { default: updater } = await import('electron-updater');
      const auto = updater.autoUpdater;
      auto.logger = {
        info: (m?: unknown) => log.info(String(m)),
        warn: (m?: unknown) => log.warn(String(m)),
        error: (m?: unknown) => log.error(oneLine(m)),
        debug: (m: string) => log.debug(m),
      };
      if (auto.listenerCount('error') === 0)
        auto.on('error', (error) => log.warn('update failed', { error: oneLine(error) }));
      await auto.checkForUpdates();
    } catch (error) {
      log.warn('update check failed', { error: oneLine(error) });
    } finally {
      if (!stopped) {
        timer = setTimeout(() => void check(), plan.everyMs);
        timer.unref();
      }
    }
  };
  timer = setTimeout(() => void check(), plan.firstCheckMs);
  timer.unref();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
