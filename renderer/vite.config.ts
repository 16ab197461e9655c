import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { thirdPartyLicenses } from '../scripts/lib/licenses.mjs';

// Web build of the renderer (served by the web host, `npm run start:web`); electron-vite builds the same
// sources into out/renderer for the Electron host.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  // third-party-licenses.json beside index.html, for the About page (generated from this very bundle).
  plugins: [react(), thirdPartyLicenses({ root: fileURLToPath(new URL('..', import.meta.url)) })],
  build: {
    outDir: fileURLToPath(new URL('../dist-web', import.meta.url)),
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
  },
});
