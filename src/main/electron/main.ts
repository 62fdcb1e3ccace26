import '../../shared/polyfills.js';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { app, dialog, session, type BrowserWindow } from 'electron';
import type { MinerSnapshot } from '../../shared/api.js';
import { createLogger, type Logger } from '../../shared/logger.js';
import { LogFile } from '../../ledger/log-file.js';
import { startHost, type Host, type HostInit } from '../host.js';
import { sendPush, serveApiOverIpc } from './ipc.js';
import { createLoginItem, startedAtLogin } from './login-item.js';
import { alertNotices } from './notices.js';
import { oneLine } from '../../shared/errors.js';
import { appPaths } from './policy/paths.js';
import type { BuildFacts } from './policy/platform.js';
import { PRODUCT_NAME, type TrayAction } from './policy/tray-model.js';
import { ElectronPower } from './power.js';
import { registerAppScheme, serveRenderer } from './protocol.js';
import { hardenContents, hardenSession } from './security.js';
import { trainingRuntime, webGpuSwitches } from './policy/trainer.js';
import { utilityProcessWorker } from './training-process.js';
import { trainingWindowWorker } from './training-window.js';
import { MinerTray } from './tray.js';
import { startUpdater } from './updater.js';
import { createMainWindow, showWindow } from './window.js';

/**
 * The desktop app's composition root (Electron's main process): the plain-TS host (startHost) with Electron's
 * power events, the dashboard window on app://miner, the IPC API, the tray, the login item and the updater.
 * One instance per user: a second start only brings the first one's window forward.
 */

const paths = appPaths(import.meta.url);
/** Longest wait for the host to stop at quit (the neuron finishes its step and checkpoints). */
const STOP_TIMEOUT_MS = 70_000;

// Started as `electron dist/main/electron/main.js` (npm start), Electron calls itself "Electron" and keeps its
// data under that name: use the product's, which an installed build gets from its package.json. Before the
// single-instance lock, which lives in userData.
if (!app.isPackaged) {
  app.setName(PRODUCT_NAME);
  app.setPath('userData', join(app.getPath('appData'), PRODUCT_NAME));
}

registerAppScheme();
for (const [name, value] of webGpuSwitches(process.platform)) app.commandLine.appendSwitch(name, value);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  void run().catch((error: unknown) => fail(error));
}

function makeLogger(): Logger {
  const folder = app.getPath('logs');
  mkdirSync(folder, { recursive: true });
  // A full disk must not take the app down with it: lines are lost (and counted in the file) until there is room.
  const file = new LogFile({ path: join(folder, 'main.log'), mode: 0o600 });
  const toStderr = !app.isPackaged;
  return createLogger('bt', (line) => {
    file.write(`${line}\n`);
    if (toStderr) process.stderr.write(`${line}\n`);
  });
}

function fail(error: unknown): void {
  dialog.showErrorBox(`${PRODUCT_NAME} could not start`, oneLine(error));
  app.exit(1);
}

async function run(): Promise<void> {
  await app.whenReady();
  const logger = makeLogger();
  const log = logger.child('app');
  const build: BuildFacts = { isPackaged: app.isPackaged, platform: process.platform, env: process.env };

  hardenSession(session.defaultSession, log);
  app.on('web-contents-created', (_event, contents) => hardenContents(contents, log));
  serveRenderer(session.defaultSession, paths, log);

  // The host starts in the background (the embedded network takes a while): the tray and the window come
  // first, and the page's calls wait for the host.
  const power = new ElectronPower();
  // The training runs in a Worker of a hidden window (Chromium's WebGPU, WebAssembly threads), or for native
  // TensorFlow in a utilityProcess; either is crash-isolated from the dashboard and the neuron's serving.
  const inWindow = trainingWindowWorker(paths.trainerPreload);
  const init: HostInit = {
    dataDir: join(app.getPath('userData'), 'miner'),
    power,
    trainingWorker: (entry, config) =>
      trainingRuntime(config.backend) === 'window' ? inWindow(entry, config) : utilityProcessWorker(entry, config),
  };
  const starting = startHost(init, { logger });
  const api = starting.then((h) => h.api);
  api.catch(() => undefined); // the failure is handled where `starting` is awaited
  const stopIpc = serveApiOverIpc(api, log);

  let window: BrowserWindow | undefined;
  let tray: MinerTray | undefined;
  let quitting = false;
  const openWindow = () => {
    if (window !== undefined && !window.isDestroyed()) return showWindow(window);
    window = createMainWindow({ preload: paths.preload, icon: paths.icon, show: true, devTools: !app.isPackaged });
    window.on('close', (event) => {
      // Closing the window leaves the miner running in the tray; Quit in the tray menu ends it.
      if (!quitting && tray !== undefined) {
        event.preventDefault();
        window?.hide();
      }
    });
  };
  const notify = alertNotices(() => openWindow());
  /** The tray and the desktop notices follow the host's snapshot; the page gets the host's pushes. */
  const show = (snapshot: MinerSnapshot) => {
    tray?.update(snapshot);
    notify(snapshot);
  };
  const onAction = (action: TrayAction) => {
    if (action === 'open') return openWindow();
    if (action === 'quit') return app.quit();
    // The tray answers the click at once with the snapshot the call returns, not at the next push.
    starting
      .then((h) => (action === 'pause' ? h.api.pause() : h.api.resume()))
      .then(show, (error: unknown) => log.warn(`${action} failed`, { error: oneLine(error) }));
  };
  try {
    tray = new MinerTray(paths.trayDir, onAction);
  } catch (error) {
    log.warn('no tray on this desktop: closing the window quits', { error: oneLine(error) });
  }
  if (startedAtLogin(process.argv, process.platform) && tray !== undefined) {
    log.info('started at login: staying in the tray');
  } else openWindow();

  app.on('second-instance', openWindow);
  app.on('activate', openWindow); // macOS: the dock icon
  app.on('window-all-closed', () => {
    if (tray === undefined) app.quit(); // otherwise the tray keeps the app running
  });

  const stops: Array<() => void> = [stopIpc, () => power.stop(), () => tray?.destroy()];
  let stopping: Promise<void> | undefined;
  app.on('before-quit', () => (quitting = true));
  app.on('will-quit', (event) => {
    // Electron would exit without waiting for the host (the neuron finishes its step and checkpoints).
    event.preventDefault();
    stopping ??= (async () => {
      for (const stop of stops.splice(0).reverse()) stop();
      const stopped = starting.then(
        (h) => h.stop(),
        () => undefined,
      );
      const timeout = new Promise<void>((resolve) => setTimeout(resolve, STOP_TIMEOUT_MS).unref());
      await Promise.race([
        stopped.catch((error: unknown) => log.error('the host did not stop cleanly', { error: oneLine(error) })),
        timeout,
      ]);
    })().finally(() => app.exit(0));
  });

  const host: Host = await starting; // a failure: run() rejects, and fail() says so in a dialog
  power.watch(() => host.reevaluate());
  stops.push(
    host.onPush((push, snapshot) => {
      sendPush(window, push);
      show(snapshot);
    }),
  );
  show(host.latest());
  const followLogin = createLoginItem(build, log);
  host.api.settings().then(
    (s) => followLogin(s.startAtLogin),
    () => undefined,
  );
  stops.push(host.onSettings((s) => followLogin(s.startAtLogin)));
  stops.push(startUpdater(build, logger));
}
