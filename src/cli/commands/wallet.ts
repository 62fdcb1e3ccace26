import { Command } from 'commander';
import { createWallet, importWallet, MIN_PASSWORD_LENGTH, type WalletInfo } from '../../ledger/wallet/index.js';
import { readMnemonicFile, readNewPasswordFile } from '../password.js';

const PASSWORD_FILE_HELP = `a file holding the password that encrypts both keys (at least ${MIN_PASSWORD_LENGTH} characters)`;

/** `bittensor-miner wallet`: create, import and use coldkey/hotkey wallets. */
export function walletCommand(): Command {
  const wallet = new Command('wallet').description('Create, import and use wallets (a coldkey and a hotkey each)');

  wallet
    .command('create')
    .description('Create a wallet from a fresh 24-word mnemonic and print its addresses as JSON')
    .requiredOption('--wallets <dir>', 'the folder that holds the wallets')
    .requiredOption('--name <name>', 'the new wallet: 1-64 letters, digits, "-", "_" or "."')
    .requiredOption('--password-file <file>', PASSWORD_FILE_HELP)
    .addHelpText(
      'after',
      `
Writes DIR/NAME/coldkey.json, coldkeypub.json and hotkeys/default.json (files 0600, folders 0700) and prints
{"name", "coldkey", "hotkey"} on stdout. The mnemonic is shown once, on stderr: write it down; anyone who has it
controls the wallet. An existing wallet is never overwritten.`,
    )
    .action(async (opts: { wallets: string; name: string; passwordFile: string }) => {
      const password = await readNewPasswordFile(opts.passwordFile);
      const { info, mnemonic } = await createWallet(opts.wallets, opts.name, password);
      process.stderr.write(mnemonicNotice(mnemonic));
      printInfo(info);
    });

  wallet
    .command('import')
    .description('Restore a wallet from its 24-word mnemonic and print its addresses as JSON')
    .requiredOption('--wallets <dir>', 'the folder that holds the wallets')
    .requiredOption('--name <name>', 'the restored wallet: 1-64 letters, digits, "-", "_" or "."')
    .requiredOption('--mnemonic-file <file>', 'a file holding the 24-word mnemonic')
    .requiredOption('--password-file <file>', PASSWORD_FILE_HELP)
    .addHelpText(
      'after',
      `
Gives the same coldkey and hotkey as the wallet the mnemonic was created with, and prints
{"name", "coldkey", "hotkey"} on stdout. An existing wallet is never overwritten.`,
    )
    .action(async (opts: { wallets: string; name: string; mnemonicFile: string; passwordFile: string }) => {
      const mnemonic = await readMnemonicFile(opts.mnemonicFile);
      const password = await readNewPasswordFile(opts.passwordFile);
      printInfo(await importWallet(opts.wallets, opts.name, mnemonic, password));
    });

  return wallet;
}

function printInfo(info: WalletInfo): void {
  const { name, coldkey, hotkey } = info;
  process.stdout.write(`${JSON.stringify({ name, coldkey, hotkey })}\n`);
}

function mnemonicNotice(mnemonic: string): string {
  return `
Your wallet's mnemonic (24 words). Write it down on paper now and keep it somewhere safe and offline:

    ${mnemonic}

Anyone who has these words controls the wallet (its coldkey and hotkey) and can spend its balance.
It restores the wallet with "bittensor-miner wallet import". It is not shown again.

`;
}
