import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CHILD_ENTRY } from '../../../src/main/children.js';
import { appPaths } from '../../../src/main/electron/policy/paths.js';
import { TRAY_ICONS } from '../../../src/main/electron/policy/tray-model.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const require = createRequire(import.meta.url);

/** A PNG's width and height, from its IHDR chunk. */
function pngSize(file: string): [number, number] {
  const data = readFileSync(file);
  expect(data.subarray(1, 4).toString('latin1')).toBe('PNG');
  return [data.readUInt32BE(16), data.readUInt32BE(20)];
}

interface BuilderConfig {
  extraMetadata: { main: string; homepage: string; author: { email: string } };
  /** After getConfig: the patterns, grouped as [{ filter: [...] }]. */
  files: Array<string | { filter: string[] }>;
  asarUnpack: string[];
  publish: { provider: string };
  [key: string]: unknown;
}

async function loadBuilderConfig(): Promise<BuilderConfig> {
  const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as {
    getConfig(dir: string, path: string | null, options: null): Promise<BuilderConfig>;
    validateConfiguration(config: BuilderConfig, logger: unknown): Promise<void>;
  };
  const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };
  const config = await getConfig(ROOT, null, null);
  await validateConfiguration(config, new DebugLogger(false)); // throws on anything electron-builder 26 rejects
  return config;
}

describe('packaging', () => {
  it("electron-builder.yml passes electron-builder's own schema and starts the Electron main", async () => {
    const config = await loadBuilderConfig();
    expect(config.extraMetadata.main).toBe('dist/main/electron/main.js');
    // The deb needs a homepage and a maintainer's address.
    expect(config.extraMetadata.homepage).toMatch(/^https:\/\//);
    expect(config.extraMetadata.author.email).toContain('@');
    expect(config.publish.provider).toBe('github');
    expect(config.asarUnpack).toContain('node_modules/classic-level/prebuilds/**');
  });

  it('packs every file the main process loads at run time', async () => {
    const files = (await loadBuilderConfig()).files.flatMap((f) => (typeof f === 'string' ? [f] : f.filter));
    const paths = appPaths(new URL('../../../dist/main/electron/main.js', import.meta.url).href);
    const wanted = [
      paths.preload,
      paths.renderer + '/index.html',
      paths.trainerPreload, // the training window's
      paths.trainer + '/index.html',
      paths.icon,
      `${paths.trayDir}/waiting.png`,
      CHILD_ENTRY, // the embedded network's peer neurons
      fileURLToPath(new URL('../../../dist/neuron/worker/entry.js', import.meta.url)), // the training worker
    ];
    for (const file of wanted.map((f) => relative(ROOT, f))) {
      const included = files.some((p) => !p.startsWith('!') && matches(p, file));
      const excluded = files.some((p) => p.startsWith('!') && matches(p.slice(1), file));
      expect(included && !excluded, file).toBe(true);
    }
  });

  it('the build emits the preload as CommonJS and the main process where the app looks for them', () => {
    const paths = appPaths(new URL('../../../dist/main/electron/main.js', import.meta.url).href);
    expect(paths.root).toBe(ROOT);
    expect(existsSync(new URL('../../../src/preload/index.cts', import.meta.url))).toBe(true);
    // npm test builds first (tsconfig.electron.json is part of `tsc -b`).
    expect(readFileSync(paths.preload, 'utf8')).toMatch(/require\("electron"\)/);
    expect(readFileSync(paths.trainerPreload, 'utf8')).toMatch(/require\("electron"\)/);
    expect(existsSync(new URL('../../../dist/main/electron/main.js', import.meta.url))).toBe(true);
    // The training window's page and its Worker (vite.trainer.config.ts, part of npm run build).
    expect(readFileSync(`${paths.trainer}/index.html`, 'utf8')).toMatch(/<script type="module"/);
  });

  it('has the app icon at 512 px and a 16 px tray image with a 32 px @2x for every tray state', () => {
    expect(pngSize(`${ROOT}assets/icon.png`)).toEqual([512, 512]);
    for (const state of TRAY_ICONS) {
      expect(pngSize(`${ROOT}assets/tray/${state}.png`), state).toEqual([16, 16]);
      expect(pngSize(`${ROOT}assets/tray/${state}@2x.png`), state).toEqual([32, 32]);
    }
  });
});

/** Enough of electron-builder's glob syntax for the patterns in electron-builder.yml (**, *, literal names). */
function matches(pattern: string, file: string): boolean {
  const source = pattern
    .split(/(\*\*\/?|\*)/)
    .map((part) =>
      part === '**/' || part === '**' ? '.*' : part === '*' ? '[^/]*' : part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'),
    )
    .join('');
  return new RegExp(`^${source}$`).test(file);
}
