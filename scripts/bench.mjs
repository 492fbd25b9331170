// `npm run bench`: measures what the budgets guard and writes docs/benchmarks.md
// with the command, the machine and the figures. Timings never gate `npm test`;
// sizes are also checked there by size-limit against the budgets in package.json.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

execFileSync('node', ['scripts/build-size-entries.mjs'], { stdio: 'inherit' });

const { 'size-limit': budgets } = JSON.parse(readFileSync('package.json', 'utf8'));
const rows = budgets.map((entry) => {
  const code = readFileSync(entry.path);
  const gzip = gzipSync(code, { level: 9 }).length;
  const brotli = brotliCompressSync(code, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  return `| ${entry.name} | \`${entry.path}\` | ${code.length.toLocaleString('en')} | ${gzip.toLocaleString('en')} | ${brotli.toLocaleString('en')} | ${entry.limit} |`;
});

const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}, ${process.platform}`;
const page = `# Benchmarks

Produced by \`npm run bench\` (scripts/bench.mjs) on ${new Date().toISOString().slice(0, 10)}.
Machine: ${machine}.

## Bundle sizes

Each entry in \`packages/*/size/\` is bundled with Rolldown (the bundler inside Vite 8),
minified, ES2022, exactly as a site's bundler would ship it. *Eager* is what loads with the
page; *full* adds every lazily loaded chunk (the SDK commands with the zod validators, and
the HTTP request code), which the client fetches at idle or on the first SDK call.
Bytes; gzip level 9, brotli quality 11. \`npm test\` checks the gzip figures against the
budgets with size-limit (1 kB = 1,000 bytes).

| entry | file | minified | gzip | brotli | budget (gzip) |
|---|---|---:|---:|---:|---:|
${rows.join('\n')}

What is in the eager part: createClient (identity, session, attribution, consent gate,
outbox with backoff and the cross-tab lock, tab sync, event emitter) with
@preact/signals-core and idb-keyval, and the HTTP adapter's shell. zod/mini alone weighs
≈4.7 kB gzip for one object schema and ≈12 kB with the lead, message, identify and event
schemas, which is why validation lives in the lazy chunk (measured with the same bundler,
2026-11-23).
`;
writeFileSync('docs/benchmarks.md', page);
console.log(page);
