/** The wallet: SS58 addresses, ed25519 keys, encrypted keyfiles, the mnemonic backup and wallets on disk. */
export * from './address.js';
export * from './errors.js';
export * from './keyfile.js';
export * from './keys.js';
export * from './mnemonic.js';
export * from './store.js';
