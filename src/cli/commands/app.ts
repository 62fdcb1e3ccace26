import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { UserError } from '../../shared/errors.js';
import { electronPackageDir, launchPlan } from '../electron-binary.js';
import { startCommand } from './start.js';

/** The desktop app's main module, compiled by `npm run build` (tsconfig.electron.json). */
const ELECTRON_MAIN = fileURLToPath(new URL('../../main/electron/main.js', import.meta.url));

/** Runs Electron on the app and resolves with its exit code; Ctrl-C and SIGTERM reach it too. */
function runElectron(binary: string): Promise<number> {
  if (!existsSync(ELECTRON_MAIN)) throw new UserError('the desktop app is not built yet: run `npm run build`');
  const env = { ...process.env };
  delete env['ELECTRON_RUN_AS_NODE']; // set, it would make the binary a plain Node
  const child = spawn(binary, [ELECTRON_MAIN], { stdio: 'inherit', env, windowsHide: false });
  const forward = (signal: NodeJS.Signals) => () => child.kill(signal);
  const onInt = forward('SIGINT');
  const onTerm = forward('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  return new Promise((resolve, reject) => {
    child.once('error', (error: NodeJS.ErrnoException) => {
      reject(new UserError(`could not start Electron (${binary}): ${error.code ?? error.message}`));
    });
    child.once('exit', (code, signal) => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}

/**
 * `app` (what `npm start` runs): the desktop app in Electron when its binary is installed, otherwise the headless
 * miner (`start --headless`, with any options given here) after one line that says why. The headless dashboard
 * asks for the wallet's password when no --password-file is given.
 */
export function appCommand(): Command {
  return new Command('app')
    .description('Start the desktop app (Electron), or the headless miner with its dashboard when Electron is missing')
    .option('--headless', 'skip the desktop window even when Electron is installed')
    .helpOption('-h, --help', 'show this help; options of `start` are passed on when running headless')
    .allowUnknownOption()
    .allowExcessArguments()
    .action(async (opts: { headless?: boolean }, command: Command) => {
      const plan = launchPlan({
        packageDir: electronPackageDir(),
        env: process.env,
        platform: process.platform,
        headless: opts.headless === true,
      });
      if (plan.mode === 'electron') {
        process.exitCode = await runElectron(plan.binary);
        return;
      }
      if (plan.why !== null) process.stderr.write(`${plan.why}\n`);
      const start = startCommand().exitOverride().showHelpAfterError('(add --help for usage)');
      await start.parseAsync(['--headless', ...command.args], { from: 'user' });
    });
}
