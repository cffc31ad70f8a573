import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The kiosk is built to renderer/dist and served by the server (browser fallback) or loaded by
// Electron over app://. Relative asset paths work for both.
export default defineConfig({
  root: import.meta.dirname,
  base: './',
  plugins: [react()],
  build: {
    outDir: 'dist', emptyOutDir: true, target: 'chrome120',
    // The counter, the print page of documents for printers with a system driver, and the admin app
    // (admin.html, served by the server at /admin to a browser).
    rollupOptions: { input: { main: 'index.html', print: 'print.html', admin: 'admin.html' } },
    // bwip-js makes the print page's chunk large; it loads from the PC's disk, not a network.
    chunkSizeWarningLimit: 2000,
  },
  server: { proxy: { '/api': 'http://127.0.0.1:8080' } },
});
