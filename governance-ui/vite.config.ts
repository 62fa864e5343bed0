import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [sveltekit()],
  // `npm run ui` proxies the runtime configuration from a running system's UI server (see server/serve-ui.ts)
  server: {
    port: 5173,
    strictPort: false,
    proxy: { '/config.json': process.env.GRIDCOOP_UI_URL ?? 'http://127.0.0.1:8090' },
  },
  build: { target: 'es2022', chunkSizeWarningLimit: 1200 },
});
