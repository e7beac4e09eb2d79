/// <reference types="vitest/config" />
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The console is served by the API itself: the build goes to the API's web root (gitignored), with no inline
// script, so a strict Content-Security-Policy (script-src 'self') holds. File names are fixed, without content
// hashes: MSBuild lists wwwroot when it loads the API project, before this build runs, and a hashed name from an
// earlier build would be a file that no longer exists (the server revalidates with ETags instead).
export default defineConfig({
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../../src/Api/wwwroot', import.meta.url)),
    emptyOutDir: true,
    modulePreload: { polyfill: false },
    rolldownOptions: {
      output: {
        entryFileNames: 'assets/console.js',
        chunkFileNames: 'assets/[name].js',
        assetFileNames: 'assets/console[extname]',
      },
    },
  },
  server: {
    // `npm run dev` against `dotnet run --project src/Api` on its default port.
    proxy: { '/api': 'http://localhost:5000' },
  },
  test: {
    include: ['packages/*/test/**/*.test.ts'],
    environment: 'node',
  },
});
