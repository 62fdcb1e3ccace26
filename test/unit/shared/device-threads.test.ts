import { describe, expect, it } from 'vitest';
import { deviceWithThreads } from '../../../src/shared/training.js';

describe('a CPU backend in words with its threads', () => {
  it('adds more than one thread, replaces a count already there, and says nothing of one', () => {
    expect(deviceWithThreads('CPU, WebAssembly SIMD', 2)).toBe('CPU, WebAssembly SIMD, 2 threads');
    expect(deviceWithThreads('CPU, WebAssembly SIMD, 2 threads', 1)).toBe('CPU, WebAssembly SIMD');
    expect(deviceWithThreads('CPU, WebAssembly SIMD, 1 thread', 3)).toBe('CPU, WebAssembly SIMD, 3 threads');
    expect(deviceWithThreads('CPU, plain JavaScript', 1)).toBe('CPU, plain JavaScript');
  });
});
