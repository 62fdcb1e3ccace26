import { seededRandom } from '../../shared/random.js';
import { oneLine, UserError } from '../../shared/errors.js';
import { BACKENDS, type BackendChoice, type BackendName } from '../../shared/training.js';
import { tf, type BackendInfo, type BackendLoader } from './tf.js';
import type { Batch } from './dataset.js';
import { Trainer, type PeerAnswers, type TrainerInit } from './trainer.js';

/**
 * The self-test every candidate backend runs before the neuron trains on it: two training steps of the real
 * model (the neuron's encoder, vocabulary and batch size) on one fixed batch, with two peers' answers. The first
 * step's loss and the gradients sent back to the peers must match the WebAssembly reference within
 * SELF_TEST_TOLERANCE; the second step's time is what the ladder compares (the first one compiles shaders).
 */
export interface SelfTestCase {
  trainer: TrainerInit;
  batch: Batch;
}

export interface SelfTestResult {
  loss: number;
  /** The gradients for both peers' answers, one after the other. */
  grads: Float32Array;
  stepMs: number;
}

/**
 * Float32 on another device sums in another order: the loss may differ by this much relative to the reference,
 * and the gradients by this much in relative L2 norm (a wrong kernel is off by far more).
 */
export const SELF_TEST_TOLERANCE = { loss: 1e-3, grads: 1e-2 } as const;

const PEERS = 2;

/** One self-test on the current backend. */
export async function selfTest(c: SelfTestCase): Promise<SelfTestResult> {
  const trainer = new Trainer({ ...c.trainer, solo: false, applyRemote: false });
  try {
    const n = c.batch.batch * c.batch.seq * trainer.dim;
    const random = seededRandom(11);
    const answers: PeerAnswers = {
      uids: Array.from({ length: PEERS }, (_, i) => i + 1),
      outputs: Array.from({ length: PEERS }, () => Float32Array.from({ length: n }, () => random() - 0.5)),
    };
    const first = await trainer.step(c.batch, answers);
    const t0 = performance.now();
    await trainer.step(c.batch, answers);
    const stepMs = performance.now() - t0;
    const grads = new Float32Array(n * PEERS);
    first.peerGrads.forEach((g, i) => g && grads.set(g, i * n));
    return { loss: first.loss, grads, stepMs };
  } finally {
    trainer.dispose();
  }
}

/** How far a result is from the reference: the loss relative to it, the gradients in relative L2 norm. */
export function selfTestError(result: SelfTestResult, reference: SelfTestResult): { loss: number; grads: number } {
  const loss = Math.abs(result.loss - reference.loss) / Math.max(1, Math.abs(reference.loss));
  let diff = 0;
  let norm = 0;
  for (let i = 0; i < reference.grads.length; i++) {
    diff += (result.grads[i]! - reference.grads[i]!) ** 2;
    norm += reference.grads[i]! ** 2;
  }
  return { loss, grads: Math.sqrt(diff) / Math.max(Math.sqrt(norm), 1e-30) };
}

/** Why a result does not match the reference, or undefined when it does. */
export function mismatch(result: SelfTestResult, reference: SelfTestResult): string | undefined {
  const error = selfTestError(result, reference);
  if (!(error.loss <= SELF_TEST_TOLERANCE.loss)) {
    return `its loss ${result.loss.toFixed(5)} is not the reference's ${reference.loss.toFixed(5)}`;
  }
  if (!(error.grads <= SELF_TEST_TOLERANCE.grads)) {
    return `its gradients differ from the reference's by ${(error.grads * 100).toFixed(2)}%`;
  }
  return undefined;
}

export interface LadderComponents {
  /** Loads a backend in this runtime (Node: backend.ts's loadBackend; a browser Worker: browser/backend.ts). */
  load: BackendLoader;
  /** Where each rung's outcome is logged. */
  log?: (message: string, fields: Record<string, unknown>) => void;
}

/**
 * Chooses the backend to train on. `auto`: every rung that loads here (a software WebGPU adapter does not)
 * runs the self-test; the fastest whose results match the reference (wasm, or cpu where wasm cannot load) wins,
 * and `passedOver` says why each other rung was not used. One backend by name: it must load and, unless it is
 * the reference itself, pass the self-test, or the neuron does not start (a one-line error says why).
 * Leaves the chosen backend current.
 */
export async function chooseBackend(
  choice: BackendChoice,
  c: SelfTestCase,
  components: LadderComponents,
): Promise<BackendInfo> {
  const log = components.log ?? (() => undefined);
  const loadBackend = components.load;
  if (choice !== 'auto') {
    const { info: refInfo, result: reference } = await referenceRun(c, loadBackend);
    if (choice === refInfo.name) return { ...refInfo, stepMs: reference.stepMs };
    const info = await loadBackend(choice, { allowSoftware: true }).catch((error: unknown) => {
      throw new UserError(`--backend ${choice} cannot start here: ${oneLine(error)}`);
    });
    const result = await selfTest(c);
    const wrong = mismatch(result, reference);
    if (wrong) throw new UserError(`--backend ${choice} fails its self-test: ${wrong}; use another --backend`);
    log('backend self-test', {
      backend: choice,
      stepMs: result.stepMs,
      reference: refInfo.name,
      error: selfTestError(result, reference),
    });
    return { ...info, stepMs: result.stepMs };
  }
  const reasons = new Map<BackendName, string>();
  const loaded: BackendName[] = [];
  for (const name of BACKENDS) {
    if (name === 'cpu' || name === 'wasm') continue;
    await loadBackend(name).then(
      () => loaded.push(name),
      (error: unknown) => reasons.set(name, oneLine(error)),
    );
  }
  const passedOverNow = () => BACKENDS.filter((b) => reasons.has(b)).map((b) => `${b}: ${reasons.get(b)}`);
  // Nothing to choose between: the reference, without spending two training steps on a self-test.
  if (loaded.length === 0)
    return { ...(await loadBackend('wasm').catch(() => loadBackend('cpu'))), passedOver: passedOverNow() };
  const { info: refInfo, result: reference } = await referenceRun(c, loadBackend);
  const passed: Array<{ info: BackendInfo; stepMs: number }> = [{ info: refInfo, stepMs: reference.stepMs }];
  for (const name of loaded) {
    try {
      const info = await loadBackend(name);
      const result = await selfTest(c);
      const wrong = mismatch(result, reference);
      log('backend self-test', {
        backend: name,
        stepMs: result.stepMs,
        reference: refInfo.name,
        error: selfTestError(result, reference),
        wrong,
      });
      if (wrong) reasons.set(name, `fails its self-test: ${wrong}`);
      else passed.push({ info, stepMs: result.stepMs });
    } catch (error) {
      reasons.set(name, `fails its self-test: ${oneLine(error)}`);
    }
  }
  const best = passed.reduce((a, b) => (b.stepMs < a.stepMs ? b : a));
  for (const p of passed) {
    if (p !== best) {
      reasons.set(
        p.info.name,
        `slower in the self-test (${p.stepMs.toFixed(0)} ms a step against ${best.stepMs.toFixed(0)} ms)`,
      );
    }
  }
  await loadBackend(best.info.name);
  return { ...best.info, stepMs: best.stepMs, passedOver: passedOverNow() };
}

/** The reference: wasm, or the pure-JS cpu backend where wasm cannot load. */
async function referenceRun(
  c: SelfTestCase,
  loadBackend: BackendLoader,
): Promise<{ info: BackendInfo; result: SelfTestResult }> {
  const info = await loadBackend('wasm').catch(() => loadBackend('cpu'));
  return { info, result: await selfTest(c) };
}

export { tf };
