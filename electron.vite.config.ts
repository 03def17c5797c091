import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Plugin } from 'vite';
import { buildGuestPage } from './scripts/guest-page-build.mjs';

/**
 * The Twilio Live player's WASM worker must be served by the app itself (no CDN):
 * copy the SDK's browser bundle and its WASM worker (`@twilio/live-player-sdk/dist/build`) to
 * `out/renderer/player/`. The bundle is loaded as a script on first use (its CommonJS build
 * expects Node's `global`). The SDK's worker script is served as `ivs-wasmworker-<v>.min.js`;
 * under its own name the SDK gets `src/renderer/player/local-only-worker.js`, which keeps the
 * worker's requests on this computer and then loads the SDK's worker.
 */
function livePlayerAssets(): Plugin {
  const from = resolve('node_modules/@twilio/live-player-sdk/dist/build');
  const guard = readFileSync(resolve('src/renderer/player/local-only-worker.js'), 'utf8');
  return {
    name: 'onair-live-player-assets',
    apply: 'build',
    generateBundle() {
      for (const name of readdirSync(from).filter((file) => file.startsWith('twilio-live-player-wasmworker-') || file === 'twilio-live-player.min.js')) {
        const source = readFileSync(resolve(from, name));
        const worker = /^twilio-live-player-wasmworker-([\d-]+)\.min\.js$/.exec(name);
        if (!worker) {
          this.emitFile({ type: 'asset', fileName: `player/${name}`, source });
          continue;
        }
        const vendorName = `ivs-wasmworker-${worker[1]}.min.js`;
        if (!guard.includes(`importScripts('${vendorName}')`)) throw new Error(`local-only-worker.js must load ${vendorName} (the SDK's worker version changed)`);
        this.emitFile({ type: 'asset', fileName: `player/${vendorName}`, source });
        this.emitFile({ type: 'asset', fileName: `player/${name}`, source: guard });
      }
    },
  };
}

/**
 * The guest page (`src/guest`), built after the renderer into `out/renderer/guest/`, where the
 * network guest server serves it from (`scripts/guest-page-build.mjs`; the hosted copy for
 * Twilio-mode guests is `npm run build:guest-page`).
 */
function guestPage(): Plugin {
  return {
    name: 'onair-guest-page',
    apply: 'build',
    async closeBundle() {
      await buildGuestPage({ outDir: 'out/renderer/guest' });
    },
  };
}

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: {
          index: resolve('src/main/index.ts'),
          // The browser harness (`npm run studio:web`): same core, no Electron.
          harness: resolve('src/main/harness/index.ts'),
          // The `onair` command (bin/onair.js).
          cli: resolve('src/cli/main.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      // A sandboxed preload can only require('electron'): bundle everything else into one CommonJS file.
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve('src/preload/index.ts') },
        external: ['electron'],
        output: { format: 'cjs', entryFileNames: '[name].cjs', codeSplitting: false },
      },
    },
  },
  renderer: {
    root: 'src/renderer',
    plugins: [react(), livePlayerAssets(), guestPage()],
    build: {
      outDir: 'out/renderer',
      target: 'chrome130',
      rollupOptions: {
        input: {
          index: resolve('src/renderer/index.html'),
          'web-bridge': resolve('src/renderer/web-bridge.ts'),
        },
        output: {
          // The harness injects /web-bridge.js by name; everything else is content-hashed.
          entryFileNames: (chunk) => (chunk.name === 'web-bridge' ? 'web-bridge.js' : 'assets/[name]-[hash].js'),
        },
      },
    },
  },
});
