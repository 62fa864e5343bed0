import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

// A single-page app: every page renders in the browser (it reads the chain and the controller directly, as Cosmos
// apps do), so the build is static files plus an index.html fallback, served by server/serve-ui.ts.
/** @type {import('@sveltejs/kit').Config} */
export default {
  preprocess: vitePreprocess(),
  kit: {
    // GRIDCOOP_UI_OUT: server/build-ui.ts builds into a fresh folder and swaps it in, so a running server never
    // serves a half-written build
    adapter: adapter({
      pages: process.env.GRIDCOOP_UI_OUT ?? 'build',
      assets: process.env.GRIDCOOP_UI_OUT ?? 'build',
      fallback: 'index.html',
      strict: false,
    }),
    output: { bundleStrategy: 'split' },
  },
  compilerOptions: { runes: true },
};
