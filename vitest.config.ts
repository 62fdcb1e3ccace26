import { svelte } from '@sveltejs/vite-plugin-svelte';
import { svelteTesting } from '@testing-library/svelte/vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 30_000,
    reporters: ['default', './test/support/summary-reporter.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          include: ['test/**/*.test.ts'],
          exclude: ['test/component/**'],
          environment: 'node',
          setupFiles: ['./src/shared/polyfills.ts'],
        },
      },
      {
        // The dashboard's components in jsdom, compiled by Svelte's browser build (svelteTesting()).
        extends: true,
        plugins: [svelte(), svelteTesting()],
        test: {
          name: 'component',
          include: ['test/component/**/*.test.ts'],
          environment: 'jsdom',
          setupFiles: ['./test/component/setup.ts'],
        },
      },
    ],
  },
});
