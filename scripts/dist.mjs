// `npm run dist`: the installers for this OS (electron-builder.yml), built against the Electron that is installed
// in node_modules, so that nothing is downloaded but electron-builder's own tools for the installer formats. Extra
// arguments go to electron-builder (`npm run dist -- --linux dir`). Without an Electron binary it says so in one
// line. The release workflow runs electron-builder itself, which downloads Electron for each OS.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { electronPackageDir, findElectronBinary, INSTALL_ELECTRON_ADVICE } from '../dist/cli/electron-binary.js';

const packageDir = electronPackageDir();
const lookup = findElectronBinary({ packageDir, env: process.env, platform: process.platform });
if (!lookup.found) {
  process.stderr.write(`npm run dist needs Electron's binary: ${lookup.reason}; ${INSTALL_ELECTRON_ADVICE}\n`);
  process.exit(1);
}
// An unpacked Electron names its version in a file beside the binary; else the electron package's version.
const versionFile = join(lookup.distDir, 'version');
const version = existsSync(versionFile)
  ? readFileSync(versionFile, 'utf8').trim().replace(/^v/, '')
  : JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')).version;
const builder = join(dirname(createRequire(import.meta.url).resolve('electron-builder/package.json')), 'cli.js');
const args = [
  builder,
  `--config.electronDist=${lookup.distDir}`,
  `--config.electronVersion=${version}`,
  '--publish',
  'never',
  ...process.argv.slice(2),
];
const result = spawnSync(process.execPath, args, { stdio: 'inherit' });
process.exit(result.status ?? 1);
