import { Command } from 'commander';

/** `bittensor-miner wallet`: create, import and use coldkey/hotkey wallets. */
export function walletCommand(): Command {
  const wallet = new Command('wallet').description('Create, import and use wallets (a coldkey and a hotkey each)');
  return wallet;
}
