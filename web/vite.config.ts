// The workspace is a static single-page app: `vite build` (run by the install step) writes web/dist,
// which the API process serves beside /api. No dev server is needed to use it.
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
  },
  server: {
    // Vite's dev server is a program of its own, not claimflow's: it reads its one setting here.
    proxy: { '/api': process.env.CLAIMFLOW_API_URL ?? 'http://127.0.0.1:3000' },
  },
});
