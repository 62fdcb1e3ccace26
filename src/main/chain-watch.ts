import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { formatAmount } from '../shared/amount.js';
import type { Balance, ChainInfo, LedgerClient, NeuronInfo } from '../ledger/client.js';
import { writeFileDurable } from '../ledger/durable-file.js';
import type { EpochPoint } from '../shared/api.js';
import { scoresOf } from '../shared/neuron-scores.js';
import type { Logger } from '../shared/logger.js';

/** Epochs kept in the history file and shown in the charts. */
const KEEP_EPOCHS = 500;

/** What the host last read from the ledger. */
export interface ChainReading {
  info: ChainInfo;
  neurons: NeuronInfo[];
  /** Our coldkey's balance (undefined before we have a wallet). */
  balance: Balance | undefined;
}

export interface ChainWatchInit {
  client: LedgerClient;
  /** history.json goes here. */
  dataDir: string;
  /** How often to read the ledger, ms. Default 2000. */
  everyMs?: number;
  logger: Logger;
}

/**
 * Reads the ledger every few seconds (chain info, the metagraph, our balance) and keeps our epoch history:
 * for each finished epoch, what we earned and our balance after it, in history.json (atomic writes), so a
 * restart keeps the charts.
 */
export class ChainWatch {
  reading: ChainReading | undefined;
  /** Why the last read failed (undefined when it worked). */
  problem: string | undefined;
  private history: EpochPoint[] = [];
  private me: { coldkey: string; hotkey: string } | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(private readonly init: ChainWatchInit) {}

  get file(): string {
    return join(this.init.dataDir, 'history.json');
  }

  get epochs(): EpochPoint[] {
    return this.history;
  }

  async start(): Promise<void> {
    try {
      const raw = JSON.parse(await readFile(this.file, 'utf8')) as unknown;
      if (Array.isArray(raw)) this.history = (raw as EpochPoint[]).filter((p) => typeof p?.epoch === 'number');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        this.init.logger.warn(`${this.file} could not be read; the earnings history starts again`);
      }
    }
    await this.refresh();
    this.timer = setInterval(() => void this.refresh(), this.init.everyMs ?? 2000);
    this.timer.unref();
  }

  /** Whose balance and epochs to follow (once the wallet is open). */
  follow(me: { coldkey: string; hotkey: string }): Promise<void> {
    this.me = me;
    return this.refresh();
  }

  /** Reads the ledger now (one read at a time). */
  refresh(): Promise<void> {
    this.running ??= this.read().finally(() => (this.running = undefined));
    return this.running;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  private async read(): Promise<void> {
    const { client } = this.init;
    try {
      const [info, neurons, balance] = await Promise.all([
        client.info(),
        client.neurons(),
        this.me ? client.balance(this.me.coldkey) : Promise.resolve(undefined),
      ]);
      this.reading = { info, neurons, balance };
      this.problem = undefined;
      if (this.me && balance) await this.record(info, balance, this.me.hotkey);
    } catch (error) {
      this.problem = (error as Error).message.split('\n')[0];
    }
  }

  /** Adds the epochs finished since the last one recorded. */
  private async record(info: ChainInfo, balance: Balance, hotkey: string): Promise<void> {
    const last = this.history.at(-1)?.epoch ?? 0;
    if (info.epoch <= last) return;
    const records = await this.init.client.epochHistory(Math.min(KEEP_EPOCHS, info.epoch - last));
    const total = formatAmount(balance.free + balance.staked);
    const now = Date.now();
    for (const record of records) {
      if (record.epoch <= last) continue;
      const mine = record.neurons.find((n) => n.hotkey === hotkey);
      this.history.push({
        epoch: record.epoch,
        block: record.block,
        time: now - (info.height - record.block) * info.params.blockTimeMs,
        emission: formatAmount(mine?.emission ?? 0n),
        balance: total,
        ...scoresOf(mine),
      });
    }
    this.history = this.history.slice(-KEEP_EPOCHS);
    try {
      await writeFileDurable(this.file, JSON.stringify(this.history));
    } catch (error) {
      this.init.logger.warn(`cannot save the earnings history: ${(error as Error).message}`);
    }
  }
}
