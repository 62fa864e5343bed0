import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig, type Plugin } from 'vite';

/**
 * Writes _app/chunk-packages.json: for every client chunk, the npm packages its code comes from. The budget test and
 * the first-load benchmark read it to tell which chunks carry CosmJS (which must not load before a wallet connects).
 */
function chunkPackages(): Plugin {
  return {
    name: 'gridcoop-chunk-packages',
    apply: 'build',
    generateBundle(_options, bundle) {
      if (this.environment?.name !== 'client') return;
      const packages: Record<string, string[]> = {};
      for (const [fileName, output] of Object.entries(bundle)) {
        if (output.type !== 'chunk') continue;
        const names = new Set<string>();
        for (const id of output.moduleIds) {
          const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(id);
          if (match) names.add(match[1]!);
        }
        packages[fileName] = [...names].sort();
      }
      this.emitFile({ type: 'asset', fileName: '_app/chunk-packages.json', source: JSON.stringify(packages, null, 1) });
    },
  };
}

export default defineConfig({
  plugins: [sveltekit(), chunkPackages()],
  // `npm run ui` proxies the runtime configuration from a running system's UI server (see server/serve-ui.ts)
  server: {
    port: 5173,
    strictPort: false,
    proxy: { '/config.json': process.env.GRIDCOOP_UI_URL ?? 'http://127.0.0.1:8090' },
  },
  build: { target: 'es2022', chunkSizeWarningLimit: 1200 },
});
