import { defineConfig } from 'vite';

// The bench harness page, built to bench/out/harness and served by a second server process.
export default defineConfig({
  root: import.meta.dirname,
  base: './',
  logLevel: 'warn',
  build: { outDir: '../out/harness', emptyOutDir: true, target: 'chrome120', minify: false, rollupOptions: { input: 'harness.html' } },
});
