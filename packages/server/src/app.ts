import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { AddressInfo } from 'node:net';
import type { Database } from './db/database';
import { openDatabase } from './db/open-database';
import { ThreadlineServerError } from './errors';
import { registerAgentRoutes } from './http/agent-routes';
import { installErrorHandling } from './http/error-handler';
import { registerVisitorRoutes } from './http/visitor-routes';
import { registerJobRoutes } from './http/job-routes';
import { createAgentGuard } from './auth/require-agent';
import type { Channel, ChannelContext } from './channels/channel';
import { builtinChannels } from './channels/builtin-channels';
import { createChannelReplies } from './channels/channel-replies';
import type { DomainEventOutbox } from './domain-events';
import { createJobQueue, type JobQueue, type JobQueueOptions } from './jobs/job-queue';
import { createIntegrationOutbox } from './integrations/integration-outbox';
import { registerIntegrations } from './integrations/register-integrations';
import { silentPublisher, type RealtimePublisher } from './realtime/publisher';
import { serverSecret } from './server-secret';

/** How to build a server: a database (or where to open one), and the knobs tests and operators turn. */
export interface ThreadlineServerOptions {
  /** An open database (tests share one per file); otherwise one is opened from `databaseUrl` / `dataDir`. */
  database?: Database;
  databaseUrl?: string;
  /** PGlite data folder; in memory when absent. */
  dataDir?: string;
  /** Requests per minute per IP and per visitor on the browser write routes. */
  limits?: { perIp: number; perVisitor: number };
  /** Largest accepted request body, in bytes. */
  bodyLimit?: number;
  logger?: boolean;
  /** See ServerConfig.trustProxy; default false (the socket address is the client address). */
  trustProxy?: boolean | number | string;
  /** Extra routes (static pages) registered before the server starts. */
  routes?: (app: FastifyInstance) => Promise<void>;
  /** Connects the socket.io layer; called with the HTTP server once Fastify is ready. */
  realtime?: (context: { app: FastifyInstance; db: Database; tokenSecret: string; events: DomainEventOutbox }) => Promise<RealtimePublisher & { close(): Promise<void> }>;
  /** Messenger channels; default: the built-in ones (Telegram, WhatsApp, e-mail), each active only for sites that set it up. */
  channels?: (context: ChannelContext) => Channel[];
  /** Job queue tuning; `autoStart: false` leaves the queue to the caller (tests step it with `jobs.runDue()`). */
  jobs?: Omit<JobQueueOptions, 'db'> & { autoStart?: boolean };
  /** Where channels read tokens and secrets not set per site; default process.env. */
  env?: Record<string, string | undefined>;
  /** The server's public base URL (webhook registration, deep links). */
  publicUrl?: string;
  /** The time business hours are read at (the site config's `openNow`); tests pin it. Default: now. */
  clock?: () => Date;
}

export interface ThreadlineServer {
  app: FastifyInstance;
  db: Database;
  tokenSecret: string;
  /** The durable queue of outbound calls (messenger sends, webhooks, CRM pushes). */
  jobs: JobQueue;
  /** Where writes queue their reactions (outgoing webhooks, CRM pushes, SMS) inside their own transactions. */
  events: DomainEventOutbox;
  /** What channel modules and outbound integrations are given. */
  channelContext: ChannelContext;
  /** Starts listening; port 0 picks a free port. Resolves with the base URL. */
  listen(port?: number, host?: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * Builds the reference server: Fastify with the visitor and agent APIs on
 * Postgres, and (when given) the realtime layer.
 * @example
 * const server = await createThreadlineServer({ dataDir: './.threadline-data' });
 * const url = await server.listen(8787);
 */
export async function createThreadlineServer(options: ThreadlineServerOptions = {}): Promise<ThreadlineServer> {
  const ownsDatabase = !options.database;
  const db = options.database ?? (await openDatabase({ ...(options.databaseUrl ? { databaseUrl: options.databaseUrl } : {}), ...(options.dataDir ? { dataDir: options.dataDir } : {}) }));
  const tokenSecret = await serverSecret(db);
  const serverOptions: FastifyServerOptions = { bodyLimit: options.bodyLimit ?? 64 * 1024, logger: options.logger ?? false, trustProxy: (options.trustProxy ?? false) as boolean };
  const app = Fastify(serverOptions);
  installErrorHandling(app);

  // sendBeacon can only send simple requests: JSON arrives as text/plain.
  app.addContentTypeParser('text/plain', { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, JSON.parse(body as string));
    } catch {
      done(new ThreadlineServerError(400, 'invalid_json', 'the body is not valid JSON'), undefined);
    }
  });

  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_request, context) => ({ statusCode: 429, code: 'rate_limited', message: `too many requests; retry in ${Math.ceil(context.ttl / 1000)} s` }),
  });

  // Set once the realtime layer is up; routes registered before then publish through it lazily.
  let publisher: (RealtimePublisher & { close(): Promise<void> }) | undefined = undefined;
  const { autoStart = true, ...jobOptions } = options.jobs ?? {};
  const jobs = createJobQueue({ db, onError: (error) => app.log.error(error), ...jobOptions });
  const events = createIntegrationOutbox({ jobs, report: (message) => app.log.warn(message) });
  const realtime: RealtimePublisher = {
    itemAdded: (event) => publisher?.itemAdded(event),
    threadChanged: (event) => publisher?.threadChanged(event),
    contactsMerged: (event) => publisher?.contactsMerged(event),
  };
  const channelContext: ChannelContext = { db, jobs, realtime, events, env: options.env ?? process.env, ...(options.publicUrl ? { publicUrl: options.publicUrl } : {}) };
  const channels = (options.channels ?? ((context: ChannelContext) => builtinChannels(context.env)))(channelContext);
  const channelReplies = createChannelReplies(channelContext, channels);
  await registerVisitorRoutes(app, { db, tokenSecret, realtime, events, channels, limits: options.limits ?? { perIp: 120, perVisitor: 30 }, ...(options.clock ? { clock: options.clock } : {}) });
  await registerAgentRoutes(app, { db, tokenSecret, realtime, channels: channelReplies, events });
  await registerJobRoutes(app, { db, jobs, requireAgent: createAgentGuard(db, tokenSecret) });
  for (const channel of channels) await channel.register(app, channelContext);
  await registerIntegrations(app, channelContext, createAgentGuard(db, tokenSecret));
  app.get('/api/v1/health', async () => ({ ok: true, database: db.kind }));
  await options.routes?.(app);

  await app.ready();
  publisher = options.realtime ? await options.realtime({ app, db, tokenSecret, events }) : { ...silentPublisher, close: async () => {} };
  if (autoStart) jobs.start();

  return {
    app,
    db,
    tokenSecret,
    jobs,
    events,
    channelContext,
    async listen(port = 0, host = '127.0.0.1') {
      await app.listen({ port, host });
      const address = app.server.address() as AddressInfo;
      return `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
    },
    async close() {
      await jobs.stop();
      for (const channel of channels) await channel.close?.();
      await publisher?.close();
      await app.close();
      if (ownsDatabase) await db.close();
    },
  };
}
