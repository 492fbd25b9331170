// Builds the script tag for the browser (Node only; the server runs it at start-up):
//   threadline.js              the loader, an IIFE (a classic script works in any <script> tag)
//   threadline/app-<hash>.js   the app chunk it imports on demand, and the ESM chunks
//   threadline/<hash>.js       the rest is split into (CHUNK_GROUPS says which)
// and reports which chunks each way of using the widgets downloads, followed through
// Rolldown's chunk graph, for the size budgets.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { CodeSplittingGroup, OutputChunk } from 'rolldown';

const SOURCE = dirname(fileURLToPath(import.meta.url));

/** A way of using the widgets, named after the widget the visitor opens. */
export type EmbedPath = 'chat' | 'callback' | 'form';

/** Downloads that only some sites or pages add to the paths. */
export type EmbedExtra = 'triggers' | 'overrides' | 'messengers';

/** What `buildEmbed` wrote. */
export interface EmbedBuild {
  /** The loader's bytes (threadline.js). */
  loader: string;
  /** The app chunk's file name under `threadline/`. */
  appFile: string;
  /** Every ESM chunk under `threadline/`, by file name. */
  chunks: Map<string, OutputChunk>;
  /** For each path, the files (after the loader) a visitor downloads by the time that widget is open. */
  paths: Record<EmbedPath, string[]>;
  /**
   * What some sites or pages add: the trigger engine (a site with triggers, as the widgets
   * mount), the checks of a page's own `threadline('config', …)` overrides, and "Continue in
   * Telegram" (a site that offers Telegram, with the chat).
   */
  extras: Record<EmbedExtra, string[]>;
  /** Lazily imported modules no group of LAZY_GROUPS claims: the budgets cannot tell who downloads them. */
  unplaced: string[];
}

// Where modules go beyond Rolldown's automatic split (one chunk per dynamic import, shared
// code in common chunks). The browser fetches and gunzips every file on its own, and each
// file loses a few hundred bytes of compression at its seams, so each path should download few files:
//   app   captures the entry, so it IS the entry chunk: with it, what every path downloads
//         as the widgets mount (core's commands, validators and request code, the request
//         errors and visitor token the socket session shares with them, the business-hours
//         answer the trigger engine shares with the chat)
//   chat  what only the chat downloads: the socket session and wire client, the chat panel,
//         the offline (away) form, and the title blink and sound for messages that arrive while
//         closed ("Continue in Telegram" stays its own chunk, for sites that offer Telegram)
// The rest stays one chunk per dynamic import: the trigger engine, the callback and the lead
// form panels (the parts they share in one common chunk), the business-hours arithmetic, and
// the strings, per locale and section. Measured on the three paths (per-file gzip sums, site
// with triggers, 2026-11-23): one chunk per locale adds the callback and form strings to the
// chat (+520 B); common+chat per locale needs namespace wrappers and Rolldown then
// splits its runtime helpers into a file of their own that every path downloads
// (chat −100 B, callback and form +280 B); the shared form parts in the app add ≈800 B to the chat.
const CHUNK_GROUPS: CodeSplittingGroup[] = [
  { name: 'app', priority: 2, test: /packages[\\/](embed[\\/]src[\\/]app\.ts$|core[\\/]src[\\/](internal[\\/]commands|adapters[\\/]http-transport|open-now-at)\.)/ },
  { name: 'chat', priority: 1, test: /packages[\\/](adapter-socket[\\/]src[\\/]internal[\\/](socket-session|wire-errors|wire[\\/])|widgets[\\/]src[\\/](chat[\\/](?!continue-in-telegram)|attention\.))/ },
];

// Lazily imported modules (the targets of import()), grouped by who downloads them. Every one
// must fall in a group: a new one fails the size check (scripts/build-embed-size.ts) until it
// is placed, so a budget never silently misses a download.
const LAZY_GROUPS: Record<string, RegExp> = {
  // A site with triggers downloads the engine as the widgets mount (an extra of every path).
  // The history watch loads with it (or when a page listens for `page` events).
  triggers: /packages\/embed\/src\/internal\/(run-triggers|history-watch)\./,
  // A site that offers Telegram downloads "Continue in Telegram" with the chat (an extra of the chat).
  messengers: /packages\/widgets\/src\/chat\/continue-in-telegram\./,
  // A page that calls threadline('config', …) downloads the checks of its overrides (an extra of every path).
  overrides: /packages\/embed\/src\/internal\/read-config\./,
  // The chat reads open/closed from the server's openNow; it loads the hours arithmetic only
  // when a page outlives that answer.
  businessHours: /packages\/core\/src\/business-hours\./,
  // core's commands, validators and request code: any widget that sends needs them.
  core: /packages\/core\/src\//,
  socket: /packages\/adapter-socket\/src\/internal\/|node_modules\/(socket\.io-client|engine\.io-client|socket\.io-parser|engine\.io-parser)\//,
  // The offline form, and the title blink and sound, count for the chat as the worst case.
  chat: /packages\/widgets\/src\/(chat\/|attention\.)/,
  callback: /packages\/widgets\/src\/callback\//,
  form: /packages\/widgets\/src\/lead-form\//,
  // One locale is downloaded, by sections: English stands for any of them in the budgets.
  // common loads when the widgets mount; each panel's with the panel (the chat's with its offline form's).
  strings: /packages\/widgets\/src\/locales\/en\/common\./,
  chatStrings: /packages\/widgets\/src\/locales\/en\/chat\./,
  callbackStrings: /packages\/widgets\/src\/locales\/en\/callback\./,
  formStrings: /packages\/widgets\/src\/locales\/en\/form\./,
  otherLocales: /packages\/widgets\/src\/locales\/(ru|uk|pl)\//,
};
const PATH_GROUPS: Record<EmbedPath, string[]> = {
  chat: ['core', 'socket', 'chat', 'strings', 'chatStrings'],
  callback: ['core', 'callback', 'strings', 'callbackStrings'],
  form: ['core', 'form', 'strings', 'formStrings'],
};
/** Modules that must never be part of the callback or form download. */
export const SOCKET_MODULES = /packages\/adapter-socket\/src\/internal\/(wire\/|socket-session\.)|node_modules\/(socket\.io-client|engine\.io-client)\//;

/**
 * Bundles the loader and the app chunk into `outDir` (emptied first), minified, with
 * `.gz` and `.br` copies next to each file for servers that send them as they are.
 */
export async function buildEmbed(outDir: string): Promise<EmbedBuild> {
  const { rolldown } = await import('rolldown');
  const chunkDir = join(outDir, 'threadline');
  await rm(chunkDir, { recursive: true, force: true });
  await mkdir(chunkDir, { recursive: true });

  // 'allow-extension': the modules the app chunk imports statically stay in it even when a
  // lazy chunk shares them (otherwise each becomes a chunk of its own, with import glue and
  // a request, all downloaded with the app anyway); of the comments only licences stay, not
  // the minifier's /* @__PURE__ */ notes, which nothing reads after the build. Lazy chunks are named by
  // their content hash alone (36 bits; served immutable): the app chunk names each one it
  // may import, and their import statements name the app chunk, ~100 B gzip of names.
  const lazyModules = new Set<string>();
  const app = await rolldown({
    input: { app: join(SOURCE, 'app.ts') },
    preserveEntrySignatures: 'allow-extension',
    platform: 'browser',
    transform: { target: 'es2022' },
    logLevel: 'warn',
    plugins: [{ name: 'threadline:lazy-modules', moduleParsed: (info) => info.dynamicallyImportedIds.forEach((id) => lazyModules.add(id)) }],
  });
  const { output } = await app.write({
    dir: chunkDir,
    format: 'es',
    minify: true,
    comments: { legal: true, annotation: false, jsdoc: false },
    entryFileNames: '[name]-[hash].js',
    chunkFileNames: '[hash:6].js',
    codeSplitting: { groups: CHUNK_GROUPS },
  });
  await app.close();
  const chunks = new Map(output.filter((item): item is OutputChunk => item.type === 'chunk').map((chunk) => [chunk.fileName, chunk]));
  const entry = [...chunks.values()].find((chunk) => chunk.isEntry);
  if (!entry) throw new Error('the embed build produced no app chunk');

  const loader = await rolldown({
    input: join(SOURCE, 'loader.ts'),
    platform: 'browser',
    transform: { target: 'es2022', define: { __THREADLINE_APP__: JSON.stringify(entry.fileName) } },
    logLevel: 'warn',
  });
  const loaded = await loader.write({ file: join(outDir, 'threadline.js'), format: 'iife', minify: true });
  await loader.close();
  const loaderCode = loaded.output[0].code;

  for (const [file, code] of [[join(outDir, 'threadline.js'), loaderCode], ...[...chunks.values()].map((chunk) => [join(chunkDir, chunk.fileName), chunk.code])] as const) {
    await writeFile(`${file}.gz`, gzipSync(code, { level: 9 }));
    await writeFile(`${file}.br`, brotliCompressSync(code, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
  }
  return { loader: loaderCode, appFile: entry.fileName, chunks, ...downloadPaths(entry, chunks, lazyModules) };
}

function downloadPaths(entry: OutputChunk, chunks: Map<string, OutputChunk>, lazyModules: Set<string>): Pick<EmbedBuild, 'paths' | 'extras' | 'unplaced'> {
  const groupOf = new Map<string, string>();
  const unplaced: string[] = [];
  for (const id of lazyModules) {
    const path = id.replaceAll('\\', '/');
    const group = Object.keys(LAZY_GROUPS).find((name) => LAZY_GROUPS[name]!.test(path));
    if (group) groupOf.set(id, group);
    else unplaced.push(path);
  }
  const chunkOf = new Map([...chunks.values()].flatMap((chunk) => chunk.moduleIds.map((id) => [id, chunk.fileName] as const)));
  const collect = (groups: string[]): string[] => {
    const files: string[] = [];
    const visit = (fileName: string) => {
      if (files.includes(fileName)) return;
      files.push(fileName);
      for (const imported of chunks.get(fileName)?.imports ?? []) visit(imported);
    };
    visit(entry.fileName);
    // A lazily imported module may sit in a chunk already downloaded (the app), or share one with others.
    for (const [id, group] of groupOf) {
      const fileName = chunkOf.get(id);
      if (groups.includes(group) && fileName) visit(fileName);
    }
    return files;
  };
  const base = collect([]);
  const extra = (group: EmbedExtra) => collect([group]).filter((file) => !base.includes(file));
  return {
    paths: { chat: collect(PATH_GROUPS.chat), callback: collect(PATH_GROUPS.callback), form: collect(PATH_GROUPS.form) },
    extras: { triggers: extra('triggers'), overrides: extra('overrides'), messengers: extra('messengers') },
    unplaced,
  };
}
