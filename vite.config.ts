import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { VitePWA } from 'vite-plugin-pwa';

// Relative asset paths, so `dist/` works from any sub-path of any static host.
export default defineConfig({
  base: './',
  plugins: [
    svelte(),
    VitePWA({
      registerType: 'autoUpdate',
      injectRegister: false,
      manifest: {
        name: 'Sprint Zero',
        short_name: 'Sprint Zero',
        description: 'Offline audit of whether data is ready for machine learning.',
        theme_color: '#1d3557',
        background_color: '#ffffff',
        display: 'standalone',
        start_url: './',
        icons: [{ src: 'icon.svg', sizes: 'any', type: 'image/svg+xml' }],
      },
      workbox: {
        // Precache everything, wasm included: after one visit the app works with the network off.
        // Only the eh DuckDB bundle is precached; every current browser supports wasm exceptions,
        // and the mvp fallback (39 MB) would double the cache for browsers we do not target.
        globPatterns: ['**/*.{js,css,html,svg,wasm,csv,json,webmanifest}'],
        globIgnores: ['**/duckdb-mvp-*.wasm', '**/duckdb-browser-mvp.worker-*.js'],
        maximumFileSizeToCacheInBytes: 64 * 1024 * 1024,
        navigateFallback: 'index.html',
        cleanupOutdatedCaches: true,
      },
    }),
  ],
  worker: { format: 'es' },
  build: { target: 'es2022', chunkSizeWarningLimit: 2048 },
  optimizeDeps: { exclude: ['@duckdb/duckdb-wasm', 'parquet-wasm'] },
  preview: { port: 4173, strictPort: true },
});
