// `npm run bench`: measures what the budgets guard and writes docs/benchmarks.md
// with the command, the machine and the figures. Timings never gate `npm test`;
// sizes are also checked there by size-limit against the budgets in package.json.
//
// `node scripts/bench.mjs --only=identity` reruns only the identity-resolution
// benchmark (about a minute, no build) and replaces its section, keeping the rest.
import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { cpus, totalmem } from 'node:os';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const IDENTITY_HEADING = '\n## Identity resolution\n';
const identityOnly = process.argv.includes('--only=identity');
const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}, ${process.platform}`;

function sizesPage() {
  execFileSync('node', ['scripts/build-size-entries.mjs'], { stdio: 'inherit' });
  execFileSync('node', ['--import', 'tsx', 'scripts/build-embed-size.ts'], { stdio: 'inherit' });

  const { 'size-limit': budgets } = JSON.parse(readFileSync('package.json', 'utf8'));
  const rows = budgets.map((entry) => {
    // Several files (`dir/*.js`, as the browser downloads them): like size-limit, each is compressed alone and the sizes summed.
    const files = entry.path.endsWith('/*.js') ? readdirSync(dirname(entry.path)).filter((name) => name.endsWith('.js')).map((name) => join(dirname(entry.path), name)) : [entry.path];
    const sum = (size) => files.reduce((total, file) => total + size(readFileSync(file)), 0);
    const minified = sum((code) => code.length);
    const gzip = sum((code) => gzipSync(code, { level: 9 }).length);
    const brotli = sum((code) => brotliCompressSync(code, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length);
    const where = files.length > 1 ? `\`${entry.path}\` (${files.length} files)` : `\`${entry.path}\``;
    return `| ${entry.name} | ${where} | ${minified.toLocaleString('en')} | ${gzip.toLocaleString('en')} | ${brotli.toLocaleString('en')} | ${entry.limit} |`;
  });

  return `# Benchmarks

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

The script-tag entries come from the embed's real build (scripts/build-embed-size.ts,
packages/embed/src/build.ts): the loader alone, and for each widget the loader plus every
chunk Rolldown's chunk graph says is downloaded by the time that widget is open (English
strings; the chat's offline form included) for the pasted tag. What only some sites or
pages add (the trigger engine and history watch, "Continue in Telegram", the checks of a
page's own config overrides) is counted in one worst-case entry, which is over the 35 kB
goal and held so that it cannot grow (docs/embed.md). The browser downloads each of those
files as its own gzip (or brotli) response, so their figures are the sum of each file
compressed alone, as size-limit counts several files, not the smaller figure of the files
joined and compressed once.

What is in the eager part: createClient (identity, session, attribution, consent gate,
outbox with backoff and the cross-tab lock, tab sync, event emitter) with
@preact/signals-core and idb-keyval, and the HTTP adapter's shell. zod/mini alone weighs
≈4.7 kB gzip for one object schema and ≈12 kB with the lead, message, identify and event
schemas, which is why validation lives in the lazy chunk (measured with the same bundler,
2026-11-23).
`;
}

// scripts/embed-benchmark.ts exits 1 when the loader misses its goal; the figures are written either way.
function embedSection() {
  const command = ['--import', 'tsx', 'scripts/embed-benchmark.ts', '--runs', '11'];
  const run = spawnSync('node', command, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (run.status !== 0 && run.status !== 1) throw new Error(`embed benchmark crashed (exit ${run.status}):\n${run.stderr}`);
  return `
## Script tag: cost to the host page

Produced by \`node ${command.join(' ')}\` on ${new Date().toISOString().slice(0, 10)},
Debian's Chromium (/usr/bin/chromium) with the CPU throttled 4× through CDP, against the real
server on PGlite; the host page is a blank page on another origin. Machine: ${machine}.
Main-thread time is CDP \`Performance.getMetrics\` TaskDuration (JavaScript: ScriptDuration),
long tasks come from a \`PerformanceObserver('longtask')\`, heap is \`JSHeapUsedSize\` after a
forced GC; page-level figures are noisy on a shared machine (the baseline itself varies by
±100 ms). See docs/embed.md for what loads when.

${run.stdout.trim()}
`;
}

// scripts/identity-benchmark.ts exits 1 when it misses its goal; the figures are written either way.
function identitySection() {
  const run = spawnSync('node', ['--import', 'tsx', 'scripts/identity-benchmark.ts'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (run.status !== 0 && run.status !== 1) throw new Error(`identity benchmark crashed (exit ${run.status}):\n${run.stderr}`);
  const verdict = run.status === 0 ? 'Goal met: precision 100 %, recall ≥ 99 %.' : `**Goal missed**: ${run.stderr.trim().replace(/^identity benchmark: /, '')}.`;
  return `${IDENTITY_HEADING}
Produced by \`node --import tsx scripts/identity-benchmark.ts\` on ${new Date().toISOString().slice(0, 10)},
on an in-memory PGlite. Machine: ${machine}.

A seeded generator makes synthetic people (a phone, an e-mail, for some a site account
signed with the site's HMAC or not, a Telegram account, 1–3 devices) on a UA and a RU site.
Each arrives through 1–4 channels played through the server's domain functions: web leads
with the phone in national or international format and the e-mail in any case, anonymous
chat, identify calls, a Telegram contact share (a verified Telegram id and a verified phone,
as the Telegram channel will send them), and leads typed on someone else's device. Every
call is an event whose person is known. Precision = pairs of events in one live contact that
belong to one person / all pairs in one live contact; recall = those pairs / all pairs of
one person's events.

${run.stdout.trim()}

${verdict}
`;
}

const page = identityOnly ? `${readFileSync('docs/benchmarks.md', 'utf8').split(IDENTITY_HEADING)[0].trimEnd()}\n` : sizesPage();
const output = identityOnly ? page + identitySection() : page + embedSection() + identitySection();
writeFileSync('docs/benchmarks.md', output);
console.log(output);
