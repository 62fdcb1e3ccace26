#!/usr/bin/env node
// Entry point of the `bittensor-miner` command. The TypeScript sources are compiled to dist/ by
// `npm ci` (the prepare script) and by every npm script that runs the program.
try {
  await import('../dist/shared/polyfills.js');
  await import('../dist/cli/main.js');
} catch (error) {
  if (error?.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('dist/cli/main.js')) {
    process.stderr.write('bittensor-miner: not built yet; run `npm run build` (npm ci does it for you)\n');
    process.exit(1);
  }
  throw error;
}
