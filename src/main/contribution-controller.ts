import { availableParallelism } from 'node:os';
import { isGpuBackend } from '../shared/api.js';
import { TypedEvents } from '../shared/events.js';
import type { Logger } from '../shared/logger.js';
import type { Settings } from '../shared/settings.js';
import { contribution, type Contribution } from './contribution.js';

/** What the platform says about the user and the machine (Electron's powerMonitor; headlessPower otherwise). */
export interface PowerSource {
  /** Seconds since the last mouse or keyboard input; undefined where the platform cannot tell. */
  idleSeconds(): number | undefined;
  onBattery(): boolean;
  /** CPU temperature, °C, where the platform reports one. */
  temperatureC(): number | undefined;
}

/** What the controller's decisions drive: the running neuron's training. */
export interface TrainingControl {
  pause(): void;
  resume(): void;
  /**
   * Train this share of the time (a duty cycle, on every training thread alike): rest after each step so that
   * steps take this share.
   */
  throttle(share: number): void;
}

export interface ContributionControllerInit {
  /** How often the policy is looked at again without an event (idle time and the schedule move on), ms. Default 5000. */
  everyMs?: number;
}

export interface ContributionControllerComponents {
  settings: { readonly value: Settings };
  power: PowerSource;
  logger: Logger;
  /**
   * The name of the backend the neuron trains on (MinerSnapshot.backend.name; '-' before it runs): on a GPU
   * backend the GPU share applies. Default: none, the CPU share.
   */
  backend?: () => string;
  /** The training GPU's temperature, °C, where one is read (GpuStats). Default: none. */
  gpuTemperatureC?: () => number | undefined;
  /**
   * The threads the running training uses on the CPU (NeuronSupervisor.threads; undefined before it runs): the
   * CPU cores allowed are spread over them. Default: none, cpuPlan's threads for the cores.
   */
  threads?: () => number | undefined;
  /** The machine's logical CPU cores. Default: os.availableParallelism(). */
  cores?: number;
  /** The time now (tests pass their own). Default: the system clock. */
  now?: () => Date;
}

export interface ContributionEvents extends Record<string, unknown> {
  /** The decision changed: contributing, throttled, paused or waiting, and why. */
  change: Contribution;
}

/**
 * The contribution policy at work: decides from the settings, the user's Pause, the backend (CPU cores or GPU
 * share), the training's threads and the machine (idle time, battery, CPU and GPU temperature, schedule) whether
 * and how much to train, applies each change to the training it drives, and says so. Looks again on every event it is told of (apply) and every few seconds.
 */
export class ContributionController {
  readonly events: TypedEvents<ContributionEvents>;
  private decided: Contribution;
  private userPaused = false;
  private target: TrainingControl | undefined;
  private timer: NodeJS.Timeout | undefined;
  private since: number;
  private readonly now: () => Date;
  private readonly cores: number;
  private readonly log: Logger;

  constructor(
    private readonly components: ContributionControllerComponents,
    private readonly init: ContributionControllerInit = {},
  ) {
    this.log = components.logger.child('contribution');
    this.events = new TypedEvents<ContributionEvents>(this.log);
    this.now = components.now ?? (() => new Date());
    this.cores = components.cores ?? availableParallelism();
    this.decided = this.decide();
    this.since = this.now().getTime();
  }

  /** The decision in force. */
  get current(): Contribution {
    return this.decided;
  }

  /** Whether the user pressed Pause. */
  get paused(): boolean {
    return this.userPaused;
  }

  /** When contributing last started (ms since 1970): the stall alerts count from it. */
  get contributingSince(): number {
    return this.since;
  }

  /** Looks at the policy every few seconds. Safe to call twice. */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.apply(), this.init.everyMs ?? 5000);
    this.timer.unref();
  }

  /** Stops looking, and lets go of the training. Safe to call twice. */
  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.target = undefined;
  }

  /**
   * The training to drive (once the neuron runs), given the decision at once (decided again: the backend and the
   * threads, and with them the share that applies, are known from now); undefined to let go.
   */
  drive(target: TrainingControl | undefined): void {
    this.target = undefined;
    this.apply();
    this.target = target;
    if (target) this.enact(this.decided, undefined);
  }

  /** The user's Pause or Resume. */
  setUserPaused(paused: boolean): Contribution {
    this.userPaused = paused;
    return this.apply();
  }

  /** Decides again now (a power event, a settings change), and applies a change. */
  apply(): Contribution {
    const next = this.decide();
    const before = this.decided;
    this.decided = next;
    if (
      next.state !== before.state ||
      next.share !== before.share ||
      next.processor !== before.processor ||
      next.reason !== before.reason
    ) {
      this.enact(next, before);
      this.log.info('contribution', { state: next.state, reason: next.reason });
      this.events.emit('change', next);
    }
    return next;
  }

  private decide(): Contribution {
    const { power, settings, backend, gpuTemperatureC, threads } = this.components;
    return contribution(settings.value, {
      now: this.now(),
      idleSeconds: power.idleSeconds(),
      onBattery: power.onBattery(),
      temperatureC: power.temperatureC(),
      gpuTemperatureC: gpuTemperatureC?.(),
      onGpu: isGpuBackend(backend?.() ?? '-'),
      cores: this.cores,
      threads: threads?.(),
      userPaused: this.userPaused,
    });
  }

  private enact(next: Contribution, before: Contribution | undefined): void {
    if (next.share > 0 && !(before && before.share > 0)) this.since = this.now().getTime();
    const target = this.target;
    // The training knows only its share: a change of reason or state at the same share sends nothing.
    if (!target || (before && next.share === before.share)) return;
    if (next.share === 0) target.pause();
    else {
      target.throttle(next.share);
      target.resume();
    }
  }
}
