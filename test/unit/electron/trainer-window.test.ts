import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  TRAINER_CSP,
  TRAINER_HEADERS,
  TRAINER_ORIGIN,
  TRAINER_URL,
  trainingRuntime,
  webGpuSwitches,
} from '../../../src/main/electron/policy/trainer.js';
import {
  APP_ORIGIN,
  isAppUrl,
  mayNavigate,
  mayRequest,
  resolveAppFile,
  TRAINER_HOST,
} from '../../../src/main/electron/policy/urls.js';
import { BACKEND_CHOICES } from '../../../src/shared/training.js';

describe('the training window', () => {
  it('trains every backend choice in the window but native TensorFlow, which needs Node (a utilityProcess)', () => {
    const runtimes = Object.fromEntries(BACKEND_CHOICES.map((b) => [b, trainingRuntime(b)]));
    expect(runtimes).toEqual({
      auto: 'window',
      webgpu: 'window',
      'tensorflow-gpu': 'utility',
      tensorflow: 'utility',
      wasm: 'window',
      cpu: 'window',
    });
    expect(trainingRuntime(undefined)).toBe('window');
  });

  it('turns WebGPU on only where Chromium keeps it behind flags (Linux)', () => {
    expect(webGpuSwitches('linux')).toEqual([['enable-unsafe-webgpu'], ['enable-features', 'Vulkan']]);
    expect(webGpuSwitches('win32')).toEqual([]);
    expect(webGpuSwitches('darwin')).toEqual([]);
  });

  it('is cross-origin isolated, and its CSP allows its own scripts, its WebAssembly and blob: threads only', () => {
    expect(TRAINER_HEADERS['cross-origin-opener-policy']).toBe('same-origin');
    expect(TRAINER_HEADERS['cross-origin-embedder-policy']).toBe('require-corp');
    const csp = Object.fromEntries(
      TRAINER_CSP.split(';').map((d) => {
        const [name, ...values] = d.trim().split(/\s+/);
        return [name!, values];
      }),
    );
    expect(csp['default-src']).toEqual(["'none'"]);
    expect(csp['script-src']).toEqual(["'self'", 'blob:', "'wasm-unsafe-eval'"]);
    expect(csp['worker-src']).toEqual(["'self'", 'blob:']);
    expect(csp['connect-src']).toEqual(["'self'"]);
  });

  it("has an origin of its own: its files are served from the trainer build, the dashboard's are not", () => {
    const trainer = '/app/dist/trainer';
    expect(TRAINER_URL).toBe('app://trainer/index.html');
    expect(isAppUrl(TRAINER_URL, TRAINER_HOST)).toBe(true);
    // Not the dashboard: no API bridge (the sender check uses isAppUrl's default host), no navigation there.
    expect(isAppUrl(TRAINER_URL)).toBe(false);
    expect(mayNavigate(TRAINER_URL)).toBe(false);
    expect(mayRequest(`${TRAINER_ORIGIN}/assets/worker.js`)).toBe(true);
    expect(resolveAppFile(trainer, `${TRAINER_ORIGIN}/assets/tfjs-backend-wasm-simd-1.wasm`, TRAINER_HOST)).toEqual({
      path: join(trainer, 'assets', 'tfjs-backend-wasm-simd-1.wasm'),
      contentType: 'application/wasm',
    });
    expect(resolveAppFile(trainer, `${APP_ORIGIN}/index.html`, TRAINER_HOST)).toBeNull();
    expect(resolveAppFile(trainer, `${TRAINER_ORIGIN}/..%2f..%2fsecret.js`, TRAINER_HOST)).toBeNull();
  });
});
