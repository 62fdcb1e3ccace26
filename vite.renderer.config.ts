import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';

/** The dashboard's build: src/renderer -> dist/renderer, served by the host (headless) or loaded by Electron. */
export default defineConfig({
  root: 'src/renderer',
  base: './',
  plugins: [svelte()],
  build: { outDir: '../../dist/renderer', emptyOutDir: true, sourcemap: false },
  logLevel: 'warn',
});
