import type { Weights } from './params.js';
import type { OptimizerState } from './trainer.js';

/**
 * Adam's state split between data-parallel threads and joined again. Each thread keeps the moments of the
 * variables it updates (assignOwners in data-parallel.ts); a checkpoint, or a thread that goes on alone, needs
 * all of them in the order one optimizer keeps them (by position: the order of the step's gradient map). Here
 * the positional slots are named by variable and back.
 */

/** Variables' keys (Trainer.gradientKeys' names) per group, in the order the optimizers are given them. */
export interface GroupKeys {
  net: readonly string[];
  solo: readonly string[];
}

/** One optimizer's state by variable: its step count (slot "0", as read) and each variable's moments. */
export interface KeyedOptimizer {
  count: Float32Array;
  moments: Map<string, { m: Float32Array; v: Float32Array; shape: number[] }>;
}

/** Every optimizer's state by variable ('adam': the net's variables, 'soloAdam': the twin's). */
export type KeyedState = Record<string, KeyedOptimizer>;

const OPTIMIZERS: ReadonlyArray<readonly [string, keyof GroupKeys]> = [
  ['adam', 'net'],
  ['soloAdam', 'solo'],
];

/** `state`'s moments named by variable: `keys` are the variables its optimizers were given, in that order. */
export function keyedState(state: OptimizerState, keys: GroupKeys): KeyedState {
  const out: KeyedState = {};
  for (const [name, group] of OPTIMIZERS) {
    const slots = state.values[name];
    const shapes = state.shapes[name];
    if (!slots || !shapes) continue;
    const n = (shapes.length - 1) / 2;
    const names = keys[group];
    if (!Number.isInteger(n) || n > names.length)
      throw new Error(`${name}: ${shapes.length} slots do not fit ${names.length} variables`);
    const slot = (i: number) => {
      const v = slots[String(i)];
      if (!v) throw new Error(`${name}: slot ${i} is missing`);
      return v;
    };
    const moments = new Map<string, { m: Float32Array; v: Float32Array; shape: number[] }>();
    for (let i = 0; i < n; i++) moments.set(names[i]!, { m: slot(1 + i), v: slot(1 + n + i), shape: shapes[1 + i]! });
    out[name] = { count: slot(0), moments };
  }
  return out;
}

/**
 * The optimizers' slots for the variables `keys` names, in that order: up to the last one that has moments, a
 * variable without any gets zeros (an optimizer that has not seen it yet).
 */
export function slotState(keyed: KeyedState, keys: GroupKeys, shape: (key: string) => number[]): OptimizerState {
  const values: Record<string, Weights> = {};
  const shapes: Record<string, number[][]> = {};
  for (const [name, group] of OPTIMIZERS) {
    const state = keyed[name];
    if (!state) continue;
    const names = keys[group];
    let count = 0;
    names.forEach((key, i) => {
      if (state.moments.has(key)) count = i + 1;
    });
    const parts = names.slice(0, count).map((key) => {
      const own = state.moments.get(key);
      if (own) return own;
      const s = shape(key);
      const zeros = () => new Float32Array(s.reduce((a, b) => a * b, 1));
      return { m: zeros(), v: zeros(), shape: s };
    });
    const slots = [state.count, ...parts.map((p) => p.m), ...parts.map((p) => p.v)];
    values[name] = Object.fromEntries(slots.map((v, i) => [String(i), v]));
    shapes[name] = [[], ...parts.map((p) => p.shape), ...parts.map((p) => p.shape)];
  }
  return { values, shapes };
}

/** Several threads' states as one: the step count of the first that has the optimizer; a variable's moments from the first that has them. */
export function joinKeyed(parts: readonly KeyedState[]): KeyedState {
  const out: KeyedState = {};
  for (const part of parts) {
    for (const [name, state] of Object.entries(part)) {
      const into = (out[name] ??= { count: state.count, moments: new Map() });
      for (const [key, m] of state.moments) if (!into.moments.has(key)) into.moments.set(key, m);
    }
  }
  return out;
}

/** The keys `owner` accepts, per group, in their order. */
export function ownKeys(keys: GroupKeys, owns: (key: string) => boolean): GroupKeys {
  return { net: keys.net.filter(owns), solo: keys.solo.filter(owns) };
}
