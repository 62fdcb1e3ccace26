/**
 * When the desktop app checks for updates and how it starts at login: decisions from the platform and the
 * build, kept apart from Electron so that tests cover them.
 */

export interface BuildFacts {
  /** app.isPackaged: an installed build, not `electron dist/main/electron/main.js` from a checkout. */
  isPackaged: boolean;
  platform: NodeJS.Platform;
  env: Record<string, string | undefined>;
}

export interface UpdatePlan {
  enabled: boolean;
  /** Why updates are off (logged once), or what is checked. */
  reason: string;
  /** First check this long after start, ms (the window and the network come first). */
  firstCheckMs: number;
  /** Then every this many ms. */
  everyMs: number;
}

const HOUR = 3_600_000;

/**
 * Updates are checked against the release feed (electron-builder.yml `publish`) only in an installed build: a
 * development checkout has no feed and must never replace itself. BT_MINER_NO_UPDATES=1 turns them off.
 */
export function updatePlan(build: BuildFacts): UpdatePlan {
  const timing = { firstCheckMs: 30_000, everyMs: 4 * HOUR };
  if (!build.isPackaged) return { enabled: false, reason: 'a development build does not update itself', ...timing };
  if (build.env['BT_MINER_NO_UPDATES'] === '1') {
    return { enabled: false, reason: 'updates are turned off (BT_MINER_NO_UPDATES=1)', ...timing };
  }
  if (build.platform === 'linux' && !build.env['APPIMAGE']) {
    // A deb is updated by the package manager; electron-updater replaces AppImages only.
    return { enabled: false, reason: 'installed from a package: updates come from the package manager', ...timing };
  }
  return { enabled: true, reason: 'checking the release feed every 4 hours', ...timing };
}

export type LoginItemPlan =
  | { kind: 'electron'; openAtLogin: boolean }
  | { kind: 'autostart-file'; openAtLogin: boolean; exec: string }
  | { kind: 'none'; reason: string };

/**
 * How to make the app start at login (settings.startAtLogin): Electron's login items on macOS and Windows, an
 * XDG autostart file on Linux (Electron has no login items there). Nothing in a development build, which would
 * register the bare Electron binary.
 */
export function loginItemPlan(startAtLogin: boolean, build: BuildFacts, execPath: string): LoginItemPlan {
  if (!build.isPackaged) return { kind: 'none', reason: 'a development build is never started at login' };
  if (build.platform === 'darwin' || build.platform === 'win32') return { kind: 'electron', openAtLogin: startAtLogin };
  if (build.platform === 'linux') {
    // An AppImage runs from a temporary mount: start the AppImage file itself.
    return { kind: 'autostart-file', openAtLogin: startAtLogin, exec: build.env['APPIMAGE'] || execPath };
  }
  return { kind: 'none', reason: `starting at login is not supported on ${build.platform}` };
}

/** The XDG autostart entry (~/.config/autostart/<name>.desktop) that starts `exec` at login. */
export function autostartDesktopEntry(name: string, exec: string): string {
  // Desktop Entry Exec quoting: a path in double quotes, with ", `, $ and \ escaped.
  const quoted = `"${exec.replace(/(["`$\\])/g, '\\$1')}"`;
  return [
    '[Desktop Entry]',
    'Type=Application',
    `Name=${name.replace(/[\r\n]/g, ' ')}`,
    `Exec=${quoted} --hidden`,
    'X-GNOME-Autostart-enabled=true',
    'NoDisplay=true',
    '',
  ].join('\n');
}
