// Builds the console's page (`npm run build:console`) into dist/console, which `flowstate console`
// serves. Vite 8 transforms TSX itself (oxc): no React plugin.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = path.dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  root: here,
  base: '/',
  logLevel: 'warn',
  oxc: { jsx: { runtime: 'automatic', importSource: 'react' } },
  build: {
    outDir: process.env.FLOWSTATE_CONSOLE_OUT ?? path.resolve(here, '../../../dist/console'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 4000,
    sourcemap: false,
    rolldownOptions: {
      // @xyflow/react's "use client" means nothing here; the timings note is noise in a build log.
      onwarn(warning, warn) {
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE' || warning.code === 'PLUGIN_TIMINGS') return;
        warn(warning);
      },
    },
  },
});
