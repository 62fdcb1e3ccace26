import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  applyNeuronChanges,
  type Balance,
  type ChainInfo,
  type EpochInfo,
  type LedgerClient,
  type NeuronInfo,
} from '../ledger/client.js';
import { writeFileDurable } from '../ledger/durable-file.js';
import { formatAmount } from '../shared/amount.js';
import type { EpochPoint } from '../shared/api.js';
import { oneLine } from '../shared/errors.js';
import { TypedEvents } from '../shared/events.js';
import type { Logger } from '../shared/logger.js';
import type { MetagraphSource } from '../neuron/discovery.js';
import { scoresOf } from '../shared/neuron-scores.js';
import { KEEP_EPOCHS } from '../shared/snapshot-delta.js';

/** What the host last read from the ledger. */
export interface ChainReading {
  info: ChainInfo;
  neurons: NeuronInfo[];
  /** Our coldkey's balance (undefined before we have a wallet). */
  balance: Balance | undefined;
}

export interface ChainFeedEvents extends Record<string, unknown> {
  /** A new block: its height (nothing else is read for it). */
  block: { height: number };
  /** A new reading of the metagraph and our balance (the `neurons` array is a new one only when it changed). */
  reading: ChainReading;
  /** A finished epoch, as our history keeps it. */
  epoch: EpochPoint;
  /** The ledger stopped answering (a message), or answers again (undefined). */
  problem: string | undefined;
}

export interface ChainFeedInit {
  /** history.json goes here. */
  dataDir: string;
  /**
   * Between blocks that carry transactions (weights, registrations, stake), the metagraph is read again at most
   * this often, ms; at each epoch it is read at once. Default 10000.
   */
  metagraphEveryMs?: number;
  /** Waits before resubscribing after the ledger's connection drops, ms. Default 2000. */
  reconnectMs?: number;
  /**
   * No block heard for this long, ms, and the ledger is asked: a chain that made none is halted (a problem
   * the dashboard shows until the next block), one that made some means the subscription died without a word,
   * and it is made again. Default ten block times, at least 30 s.
   */
  stallMs?: number;
}

export interface ChainFeedComponents {
  client: LedgerClient;
  logger: Logger;
}

/**
 * The ledger as the host follows it: subscribed to its blocks and epochs (no polling), it reads the metagraph
 * and our balance when they can have changed (at each epoch, after our own transactions, and at most every few
 * seconds while blocks carry transactions), keeps our epoch history in history.json (atomic writes, so a
 * restart keeps the charts), and says what changed through its events. One read at a time.
 */
export class ChainFeed {
  readonly events: TypedEvents<ChainFeedEvents>;
  reading: ChainReading | undefined;
  /** Why the ledger cannot be followed now (undefined while it can). */
  problem: string | undefined;
  private history: EpochPoint[] = [];
  private me: { coldkey: string; hotkey: string } | undefined;
  private unsubscribe: Array<() => void> = [];
  private running: Promise<void> | undefined;
  private next: Promise<void> | undefined;
  private lastMetagraphRead = 0;
  /** The height of the metagraph in `reading` (what the next read asks the changes after). */
  private metagraphHeight: number | undefined;
  private txsSinceRead = false;
  private timer: NodeJS.Timeout | undefined;
  private started = false;
  /** The start in progress or done: a second start() gets it. */
  private starting: Promise<void> | undefined;
  /** Aborted by stop(): what that start is still doing (subscribing, resubscribing) undoes itself. */
  private abort: AbortController | undefined;
  /** Looks at the ledger when no block came for stallMs (re-armed by each block). */
  private watchdog: NodeJS.Timeout | undefined;
  /** Set while the chain makes no block: the problem to show (ended by the next block, not by a read). */
  private halted: string | undefined;
  private readonly log: Logger;
  private readonly metagraphEveryMs: number;
  private readonly reconnectMs: number;

  constructor(
    private readonly components: ChainFeedComponents,
    private readonly init: ChainFeedInit,
  ) {
    this.log = components.logger.child('chain');
    this.events = new TypedEvents<ChainFeedEvents>(this.log);
    this.metagraphEveryMs = init.metagraphEveryMs ?? 10_000;
    this.reconnectMs = init.reconnectMs ?? 2000;
  }

  get file(): string {
    return join(this.init.dataDir, 'history.json');
  }

  /** The metagraph as this feed holds it, for the neuron's discovery: it reads nothing the feed has not. */
  readonly metagraph: MetagraphSource = {
    neurons: async () => this.reading?.neurons ?? (await this.components.client.neurons()),
    onChange: (listener) => {
      let seen = this.reading?.neurons;
      return this.events.on('reading', (r) => {
        if (r.neurons === seen) return;
        seen = r.neurons;
        listener();
      });
    },
  };

  /** Finished epochs, oldest first (a new array after each change). */
  get epochs(): EpochPoint[] {
    return this.history;
  }

  /**
   * Loads the history, reads the ledger once and subscribes to it. Safe to call twice: a second call, even
   * while the first is still reading, gets the first one's promise (one subscription).
   */
  start(): Promise<void> {
    if (!this.starting) {
      this.started = true;
      this.abort = new AbortController();
      this.starting = this.load(this.abort.signal);
    }
    return this.starting;
  }

  private async load(signal: AbortSignal): Promise<void> {
    try {
      const raw = JSON.parse(await readFile(this.file, 'utf8')) as unknown;
      if (Array.isArray(raw)) this.history = (raw as EpochPoint[]).filter((p) => typeof p?.epoch === 'number');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        this.log.warn(`${this.file} could not be read; the earnings history starts again`);
      }
    }
    await this.refresh();
    await this.subscribe(signal);
  }

  /** Whose balance and epochs to follow (once the wallet is open). */
  follow(me: { coldkey: string; hotkey: string }): Promise<void> {
    this.me = me;
    return this.refresh();
  }

  /**
   * Reads the metagraph and balance now (after our own transaction, or when following someone new). Resolves
   * after a read that started after the call: asked during a read, it waits for one more (shared by every caller
   * who asked meanwhile), so a caller never gets a balance from before its transaction.
   */
  refresh(): Promise<void> {
    if (this.running) {
      return (this.next ??= this.running.then(() => {
        this.next = undefined;
        return this.started ? this.refresh() : undefined;
      }));
    }
    this.running = this.read().finally(() => (this.running = undefined));
    return this.running;
  }

  /** Unsubscribes and waits for a read in flight (and a start in progress). Safe to call twice. */
  async stop(): Promise<void> {
    this.started = false;
    this.abort?.abort();
    const starting = this.starting;
    this.starting = undefined;
    clearTimeout(this.timer);
    clearTimeout(this.watchdog);
    for (const off of this.unsubscribe.splice(0)) off();
    await starting?.catch(() => undefined);
    await (this.next ?? this.running);
  }

  private async subscribe(signal: AbortSignal): Promise<void> {
    if (signal.aborted) return;
    const { client } = this.components;
    const lost = (error: Error) => {
      if (signal.aborted) return;
      this.setProblem(oneLine(error));
      for (const off of this.unsubscribe.splice(0)) off();
      clearTimeout(this.timer);
      clearTimeout(this.watchdog);
      this.timer = setTimeout(() => void this.resubscribe(signal), this.reconnectMs);
      this.timer.unref();
    };
    // Kept here until both are made: stopped meanwhile, or failing halfway, nothing is left subscribed.
    const made: Array<() => void> = [];
    try {
      made.push(await client.subscribe('blocks', (b) => this.onBlock(b.height, b.txs), lost));
      // A finished epoch: the read records it (with our balance after it) from the ledger's history.
      made.push(await client.subscribe('epochs', () => void this.refresh(), lost));
    } catch (error) {
      for (const off of made) off();
      lost(error as Error);
      return;
    }
    if (signal.aborted) for (const off of made) off();
    else {
      this.unsubscribe.push(...made);
      this.armWatchdog(signal);
    }
  }

  private stallMs(): number {
    return this.init.stallMs ?? Math.max(30_000, 10 * (this.reading?.info.params.blockTimeMs ?? 1000));
  }

  /** Looks at the ledger after stallMs without a block; `height`: the chain's height as known now. */
  private armWatchdog(signal: AbortSignal, height = this.reading?.info.height ?? -1): void {
    clearTimeout(this.watchdog);
    this.watchdog = setTimeout(() => void this.noBlockFor(signal, height), this.stallMs());
    this.watchdog.unref();
  }

  /** No block heard for stallMs since the chain was at `known`: is it halted, or did the subscription die? */
  private async noBlockFor(signal: AbortSignal, known: number): Promise<void> {
    // Not subscribed: the connection was lost and resubscribing is under way.
    if (signal.aborted || this.unsubscribe.length === 0) return;
    let height = known;
    try {
      const info = await this.components.client.info();
      if (signal.aborted) return;
      height = info.height;
      if (info.height > known) {
        this.log.warn('the ledger makes blocks but none came through its subscription; subscribing again', {
          known,
          height: info.height,
        });
        for (const off of this.unsubscribe.splice(0)) off();
        await this.resubscribe(signal);
      } else {
        this.halted = `the ledger has made no block for over ${Math.round(this.stallMs() / 1000)} s (still at height ${info.height}): the chain is halted; on the embedded network see the log (a full disk?), on a joined one ask its validators`;
        this.setProblem(this.halted);
      }
    } catch (error) {
      if (!signal.aborted) this.setProblem(oneLine(error));
    }
    if (!signal.aborted && this.unsubscribe.length > 0) this.armWatchdog(signal, height);
  }

  /** After the connection dropped: subscribe again, and catch up on what was missed. */
  private async resubscribe(signal: AbortSignal): Promise<void> {
    if (signal.aborted) return;
    await this.subscribe(signal);
    if (this.unsubscribe.length > 0) await this.refresh();
  }

  private onBlock(height: number, txs: number): void {
    if (this.abort) this.armWatchdog(this.abort.signal, height);
    if (this.halted) {
      this.halted = undefined;
      this.setProblem(undefined);
    }
    if (this.reading) this.reading.info.height = Math.max(this.reading.info.height, height);
    this.events.emit('block', { height });
    if (txs > 0) this.txsSinceRead = true;
    if (this.txsSinceRead && Date.now() - this.lastMetagraphRead >= this.metagraphEveryMs) void this.refresh();
  }

  private setProblem(problem: string | undefined): void {
    if (problem === this.problem) return;
    this.problem = problem;
    if (problem) this.log.warn('cannot follow the ledger', { problem });
    this.events.emit('problem', problem);
  }

  private async read(): Promise<void> {
    const { client } = this.components;
    this.lastMetagraphRead = Date.now();
    this.txsSinceRead = false;
    try {
      const before = this.reading;
      const [info, changes, balance] = await Promise.all([
        client.info(),
        client.neuronChanges(this.metagraphHeight ?? -1),
        this.me ? client.balance(this.me.coldkey) : Promise.resolve(undefined),
      ]);
      // Only what changed since the last read comes (whole rows where weights were set, everyone's scores and
      // stake): ~1 MB less to read and check each time at 1,024 neurons. A ledger behind our last read (another
      // node, a restart) is read whole.
      let base = this.metagraphHeight === undefined ? [] : (before?.neurons ?? []);
      let delta = changes;
      if (this.metagraphHeight !== undefined && changes.height < this.metagraphHeight) {
        delta = await client.neuronChanges(-1);
        base = [];
      }
      let neurons: NeuronInfo[];
      try {
        neurons = applyNeuronChanges(base, delta);
      } catch {
        delta = await client.neuronChanges(-1); // what we held does not fit the changes: start again
        neurons = applyNeuronChanges([], delta);
      }
      this.metagraphHeight = delta.height;
      // The same array while the metagraph is the same, so that the snapshot and its diff skip it cheaply.
      const same = before && sameNeurons(before.neurons, neurons);
      this.reading = { info, neurons: same ? before.neurons : neurons, balance };
      this.setProblem(this.halted); // a halted chain answers reads: only the next block ends that
      this.events.emit('reading', this.reading);
      // Epochs finished since the last recorded (one at each epoch; more after a restart or a dropped connection).
      const last = this.history.at(-1)?.epoch ?? 0;
      if (this.me && balance && info.epoch > last) {
        await this.record(await client.epochHistory(Math.min(KEEP_EPOCHS, info.epoch - last)), info, balance);
      }
    } catch (error) {
      this.setProblem(oneLine(error));
    }
  }

  /** Adds the epochs after the last one recorded, with our scores and balance, and saves the history. */
  private async record(records: EpochInfo[], info: ChainInfo, balance: Balance): Promise<void> {
    const last = this.history.at(-1)?.epoch ?? 0;
    const fresh = records.filter((r) => r.epoch > last);
    if (fresh.length === 0 || !this.me) return;
    const total = formatAmount(balance.free + balance.staked);
    const now = Date.now();
    const points = fresh.map((record): EpochPoint => {
      const mine = record.neurons.find((n) => n.hotkey === this.me!.hotkey);
      return {
        epoch: record.epoch,
        block: record.block,
        time: now - Math.max(0, info.height - record.block) * info.params.blockTimeMs,
        emission: formatAmount(mine?.emission ?? 0n),
        balance: total,
        ...scoresOf(mine),
      };
    });
    this.history = [...this.history, ...points].slice(-KEEP_EPOCHS);
    for (const point of points) this.events.emit('epoch', point);
    try {
      await writeFileDurable(this.file, JSON.stringify(this.history));
    } catch (error) {
      this.log.warn('cannot save the earnings history; it is kept in memory', { error: oneLine(error) });
    }
  }
}

/** Whether two metagraph reads are the same (uids, stakes, scores, weights, addresses). */
function sameNeurons(a: NeuronInfo[], b: NeuronInfo[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (
      x.hotkey !== y.hotkey ||
      x.stake !== y.stake ||
      x.emission !== y.emission ||
      x.rank !== y.rank ||
      x.trust !== y.trust ||
      x.consensus !== y.consensus ||
      x.incentive !== y.incentive ||
      x.dividends !== y.dividends ||
      x.lastUpdate !== y.lastUpdate ||
      x.multiaddrs.join() !== y.multiaddrs.join() ||
      x.weights.length !== y.weights.length ||
      x.weights.some(([u, w], k) => u !== y.weights[k]![0] || w !== y.weights[k]![1])
    ) {
      return false;
    }
  }
  return true;
}
