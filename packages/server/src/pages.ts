import fastifyStatic from '@fastify/static';
import { buildEmbed } from '@threadline/embed/build';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { cp, mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repositoryRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** The browser pages `npm start` serves: the demo site and the inbox, each an HTML page with one TypeScript entry. */
export const PAGES = [
  { route: '/demo/', source: join(repositoryRoot, 'examples/demo') },
  { route: '/inbox/', source: join(repositoryRoot, 'packages/server/pages/inbox') },
  { route: '/examples/headless/', source: join(repositoryRoot, 'examples/headless') },
] as const;

/**
 * Bundles each page's main.ts with Rolldown (the bundler inside Vite) into
 * `outDir`, next to a copy of its HTML and CSS. Takes well under a second, so
 * `npm start` needs no separate build step.
 */
export async function buildPages(outDir: string): Promise<void> {
  const { rolldown } = await import('rolldown');
  for (const page of PAGES) {
    const target = join(outDir, page.route);
    await mkdir(target, { recursive: true });
    await cp(page.source, target, { recursive: true, filter: (file) => !file.endsWith('.ts') });
    const bundle = await rolldown({ input: join(page.source, 'main.ts'), platform: 'browser', transform: { target: 'es2022' } });
    await bundle.write({ file: join(target, 'main.js'), format: 'es', minify: true, codeSplitting: false });
    await bundle.close();
  }
  // The script tag: /threadline.js and its chunks under /threadline/.
  await buildEmbed(outDir);
}

/**
 * The script tag runs on other sites: its module chunks are fetched in CORS mode, so
 * any origin may read them (they hold no data). Chunk names carry a content hash and
 * never change; threadline.js keeps its name, so caches must revalidate it soon.
 */
function embedHeaders(reply: FastifyReply, path: string): void {
  // With preCompressed, `path` is the .gz or .br copy that is sent.
  const file = path.replaceAll('\\', '/').replace(/\.(gz|br)$/, '');
  if (!/\/threadline(\.js|\/[^/]+\.js)$/.test(file)) return;
  reply.header('Access-Control-Allow-Origin', '*');
  reply.header('Cross-Origin-Resource-Policy', 'cross-origin');
  reply.header('Cache-Control', file.endsWith('/threadline.js') ? 'public, max-age=300, stale-while-revalidate=86400' : 'public, max-age=31536000, immutable');
}

/** Serves the built pages, and sends `/` to the demo. */
export async function servePages(app: FastifyInstance, outDir: string): Promise<void> {
  await app.register(fastifyStatic, { root: resolve(outDir), prefix: '/', index: ['index.html'], redirect: true, preCompressed: true, setHeaders: embedHeaders });
  app.get('/', async (_request, reply) => reply.redirect('/demo/'));
}
