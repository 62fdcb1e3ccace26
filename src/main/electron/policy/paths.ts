import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The files the desktop app loads at run time, found from the compiled main module (dist/main/electron/main.js). */
export interface AppPaths {
  /** The checkout, or the app's folder (app.asar) in an installed build. */
  root: string;
  /** The preload, compiled as CommonJS (src/preload/index.cts): a sandboxed preload cannot be an ES module. */
  preload: string;
  /** The dashboard's Vite build. */
  renderer: string;
  /** The training window's Vite build (the trainer bundle) and its preload (src/preload/trainer.cts). */
  trainer: string;
  trainerPreload: string;
  /** The tray's images, assets/tray/<state>.png with @2x variants beside them. */
  trayDir: string;
  /** The window icon. */
  icon: string;
}

/** The paths relative to `mainModuleUrl` (import.meta.url of dist/main/electron/main.js). */
export function appPaths(mainModuleUrl: string): AppPaths {
  const root = fileURLToPath(new URL('../../../', mainModuleUrl));
  return {
    root,
    preload: join(root, 'dist', 'preload', 'index.cjs'),
    renderer: join(root, 'dist', 'renderer'),
    trainer: join(root, 'dist', 'trainer'),
    trainerPreload: join(root, 'dist', 'preload', 'trainer.cjs'),
    trayDir: join(root, 'assets', 'tray'),
    icon: join(root, 'assets', 'icon.png'),
  };
}
