import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { rolldown } from 'rolldown';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** Where the browser build of @threadline/core goes; the contract server serves it as `/core/*`. */
export const CORE_BUILD_DIR = fileURLToPath(new URL('../.build/core/', import.meta.url));

/**
 * Bundles `packages/core/src/index.ts` for the browser, as an ES module with its
 * lazy chunks (the zod validators load on first use, as on a real site), so the
 * specs run the code a host page would run. Playwright's globalSetup.
 */
export default async function buildHarness(): Promise<void> {
  await rm(CORE_BUILD_DIR, { recursive: true, force: true });
  const bundle = await rolldown({
    input: { index: 'packages/core/src/index.ts' },
    cwd: root,
    platform: 'browser',
    logLevel: 'warn',
  });
  try {
    await bundle.write({
      dir: CORE_BUILD_DIR,
      format: 'es',
      entryFileNames: '[name].js',
      chunkFileNames: 'chunks/[name]-[hash].js',
      sourcemap: true,
    });
  } finally {
    await bundle.close();
  }
}
