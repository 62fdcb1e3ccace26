import type { LedgerClient } from '../ledger/client.js';
import { formatAmount } from '../shared/amount.js';
import type { Signer } from '../ledger/wallet/keys.js';
import type { Logger } from '../shared/logger.js';

/**
 * Makes the ledger list this neuron at its current addresses: registers the hotkey (paying the shown
 * burn from the coldkey) when it is not registered, or updates its multiaddrs when they changed.
 * Returns the uid.
 */
export async function ensureRegistered(
  client: LedgerClient,
  keys: { hotkey: Signer; coldkey: Signer },
  multiaddrs: string[],
  log: Logger,
): Promise<number> {
  const addrs = multiaddrs.slice(0, 8);
  const existing = await client.neuron(keys.hotkey.address);
  if (!existing) {
    const price = (await client.info()).registrationBurn;
    log.info('registering', { hotkey: keys.hotkey.address, burn: formatAmount(price) });
    await client.signAndSubmit(
      keys.hotkey,
      { type: 'register', coldkey: keys.coldkey.address, multiaddrs: addrs, maxBurn: String(price) },
      keys.coldkey,
    );
  } else if (existing.multiaddrs.join() !== addrs.join()) {
    log.info('updating multiaddrs', { uid: existing.uid });
    await client.signAndSubmit(keys.hotkey, { type: 'update_multiaddrs', multiaddrs: addrs });
  }
  const neuron = await client.neuron(keys.hotkey.address);
  if (!neuron) throw new Error('registration was included but the neuron is not listed');
  return neuron.uid;
}
