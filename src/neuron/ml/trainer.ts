import { seededRandom } from '../../shared/random.js';
import { tf } from './tf.js';
import type { Batch, Vocabulary } from './dataset.js';
import { ConvEncoder, type ConvEncoderConfig } from './encoders.js';
import { FusedAdam } from './fused-adam.js';
import { Gate, joinAnswers, type GateInit } from './gate.js';
import { dense, headCrossEntropies, type HeadLosses } from './ops.js';
import { normalValues, ParamSet, type Weights } from './params.js';

export interface TrainerInit {
  /** The output classes (a truncated vocabulary plus unknown). */
  vocab: Vocabulary;
  encoder: ConvEncoderConfig;
  /** Adam learning rate. Default 2e-3. */
  learningRate?: number;
  gate?: GateInit;
  /** Train the solo twin alongside (the baseline that never sees peers). Default true. */
  solo?: boolean;
  /** Apply the gradients peers send (false: the seeds' Feynmann neuron, which learns only from its own loss). Default true. */
  applyRemote?: boolean;
  /** Gradients received from peers applied per step at most; the rest wait or are dropped. Default 2. */
  remotePerStep?: number;
  /** Received gradients kept waiting at most (the oldest are dropped first). Default 8. */
  remoteQueue?: number;
}

/** What peers answered for a batch, in the order they were asked. */
export interface PeerAnswers {
  uids: number[];
  /** [batch * seq * dim] per peer, undefined where it did not answer. */
  outputs: Array<Float32Array | undefined>;
}

export interface StepResult {
  step: number;
  /** Cross-entropy with the peers' context (nats per token). */
  loss: number;
  /** The same model with its student in place of the peers. */
  lossStudent: number;
  /** The solo twin's loss on the same batch (undefined without a twin). */
  lossSolo: number | undefined;
  /** d loss / d answer for each peer that answered (undefined for the others): what goes back to it. */
  peerGrads: Array<Float32Array | undefined>;
  /** Mean gate weight each asked peer got. */
  gate: number[];
  /** Peers' gradients applied to the encoder in this step. */
  remoteApplied: number;
}

/**
 * Gradients by variable (the tfjs names, as Adam takes them): the net's (encoder, head, student and, when a
 * peer answered, the gate) and the solo twin's (undefined without a twin).
 */
export interface GradientUpdate {
  net: Record<string, tf.Tensor>;
  solo: Record<string, tf.Tensor> | undefined;
}

/** A GradientUpdate as flat arrays, keyed by names that are the same in every replica (Trainer.readGradients). */
export interface GradientValues {
  net: Record<string, Float32Array>;
  solo: Record<string, Float32Array> | undefined;
}

/** One batch's gradients and what its step reports, before any update (Trainer.computeGradients): tensors. */
export interface StepGradients {
  /** Rows (sequences) of the batch. */
  rows: number;
  update: GradientUpdate;
  /** d loss / d answer, [rows * seq, dim] per peer that answered (undefined for the others). */
  peerGrads: Array<tf.Tensor2D | undefined>;
  loss: tf.Scalar;
  lossStudent: tf.Scalar;
  lossSolo: tf.Scalar | undefined;
  /** Mean gate weight per asked peer. */
  gate: tf.Tensor1D;
}

/** What a step reports, read back from its StepGradients (readStepValues). */
export type StepValues = Omit<StepResult, 'step' | 'remoteApplied'>;

export interface Evaluation {
  /** Validation loss with the peers' context. */
  loss: number;
  lossStudent: number;
  lossSolo: number | undefined;
  /** Per uid: how much the loss rises when that peer's answer is masked out (the gate renormalized). */
  ablation: Map<number, number>;
}

/**
 * Adam's state, as a checkpoint keeps it: per optimizer ('adam' for the net, 'soloAdam' for the twin), its slots
 * by position ("0": the step count, then every variable's first moments, then its second moments, in the order
 * of the gradient maps) and each slot's shape.
 */
export interface OptimizerState {
  values: Record<string, Weights>;
  shapes: Record<string, number[][]>;
}

export interface RemoteGradient {
  inputs: Int32Array;
  grads: Float32Array;
  batch: number;
  /** Tokens per row (sequence length). */
  length: number;
  /** Sender's weight in [0, 1]: its stake times its weight on us, normalized by the caller. */
  weight: number;
}

/**
 * A neuron's learning loop in one place: its encoder, the gate over peers, the head (next-token prediction
 * from the local encoding joined with the peers' context), the student that learns to stand in for the
 * peers, and the solo twin that never sees them. One step trains all of them on one batch:
 *
 *   loss = CE(head[h ; ctx], y) + 0.5 CE(head[h ; s(h)], softmax(head[h ; ctx]) detached) + 0.5 CE(head[h ; s(h)], y)
 *
 * with gradients into the encoder, gate, head and student, and out to each peer's answer; the twin trains
 * CE(head'[h'], y) on the same batch. Gradients peers send us are applied to the encoder in the same step,
 * each scaled by the sender's weight.
 */
export class Trainer {
  readonly dim: number;
  readonly encoder: ConvEncoder;
  readonly gate: Gate;
  private readonly net: ParamSet;
  private readonly headW: tf.Variable;
  private readonly headB: tf.Variable;
  private readonly stu: { w1: tf.Variable; b1: tf.Variable; w2: tf.Variable; b2: tf.Variable };
  private readonly twin: { encoder: ConvEncoder; params: ParamSet; w: tf.Variable; b: tf.Variable } | undefined;
  private readonly optimizer: tf.Optimizer;
  private readonly soloOptimizer: tf.Optimizer | undefined;
  private readonly classOf: tf.Tensor1D;
  private readonly remote: RemoteGradient[] = [];
  private readonly remotePerStep: number;
  private readonly remoteQueue: number;
  /** tfjs name -> the variable's name within the trainer, and back (see readGradients). */
  private readonly portableNames = new Map<string, string>();
  private readonly byPortableName = new Map<string, tf.Variable>();
  steps = 0;
  /** Gradients from peers dropped because the queue was full. */
  remoteDropped = 0;

  constructor(readonly init: TrainerInit) {
    const cfg = init.encoder;
    const d = cfg.dim;
    const classes = init.vocab.size + 1;
    this.dim = d;
    this.encoder = new ConvEncoder(cfg, 'net/encoder');
    this.net = new ParamSet('net', cfg.seed + 1);
    this.gate = new Gate(this.net, d, { seed: cfg.seed, ...init.gate });
    // The twin's head starts as the first half of ours: the two differ only in what ours learns from peers.
    const headScale = 1 / Math.sqrt(2 * d);
    const headInit = (rows: number) => normalValues(seededRandom(cfg.seed + 2), [rows, classes], headScale);
    this.headW = this.net.fromValues('head/w', headInit(2 * d), [2 * d, classes]);
    this.headB = this.net.fromValues('head/b', init.vocab.logPrior, [classes]);
    this.stu = {
      w1: this.net.matrix('student/w1', d, 2 * d, 1.4),
      b1: this.net.constant('student/b1', [2 * d], 0),
      w2: this.net.matrix('student/w2', 2 * d, d),
      b2: this.net.constant('student/b2', [d], 0),
    };
    this.optimizer = new FusedAdam(init.learningRate ?? 2e-3);
    if (init.solo ?? true) {
      const params = new ParamSet('solo', cfg.seed + 1);
      const w = params.fromValues('head/w', headInit(d), [d, classes]);
      const b = params.fromValues('head/b', init.vocab.logPrior, [classes]);
      this.twin = { encoder: new ConvEncoder(cfg, 'solo/encoder'), params, w, b };
      this.soloOptimizer = new FusedAdam(init.learningRate ?? 2e-3);
    }
    this.classOf = tf.tensor1d(init.vocab.classOf, 'int32');
    this.remotePerStep = init.remotePerStep ?? 2;
    this.remoteQueue = init.remoteQueue ?? 8;
    const groups: Array<[string, ReadonlyMap<tf.Variable, string>]> = [
      ['encoder', this.encoder.variableKeys],
      ['net', this.net.keys],
      ...(this.twin
        ? ([
            ['soloEncoder', this.twin.encoder.variableKeys],
            ['solo', this.twin.params.keys],
          ] as Array<[string, ReadonlyMap<tf.Variable, string>]>)
        : []),
    ];
    for (const [group, keys] of groups) {
      for (const [v, key] of keys) {
        this.portableNames.set(v.name, `${group}/${key}`);
        this.byPortableName.set(`${group}/${key}`, v);
      }
    }
  }

  /** Queues a gradient a peer sent for its request's inputs; applied at the next steps. */
  receiveGradient(g: RemoteGradient): void {
    if (this.init.applyRemote === false) return;
    if (this.remote.length >= this.remoteQueue) {
      this.remote.shift();
      this.remoteDropped++;
    }
    this.remote.push(g);
  }

  /**
   * One training step on a batch with what peers answered for it: computeGradients, then applyGradients. The
   * update runs on the backend before the first await; the losses, gate weights and peers' gradients are read
   * back asynchronously after it.
   */
  async step(batch: Batch, answers: PeerAnswers): Promise<StepResult> {
    const computed = this.computeGradients(batch, answers);
    let remoteApplied: number;
    try {
      remoteApplied = this.applyGradients(computed.update);
    } catch (error) {
      releaseGradients(computed);
      throw error;
    } finally {
      releaseUpdate(computed.update);
    }
    const step = this.steps;
    const values = await readStepValues(computed);
    this.observeGate(answers, values.gate);
    return { step, ...values, remoteApplied };
  }

  /**
   * Forward and backward on a batch with what peers answered for it, changing nothing: the gradients of the
   * loss for the net (encoder, head, student and, when a peer answered, the gate) and for the solo twin, of each
   * peer's answer, and the losses and mean gate weights. Every loss is a mean over the batch's tokens. The
   * tensors are the caller's (readStepValues and releaseGradients free them).
   */
  computeGradients(batch: Batch, answers: PeerAnswers): StepGradients {
    const n = batch.batch * batch.seq;
    const d = this.dim;
    // Kept past the tidy scope for the caller.
    const peerGrads: Array<tf.Tensor2D | undefined> = [];
    const net: Record<string, tf.Tensor> = {};
    let solo: Record<string, tf.Tensor> | undefined;
    let gateMeans: tf.Tensor1D | undefined;
    let lossNet: tf.Scalar | undefined;
    let lossStudent: tf.Scalar | undefined;
    let lossSolo: tf.Scalar | undefined;
    try {
      tf.tidy(() => {
        const ids = tf.tensor2d(batch.inputs, [batch.batch, batch.seq], 'int32');
        const y = this.oneHot(batch.targets);
        const mask = answers.outputs.map((o) => o !== undefined);
        const given = answers.outputs.map((o) => (o ? tf.tensor2d(o, [n, d]) : undefined));
        const answered = given.filter((t): t is tf.Tensor2D => t !== undefined);
        const vars = [
          ...this.encoder.variables,
          ...this.studentAndHead(),
          ...(answered.length > 0 ? this.gate.variables : []),
        ];
        const f = (...xs: tf.Tensor[]): tf.Scalar => {
          const inputs = xs.slice(0, answered.length) as tf.Tensor2D[];
          let next = 0;
          const peers = given.map((t) => (t ? inputs[next++] : undefined));
          const h = tf.reshape(this.encoder.apply(ids), [n, d]) as tf.Tensor2D;
          const g = this.gate.mix(h, answers.uids, mask);
          // Kept past the tape (which disposes what f makes) for reading.
          gateMeans = tf.keep(tf.mean(g, 0) as tf.Tensor1D);
          const ctx = joinAnswers(g, peers, d);
          const net = this.headLosses(h, ctx, [y], true);
          const loss = (lossNet = tf.keep(tf.reshape(net.losses, []) as tf.Scalar));
          // The student's two targets on one softmax: the net's softmax (detached) and the true token.
          let offline: tf.Tensor1D;
          try {
            offline = this.headLosses(h, this.student(h), [net.softmax!, y]).losses;
          } finally {
            net.softmax!.dispose(); // the student's loss keeps what it needs of it
          }
          const [soft, student] = tf.unstack(offline) as tf.Scalar[];
          lossStudent = tf.keep(student!);
          return tf.add(loss, tf.mul(0.5, tf.add(soft!, student!))) as tf.Scalar;
        };
        const { grads } = tf.valueAndGrads(f)([...answered, ...vars]);
        let next = 0;
        for (const t of given) peerGrads.push(t ? (tf.keep(grads[next++]!) as tf.Tensor2D) : undefined);
        // Adam keeps its moments by position in this map: the same order every step (encoder, head and student, gate).
        vars.forEach((v, i) => (net[v.name] = tf.keep(grads[answered.length + i]!)));
        if (this.twin) {
          const twin = this.soloGradients(ids, y);
          lossSolo = tf.keep(twin.value);
          solo = Object.fromEntries(Object.entries(twin.grads).map(([name, g]) => [name, tf.keep(g)]));
        }
      });
    } catch (error) {
      tf.dispose([gateMeans, lossNet, lossStudent, lossSolo, ...peerGrads, ...Object.values(net)].filter(isTensor));
      if (solo) tf.dispose(Object.values(solo));
      throw error;
    }
    return {
      rows: batch.batch,
      update: { net, solo },
      peerGrads,
      loss: lossNet!,
      lossStudent: lossStudent!,
      lossSolo,
      gate: gateMeans!,
    };
  }

  /**
   * Applies one step's gradients: the queued peers' gradients are added to the net's (see addRemoteGradients),
   * then Adam updates the net and the twin's Adam the twin. Returns how many peers' gradients were applied. The
   * update's tensors stay the caller's.
   */
  applyGradients(update: GradientUpdate): number {
    return tf.tidy(() => {
      const net = { ...update.net };
      const applied = this.addRemoteGradients(net);
      this.applyUpdate({ net, solo: update.solo });
      return applied;
    });
  }

  /**
   * Applies gradients as they are, nothing added: Adam for the net, the twin's Adam for the twin (when both are
   * there), and counts the step. Replicas that share one averaged update call this.
   */
  applyUpdate(update: GradientUpdate): void {
    this.optimizer.applyGradients(update.net);
    if (this.soloOptimizer && update.solo) this.soloOptimizer.applyGradients(update.solo);
    this.steps++;
  }

  /**
   * Takes the queued peers' gradients (up to remotePerStep) and adds them to `named`, the net's gradients by
   * variable name (see sumRemoteGradients). Returns how many were added.
   */
  addRemoteGradients(named: Record<string, tf.Tensor>): number {
    const batch = this.pendingRemote();
    // Off the queue first: one that cannot be applied is not tried again.
    this.consumeRemote(batch);
    this.sumRemoteGradients(batch, named);
    return batch.length;
  }

  /** The queued peers' gradients the next step applies (up to remotePerStep); they stay queued (consumeRemote). */
  pendingRemote(): RemoteGradient[] {
    return this.remote.slice(0, this.remotePerStep);
  }

  /** Takes peers' gradients off the queue once applied (those still there: a full queue may have dropped some). */
  consumeRemote(applied: readonly RemoteGradient[]): void {
    for (const g of applied) {
      const at = this.remote.indexOf(g);
      if (at >= 0) this.remote.splice(at, 1);
    }
  }

  /**
   * Adds peers' gradients to `named`, the net's gradients by variable name, as VJPs through our encoder each
   * scaled by its sender's weight: the sums replace the entries they change (new tensors of the enclosing tidy
   * scope); into an empty map, the peers' gradients alone.
   */
  sumRemoteGradients(batch: readonly RemoteGradient[], named: Record<string, tf.Tensor>): void {
    for (const r of batch) {
      const ids = tf.tensor2d(r.inputs, [r.batch, r.length], 'int32');
      const upstream = tf.tensor3d(r.grads, [r.batch, r.length, this.dim]);
      const { grads } = tf.variableGrads(
        () => tf.sum(tf.mul(this.encoder.apply(ids), upstream)) as tf.Scalar,
        this.encoder.variables as tf.Variable[],
      );
      for (const [name, g] of Object.entries(grads)) {
        const scaled = tf.mul(g, r.weight);
        named[name] = named[name] ? tf.add(named[name], scaled) : scaled;
      }
    }
  }

  /** Folds a step's mean gate weights into the gate's running shares (the peers that answered only). */
  observeGate(answers: PeerAnswers, gate: readonly number[]): void {
    this.gate.observe(
      answers.uids.filter((_, i) => answers.outputs[i] !== undefined),
      gate.filter((_, i) => answers.outputs[i] !== undefined),
    );
  }

  /**
   * An update's gradients as flat arrays keyed by each variable's name within the trainer ("encoder/embedding",
   * "net/head/w", "soloEncoder/...", "solo/..."), the same in every thread and process; the order is kept.
   */
  async readGradients(update: GradientUpdate): Promise<GradientValues> {
    const read = async (named: Record<string, tf.Tensor>) => {
      const entries = Object.entries(named);
      const data = await Promise.all(entries.map(([, t]) => t.data() as Promise<Float32Array>));
      return Object.fromEntries(entries.map(([name, t], i) => [this.portableName(name, t), data[i]!]));
    };
    const [net, solo] = await Promise.all([read(update.net), update.solo && read(update.solo)]);
    return { net, solo };
  }

  /** The shape of a variable by its name within the trainer (readGradients' keys). */
  variableShape(key: string): number[] {
    return this.variable(key).shape;
  }

  private variable(key: string): tf.Variable {
    const v = this.byPortableName.get(key);
    if (!v) throw new Error(`no variable ${key}`);
    return v;
  }

  /**
   * Every variable's key (readGradients' names) in the order each step's gradient maps hold them, which is the
   * order of Adam's slots: the net's (encoder, head and student, then the gate, there once a peer answered) and
   * the twin's (empty without one).
   */
  gradientKeys(): { net: string[]; solo: string[] } {
    const keys = (vars: readonly tf.Variable[]) => vars.map((v) => this.portableName(v.name, v));
    const twin = this.twin;
    return {
      net: keys([...this.encoder.variables, ...this.studentAndHead(), ...this.gate.variables]),
      solo: twin ? keys([...twin.encoder.variables, twin.w, twin.b]) : [],
    };
  }

  /** The values of the variables `keys` name (readGradients' names). */
  async readVariables(keys: readonly string[]): Promise<Record<string, Float32Array>> {
    const data = await Promise.all(keys.map((key) => this.variable(key).data() as Promise<Float32Array>));
    return Object.fromEntries(keys.map((key, i) => [key, data[i]!]));
  }

  /** Sets variables by key (readVariables' values, here or in another replica); nothing changes if one does not fit. */
  writeVariables(values: Record<string, Float32Array>): void {
    const entries = Object.entries(values).map(([key, data]) => {
      const v = this.variable(key);
      if (data.length !== v.size) throw new Error(`${key} holds ${v.size} values, not ${data.length}`);
      return [v, data] as const;
    });
    tf.tidy(() => entries.forEach(([v, data]) => v.assign(tf.tensor(data, v.shape))));
  }

  /** Tensors for gradients readGradients() gave (here or in another replica), in their order; the caller's to free. */
  gradientTensors(values: GradientValues): GradientUpdate {
    const made: tf.Tensor[] = [];
    const build = (group: Record<string, Float32Array>) => {
      const named: Record<string, tf.Tensor> = {};
      for (const [key, data] of Object.entries(group)) {
        const v = this.byPortableName.get(key);
        if (!v) throw new Error(`no variable ${key} for a gradient`);
        if (data.length !== v.size)
          throw new Error(`the gradient of ${key} holds ${data.length} values, not ${v.size}`);
        const t = tf.tensor(data, v.shape);
        made.push(t);
        named[v.name] = t;
      }
      return named;
    };
    try {
      return { net: build(values.net), solo: values.solo && build(values.solo) };
    } catch (error) {
      tf.dispose(made);
      throw error;
    }
  }

  /** Validation losses on fixed batches, with an ablation of each peer that answered. */
  async evaluate(batches: ReadonlyArray<{ batch: Batch; answers: PeerAnswers }>): Promise<Evaluation> {
    let loss = 0;
    let lossStudent = 0;
    let lossSolo = 0;
    const rise = new Map<number, { sum: number; count: number }>();
    for (const { batch, answers } of batches) {
      const n = batch.batch * batch.seq;
      const d = this.dim;
      const mask = answers.outputs.map((o) => o !== undefined);
      // One tensor per batch, read once: [with every peer, student, solo twin (if any), without peer i for each answered i].
      const losses = tf.tidy(() => {
        const ids = tf.tensor2d(batch.inputs, [batch.batch, batch.seq], 'int32');
        const y = this.oneHot(batch.targets);
        const given = answers.outputs.map((o) => (o ? tf.tensor2d(o, [n, d]) : undefined));
        const h = tf.reshape(this.encoder.apply(ids), [n, d]) as tf.Tensor2D;
        const lossWith = (m: boolean[]) => {
          const g = this.gate.mix(h, answers.uids, m);
          return this.headLosses(h, joinAnswers(g, given, d), [y]).losses;
        };
        const parts = [lossWith(mask), this.headLosses(h, this.student(h), [y]).losses];
        if (this.twin) parts.push(this.soloLosses(ids, n, y));
        answers.uids.forEach((_, i) => {
          if (mask[i]) parts.push(lossWith(mask.map((m, j) => m && j !== i)));
        });
        return tf.concat(parts) as tf.Tensor1D;
      });
      let values: Float32Array;
      try {
        values = (await losses.data()) as Float32Array;
      } finally {
        losses.dispose();
      }
      const all = values[0]!;
      loss += all;
      lossStudent += values[1]!;
      let next = 2;
      if (this.twin) lossSolo += values[next++]!;
      answers.uids.forEach((uid, i) => {
        if (!mask[i]) return;
        const r = rise.get(uid) ?? { sum: 0, count: 0 };
        r.sum += values[next++]! - all;
        r.count++;
        rise.set(uid, r);
      });
    }
    const k = Math.max(batches.length, 1);
    return {
      loss: loss / k,
      lossStudent: lossStudent / k,
      lossSolo: this.twin ? lossSolo / k : undefined,
      ablation: new Map([...rise].map(([uid, r]) => [uid, r.sum / r.count])),
    };
  }

  /** Every weight of the trainer by name (encoder, gate, head, student, twin): a checkpoint's content. */
  async readWeights(): Promise<Record<string, Weights>> {
    const out: Record<string, Weights> = { encoder: await this.encoder.readWeights(), net: await this.net.read() };
    if (this.twin) {
      out['soloEncoder'] = await this.twin.encoder.readWeights();
      out['solo'] = await this.twin.params.read();
    }
    return out;
  }

  writeWeights(w: Record<string, Weights>): void {
    this.encoder.writeWeights(w['encoder'] ?? {});
    this.net.write(w['net'] ?? {});
    if (this.twin) {
      this.twin.encoder.writeWeights(w['soloEncoder'] ?? {});
      this.twin.params.write(w['solo'] ?? {});
    }
  }

  /**
   * Adam's state (its step count and moments) for a checkpoint: values by slot, and each slot's shape. tfjs
   * keeps the moments by position in the gradient map, which every step builds in the same order (encoder,
   * head and student, then the gate), so a restored state lines up with the same model.
   */
  async optimizerState(): Promise<OptimizerState> {
    const values: Record<string, Weights> = {};
    const shapes: Record<string, number[][]> = {};
    for (const [key, opt] of this.optimizers()) {
      const named = await opt.getWeights();
      try {
        const data = await Promise.all(named.map((w) => w.tensor.data() as Promise<Float32Array>));
        values[key] = Object.fromEntries(data.map((v, i) => [String(i), v]));
        shapes[key] = named.map((w) => w.tensor.shape);
      } finally {
        disposeCopies(named);
      }
    }
    return { values, shapes };
  }

  /**
   * Restores what optimizerState() returned; a mismatch throws before anything is changed. `resize`: the state
   * may hold another number of slots than the optimizer has now (a data-parallel thread's share of the moments,
   * or all of them again).
   */
  async restoreOptimizer(
    values: Record<string, Weights>,
    shapes: Record<string, number[][]>,
    options: { resize?: boolean } = {},
  ): Promise<void> {
    const plans: Array<[tf.Optimizer, Array<{ name: string; tensor: tf.Tensor }>]> = [];
    for (const [key, opt] of this.optimizers()) {
      const slots = shapes[key];
      const data = values[key];
      if (!slots || !data) continue;
      const current = await opt.getWeights();
      disposeCopies(current);
      if (!options.resize && current.length > 1 && current.length !== slots.length)
        throw new Error(`${key}: ${slots.length} slots, expected ${current.length}`);
      plans.push([
        opt,
        slots.map((shape, i) => {
          const v = data[String(i)];
          if (!v || v.length !== shape.reduce((a, b) => a * b, 1)) throw new Error(`${key}: slot ${i} does not fit`);
          return { name: current[i]?.name ?? `slot${i}`, tensor: tf.tensor(v, shape) };
        }),
      ]);
    }
    for (const [opt, weights] of plans) {
      await opt.setWeights(weights);
      tf.dispose(weights.map((w) => w.tensor)); // the optimizer's variables hold their own reference
    }
  }

  private optimizers(): Array<[string, tf.Optimizer]> {
    return [
      ['adam', this.optimizer],
      ...(this.soloOptimizer ? [['soloAdam', this.soloOptimizer] as [string, tf.Optimizer]] : []),
    ];
  }

  dispose(): void {
    this.encoder.dispose();
    this.net.dispose();
    this.twin?.encoder.dispose();
    this.twin?.params.dispose();
    this.optimizer.dispose();
    this.soloOptimizer?.dispose();
    this.classOf.dispose();
  }

  private studentAndHead(): tf.Variable[] {
    return [this.headW, this.headB, this.stu.w1, this.stu.b1, this.stu.w2, this.stu.b2];
  }

  private oneHot(targets: Int32Array): tf.Tensor2D {
    return tf.tidy(() => {
      const classes = tf.gather(this.classOf, tf.tensor1d(targets, 'int32')) as tf.Tensor1D;
      return tf.cast(tf.oneHot(classes, this.init.vocab.size + 1), 'float32') as tf.Tensor2D;
    });
  }

  /** The head's losses on [h ; ctx] against each target (headCrossEntropies: the logits are never kept). */
  private headLosses(h: tf.Tensor2D, ctx: tf.Tensor2D, targets: tf.Tensor2D[], keepSoftmax = false): HeadLosses {
    const x = tf.concat([h, ctx], 1) as tf.Tensor2D;
    return headCrossEntropies(x, this.headW as tf.Tensor2D, this.headB as tf.Tensor1D, targets, keepSoftmax);
  }

  /** The student: what the peers would add, from the local encoding alone. */
  private student(h: tf.Tensor2D): tf.Tensor2D {
    const hidden = tf.relu(tf.add(dense(h, this.stu.w1 as tf.Tensor2D), this.stu.b1)) as tf.Tensor2D;
    return tf.add(dense(hidden, this.stu.w2 as tf.Tensor2D), this.stu.b2) as tf.Tensor2D;
  }

  /** The solo twin's loss against y, as a [1] tensor. */
  private soloLosses(ids: tf.Tensor2D, n: number, y: tf.Tensor2D): tf.Tensor1D {
    const twin = this.twin!;
    const h = tf.reshape(twin.encoder.apply(ids), [n, this.dim]) as tf.Tensor2D;
    return headCrossEntropies(h, twin.w as tf.Tensor2D, twin.b as tf.Tensor1D, [y]).losses;
  }

  /** The solo twin's loss and gradients by variable name (tensors of the enclosing tidy scope; nothing is applied). */
  private soloGradients(ids: tf.Tensor2D, y: tf.Tensor2D): { value: tf.Scalar; grads: tf.NamedTensorMap } {
    const twin = this.twin!;
    const n = ids.shape[0] * ids.shape[1];
    const vars = [...twin.encoder.variables, twin.w, twin.b];
    return tf.variableGrads(() => tf.reshape(this.soloLosses(ids, n, y), []) as tf.Scalar, vars);
  }

  /** A variable's name within the trainer, from its tfjs name (unique per process, so not the same in a replica). */
  private portableName(name: string, t: tf.Tensor): string {
    const key = this.portableNames.get(name);
    if (key === undefined) throw new Error(`a gradient for ${name} ${JSON.stringify(t.shape)}, not a variable here`);
    return key;
  }
}

/**
 * Disposes what an optimizer's getWeights() made for the caller: the iteration count, a new scalar each call
 * (the other entries are the optimizer's own variables, which it keeps).
 */
function disposeCopies(named: Array<{ name: string; tensor: tf.Tensor }>): void {
  for (const w of named) if (w.name === 'iter') w.tensor.dispose();
}

/** Reads a step's losses, gate weights and peers' gradients, and frees every tensor of it. */
export async function readStepValues(computed: StepGradients): Promise<StepValues> {
  const read = async (t: tf.Tensor) => (await t.data()) as Float32Array;
  try {
    const [gate, loss, lossStudent, lossSolo, peerGrads] = await Promise.all([
      read(computed.gate),
      read(computed.loss),
      read(computed.lossStudent),
      computed.lossSolo && read(computed.lossSolo),
      Promise.all(computed.peerGrads.map((t) => t && read(t))),
    ]);
    return {
      loss: loss[0]!,
      lossStudent: lossStudent[0]!,
      lossSolo: lossSolo?.[0],
      peerGrads,
      gate: Array.from(gate),
    };
  } finally {
    releaseGradients(computed);
  }
}

/** Frees every tensor of a step's gradients (safe after readStepValues or releaseUpdate freed some). */
export function releaseGradients(computed: StepGradients): void {
  releaseUpdate(computed.update);
  const { gate, loss, lossStudent, lossSolo, peerGrads } = computed;
  tf.dispose([gate, loss, lossStudent, lossSolo, ...peerGrads].filter(isTensor));
}

/** Frees an update's tensors. */
export function releaseUpdate(update: GradientUpdate): void {
  tf.dispose(Object.values(update.net));
  if (update.solo) tf.dispose(Object.values(update.solo));
}

function isTensor(t: tf.Tensor | undefined): t is tf.Tensor {
  return t !== undefined;
}
