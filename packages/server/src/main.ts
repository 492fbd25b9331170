// `npm start`: the reference server on one port — the demo site, the inbox and
// the API — on PGlite in THREADLINE_DATA, or on DATABASE_URL when it is set.
import { join, resolve } from 'node:path';
import { createThreadlineServer } from './app';
import { configFromEnv } from './config';
import { buildPages, servePages } from './pages';
import { createSocketLayer } from './realtime/socket-layer';
import { seedDemo } from './seed';

const config = configFromEnv();
const pagesDir = resolve(config.dataDir, '.pages');

process.on('unhandledRejection', (reason) => console.error('[threadline] unhandled rejection', reason));

await buildPages(pagesDir);
const server = await createThreadlineServer({
  ...(config.databaseUrl ? { databaseUrl: config.databaseUrl } : { dataDir: join(config.dataDir, 'pglite') }),
  logger: process.env.THREADLINE_LOG === '1',
  trustProxy: config.trustProxy,
  routes: (app) => servePages(app, pagesDir),
  realtime: (context) => createSocketLayer({ ...context, ...(config.redisUrl ? { redisUrl: config.redisUrl } : {}) }),
}).catch((error: unknown) => {
  // A start-up failure (folder in use, database unreachable) is one clear line, not a stack trace.
  console.error(`Threadline could not start: ${(error as Error).message}`);
  process.exit(1);
});
// The address people open: a wildcard host is reached through loopback; IPv6 needs brackets.
const displayHost = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host.includes(':') ? `[${config.host}]` : config.host;
let listening: string;
try {
  listening = await server.listen(config.port, config.host);
} catch (error) {
  await server.close();
  const code = (error as NodeJS.ErrnoException).code;
  console.error(code === 'EADDRINUSE' ? `Port ${config.port} is in use. Stop the other program or choose another port: PORT=8788 npm start` : `Could not listen on ${config.host}:${config.port}: ${(error as Error).message}`);
  process.exit(1);
}
const port = new URL(listening).port;
const base = config.publicUrl ?? `http://${displayHost}:${port}`;
const seed = await seedDemo(server.db, {
  origins: [new URL(base).origin, `http://localhost:${port}`, `http://127.0.0.1:${port}`],
  ...(config.adminEmail ? { adminEmail: config.adminEmail } : {}),
  ...(config.adminPassword ? { adminPassword: config.adminPassword } : {}),
});
const storage = server.db.kind === 'pglite' ? `PGlite in ${resolve(config.dataDir)}` : 'PostgreSQL';
console.log(`Threadline is running (${storage}${config.redisUrl ? ', Redis for socket.io' : ''}):
  demo site   ${base}/demo/
  inbox       ${base}/inbox/
  headless    ${base}/examples/headless/  (the SDK with an in-memory backend)
  API         ${base}/api/v1/health
  sign in as  ${seed.adminEmail}${seed.generatedPassword ? `  password: ${seed.generatedPassword}  (generated now, shown once; set THREADLINE_ADMIN_PASSWORD to choose it)` : ''}
Press Ctrl+C to stop.`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.log('\nStopping…');
    void server.close().then(() => process.exit(0));
  });
}
