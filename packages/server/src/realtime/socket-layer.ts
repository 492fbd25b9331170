import { createAdapter } from '@socket.io/redis-streams-adapter';
import { OutgoingMessageSchema, SiteKeySchema, VisitorIdSchema, validate, type SocketAck, type VisitorClientEvents, type VisitorServerEvents } from '@threadline/core';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { createClient } from 'redis';
import { Server, type ExtendedError, type Namespace, type Socket } from 'socket.io';
import * as z from 'zod/mini';
import type { Database } from '../db/database';
import { toChatMessage } from '../domain/chat-message';
import type { DomainEventOutbox } from '../domain-events';
import { findSite } from '../domain/sites';
import { recordVisitorMessage, visitorHistory } from '../domain/visitor-messages';
import { ThreadlineServerError } from '../errors';
import { agentFromToken } from '../auth/agent-tokens';
import { verifyVisitorToken } from '../auth/visitor-tokens';
import type { AgentClientEvents, AgentServerEvents } from './agent-events';
import { contactDeviceRooms, contactReaderRooms, threadAudienceRooms, visitorActivity, visitorRoom } from './audience';
import type { RealtimePublisher } from './publisher';

/** What the realtime layer needs: the ready Fastify app (its HTTP server), the database, the token secret, and Redis to span several nodes. */
export interface SocketLayerOptions {
  app: FastifyInstance;
  db: Database;
  tokenSecret: string;
  /** Queues the reactions to chat messages (outgoing webhooks) inside their transactions; createThreadlineServer hands it over. */
  events?: DomainEventOutbox;
  /** `REDIS_URL`: rooms, presence and connection state recovery shared by every node through Redis Streams. */
  redisUrl?: string;
  /** Chat messages one visitor socket may send per minute before acks answer `rate_limited`. Default 60. */
  messagesPerMinute?: number;
}

/** The socket.io layer: a RealtimePublisher for the HTTP side, the server itself, and its shutdown. */
export type SocketLayer = RealtimePublisher & { io: Server; close(): Promise<void> };

interface VisitorData {
  site: string;
  visitorId: string;
  windowStart: number;
  windowCount: number;
  /** Last typing state forwarded, and when: a client sending one per keystroke must not flood agents. */
  typing?: boolean;
  typingAt?: number;
  /** Highest read receipt forwarded: only progress is news. */
  readUpTo?: number;
}
interface AgentData {
  agentId: string;
  name: string;
}
type VisitorNamespace = Namespace<VisitorClientEvents, VisitorServerEvents, Record<string, never>, VisitorData>;
type AgentNamespace = Namespace<AgentClientEvents, AgentServerEvents, Record<string, never>, AgentData>;
type Failure = Extract<SocketAck<object>, { ok: false }>;

const AGENTS_ROOM = 'agents';
const VISITORS_ROOM = 'visitors';
// A visitor connecting reads the agent count from here instead of asking every node; agent (dis)connects refresh it at once.
const PRESENCE_CACHE_MS = 5_000;

const HistoryRequestSchema = z.object({ afterSeq: z.number().check(z.int(), z.gte(0)) });
const VisitorTypingSchema = z.object({ typing: z.boolean() });
const VisitorReadSchema = z.object({ upToSeq: z.number().check(z.int(), z.gte(0)) });
const AgentTypingSchema = z.object({ threadId: z.uuid(), typing: z.boolean() });
const AgentReadSchema = z.object({ threadId: z.uuid(), upToSeq: z.number().check(z.int(), z.gte(0)) });

/** A middleware refusal: socket.io hands `data` to the browser's `connect_error` as is. */
function refusal(code: string, message: string): ExtendedError {
  const error: ExtendedError = new Error(message);
  error.data = { code, message };
  return error;
}

/**
 * The payload and ack of a socket event. Clients are untrusted: the ack may be
 * missing (the event is then answered nowhere), and an emit without a payload
 * passes its ack first.
 */
function eventArgs(args: unknown[]): { payload: unknown; ack: (result: unknown) => void } {
  const last = args[args.length - 1];
  return { payload: typeof args[0] === 'function' ? undefined : args[0], ack: typeof last === 'function' ? (last as (result: unknown) => void) : () => {} };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

async function connectRedis(url: string, log: FastifyBaseLogger) {
  const client = createClient({ url });
  // Without a listener a dropped connection would crash the process; the client reconnects by itself.
  client.on('error', (error: unknown) => log.warn({ err: error }, 'realtime: redis error'));
  await client.connect();
  return client;
}

/**
 * Attaches socket.io to the app's HTTP server: `/visitor` for browsers (token
 * from `POST /api/v1/sessions`), `/agent` for the inbox (token from
 * `POST /api/v1/auth/login`). Pass it to createThreadlineServer as `realtime`.
 * @example
 * const server = await createThreadlineServer({ realtime: (context) => createSocketLayer({ ...context, redisUrl: process.env.REDIS_URL }) });
 */
export async function createSocketLayer(options: SocketLayerOptions): Promise<SocketLayer> {
  const { app, db, tokenSecret } = options;
  const log = app.log;
  const messagesPerMinute = options.messagesPerMinute ?? 60;
  const redis = options.redisUrl ? await connectRedis(options.redisUrl, log) : undefined;
  let closing: Promise<void> | undefined;

  const io = new Server(app.server, {
    serveClient: false,
    // A chat message is at most 4,000 characters; nothing a browser sends needs more.
    maxHttpBufferSize: 64 * 1024,
    // Any origin may open the transport; /visitor then checks the Origin against the site's list.
    cors: { origin: true },
    // Research §6: recovery shaves a catch-up round trip after short gaps; correctness never depends on it.
    connectionStateRecovery: { maxDisconnectionDuration: 2 * 60 * 1000, skipMiddlewares: false },
    // While shutting down, refuse new transports so that nothing holds the HTTP server open.
    allowRequest: (_request, callback) => callback(closing ? 'shutting down' : null, !closing),
    ...(redis ? { adapter: createAdapter(redis) } : {}),
  });
  const visitors = io.of('/visitor') as unknown as VisitorNamespace;
  const agents = io.of('/agent') as unknown as AgentNamespace;
  io.use((_socket, next) => next(refusal('not_found', 'connect to the /visitor or /agent namespace')));

  const failure = (error: unknown, what: string): Failure => {
    if (error instanceof ThreadlineServerError) return { ok: false, error: error.toJSON() };
    log.error({ err: error }, `realtime: ${what} failed`);
    return { ok: false, error: { code: 'server', message: 'the server could not do this now; try again' } };
  };

  // Every fan-out runs in publish order: two items committed one after the other
  // reach sockets in that order, although each first looks up its audience.
  let tail: Promise<unknown> = Promise.resolve();
  const inOrder = <T>(work: () => Promise<T>): Promise<T> => {
    const result = tail.then(work);
    tail = result.catch(() => {});
    return result;
  };
  const publish = (what: string, work: () => Promise<void>) => void inOrder(work).catch((error: unknown) => log.error({ err: error }, `realtime: ${what} failed`));

  // Presence counts distinct agents on every node (fetchSockets asks them through the adapter).
  let presence: { count: number; at: number } | undefined;
  let presenceTail: Promise<void> = Promise.resolve();
  const countAgents = async (): Promise<number> => {
    const sockets = await agents.fetchSockets();
    const count = new Set(sockets.map((socket) => socket.data.agentId)).size;
    presence = { count, at: Date.now() };
    return count;
  };
  const announcePresence = () => {
    if (closing) return;
    presenceTail = presenceTail
      .then(async () => {
        visitors.to(VISITORS_ROOM).emit('presence', { agentsOnline: await countAgents() });
      })
      .catch((error: unknown) => log.warn({ err: error }, 'realtime: presence failed'));
  };

  visitors.use((socket, next) => {
    const auth: unknown = socket.handshake.auth;
    const site = isPlainObject(auth) ? auth.site : undefined;
    const visitorId = isPlainObject(auth) ? auth.visitorId : undefined;
    if (!SiteKeySchema.safeParse(site).success || !VisitorIdSchema.safeParse(visitorId).success) {
      return next(refusal('unauthorized', 'auth must be { site, visitorId, token } with a token from POST /api/v1/sessions'));
    }
    findSite(db, site as string).then(
      (found) => {
        const origin = socket.handshake.headers.origin;
        if (!found) return next(refusal('unknown_site', `no site "${String(site)}"`));
        if (origin && !found.allowedOrigins.includes(origin) && !found.allowedOrigins.includes('*')) {
          return next(refusal('forbidden_origin', `${origin} is not an allowed origin of site "${found.id}"`));
        }
        if (!verifyVisitorToken(tokenSecret, (auth as { token?: unknown }).token, found.id, visitorId as string)) {
          return next(refusal('unauthorized', 'the visitor token is missing or not for this visitor; get one from POST /api/v1/sessions'));
        }
        if (socket.recovered) {
          // Recovery restores data and rooms by a session id alone: they must be this visitor's.
          if (socket.data.site !== found.id || socket.data.visitorId !== visitorId) return next(refusal('unauthorized', 'this session belongs to another visitor'));
        } else {
          socket.data = { site: found.id, visitorId: visitorId as string, windowStart: Date.now(), windowCount: 0 };
        }
        next();
      },
      (error: unknown) => {
        log.error({ err: error }, 'realtime: visitor handshake failed');
        next(refusal('server', 'the server could not check this connection; try again'));
      },
    );
  });

  visitors.on('connection', (socket) => {
    const { site, visitorId } = socket.data;
    void socket.join([visitorRoom(site, visitorId), VISITORS_ROOM]);
    // Also the first packet of the connection, which recovery needs to start counting offsets from.
    void (presence && Date.now() - presence.at < PRESENCE_CACHE_MS ? Promise.resolve(presence.count) : countAgents()).then(
      (agentsOnline) => socket.emit('presence', { agentsOnline }),
      (error: unknown) => log.warn({ err: error }, 'realtime: presence failed'),
    );

    socket.on('message:send', (...args: unknown[]) => {
      const { payload, ack } = eventArgs(args);
      void sendMessage(socket, payload).then(ack, (error: unknown) => ack(failure(error, 'message:send')));
    });
    socket.on('history', (...args: unknown[]) => {
      const { payload, ack } = eventArgs(args);
      // Each history read costs a query: it counts against the same per-socket budget as messages.
      if (!withinBudget(socket)) return ack({ ok: false, error: { code: 'rate_limited', message: `more than ${messagesPerMinute} requests a minute; wait a little` } });
      const request = validate(HistoryRequestSchema, payload);
      if (!request.ok) return ack({ ok: false, error: request.error.toJSON() });
      void visitorHistory(db, site, visitorId, request.value.afterSeq).then(
        (history) => ack({ ok: true, messages: history.messages.map(toChatMessage), latestSeq: history.latestSeq }),
        (error: unknown) => ack(failure(error, 'history')),
      );
    });
    socket.on('typing', (...args: unknown[]) => {
      const event = validate(VisitorTypingSchema, eventArgs(args).payload);
      if (!event.ok) return;
      // Forward a change of state, or a repeat of "typing" at most every 2 s (agents' indicators time out).
      const now = Date.now();
      const { typing, typingAt = 0 } = socket.data;
      if (typing === event.value.typing && (!typing || now - typingAt < 2000)) return;
      socket.data.typing = event.value.typing;
      socket.data.typingAt = now;
      forwardVisitorActivity(site, visitorId, (activity) => agents.to(AGENTS_ROOM).emit('typing', { ...activity, typing: event.value.typing }));
    });
    socket.on('read', (...args: unknown[]) => {
      const event = validate(VisitorReadSchema, eventArgs(args).payload);
      if (!event.ok || event.value.upToSeq <= (socket.data.readUpTo ?? 0)) return;
      socket.data.readUpTo = event.value.upToSeq;
      forwardVisitorActivity(site, visitorId, (activity) => agents.to(AGENTS_ROOM).emit('read', { ...activity, upToSeq: event.value.upToSeq }));
    });
  });

  async function sendMessage(socket: Socket<VisitorClientEvents, VisitorServerEvents, Record<string, never>, VisitorData>, payload: unknown): Promise<SocketAck<{ id: string; seq: number; threadId: string; createdAt: string }>> {
    const { site, visitorId } = socket.data;
    if (!isPlainObject(payload)) return { ok: false, error: { code: 'invalid_input', message: 'the message must be an object { clientId, text }' } };
    if (!withinBudget(socket)) return { ok: false, error: { code: 'rate_limited', message: `more than ${messagesPerMinute} messages a minute; wait a little` } };
    // The socket's own identity wins over anything the payload claims.
    const message = validate(OutgoingMessageSchema, { ...payload, site, visitorId });
    if (!message.ok) return { ok: false, error: message.error.toJSON() };
    const result = await recordVisitorMessage(db, site, message.value, options.events?.forSite(site));
    options.events?.kick();
    if (result.created) publisher.itemAdded({ site, contactId: result.contactId, item: result.item });
    const { id, seq, threadId, createdAt } = result.item;
    return { ok: true, id, seq, threadId, createdAt };
  }

  /** Counts one request against the socket's per-minute budget (messages and history reads). */
  function withinBudget(socket: Socket<VisitorClientEvents, VisitorServerEvents, Record<string, never>, VisitorData>): boolean {
    const now = Date.now();
    if (now - socket.data.windowStart >= 60_000) socket.data = { ...socket.data, windowStart: now, windowCount: 0 };
    socket.data.windowCount += 1;
    return socket.data.windowCount <= messagesPerMinute;
  }

  // Typing and read receipts are ephemeral: they skip the ordered publish chain, which carries
  // the timeline's fan-out and must not wait behind one visitor's activity.
  function forwardVisitorActivity(site: string, visitorId: string, emit: (activity: NonNullable<Awaited<ReturnType<typeof visitorActivity>>>) => void): void {
    visitorActivity(db, site, visitorId).then(
      (activity) => {
        // A visitor who never wrote has no contact yet: nothing an agent could open.
        if (activity) emit(activity);
      },
      (error: unknown) => console.error('[threadline] visitor activity failed', error),
    );
  }

  agents.use((socket, next) => {
    const auth: unknown = socket.handshake.auth;
    agentFromToken(db, tokenSecret, isPlainObject(auth) ? auth.token : undefined).then(
      (agent) => {
        if (!agent) return next(refusal('unauthorized', 'sign in with POST /api/v1/auth/login, then connect with auth { token }'));
        socket.data = { agentId: agent.id, name: agent.name };
        next();
      },
      (error: unknown) => {
        log.error({ err: error }, 'realtime: agent handshake failed');
        next(refusal('server', 'the server could not check this connection; try again'));
      },
    );
  });

  agents.on('connection', (socket) => {
    void socket.join(AGENTS_ROOM);
    announcePresence();
    socket.on('disconnect', announcePresence);
    const author = { kind: 'agent' as const, name: socket.data.name };

    socket.on('typing', (...args: unknown[]) => {
      const { payload, ack } = eventArgs(args);
      const event = validate(AgentTypingSchema, payload);
      if (!event.ok) return ack({ ok: false, error: event.error.toJSON() });
      toThreadAudience(event.value.threadId, 'last', (rooms) => visitors.to(rooms).emit('typing', { typing: event.value.typing, author }), ack);
    });
    socket.on('read', (...args: unknown[]) => {
      const { payload, ack } = eventArgs(args);
      const event = validate(AgentReadSchema, payload);
      if (!event.ok) return ack({ ok: false, error: event.error.toJSON() });
      toThreadAudience(event.value.threadId, 'all', (rooms) => visitors.to(rooms).emit('read', { upToSeq: event.value.upToSeq }), ack);
    });
  });

  function toThreadAudience(threadId: string, writers: 'last' | 'all', emit: (rooms: string[]) => void, ack: (result: unknown) => void): void {
    inOrder(async () => {
      const rooms = await threadAudienceRooms(db, threadId, writers);
      if (rooms && rooms.length > 0) emit(rooms);
      return rooms;
    }).then(
      (rooms) => ack(rooms ? { ok: true } : { ok: false, error: { code: 'not_found', field: 'threadId', message: `no thread ${threadId}` } }),
      (error: unknown) => ack(failure(error, 'agent activity')),
    );
  }

  const publisher: RealtimePublisher = {
    itemAdded({ site, contactId, item }) {
      publish(`item ${item.id}`, async () => {
        agents.to(AGENTS_ROOM).emit('item:new', { site, contactId, item });
        if (item.type !== 'message') return;
        // The browser the item belongs to (its own message, or the reply addressed to it)
        // and every device that proved it is this contact; never the others (§9.3).
        const rooms = new Set(await contactReaderRooms(db, contactId));
        if (item.visitorId) rooms.add(visitorRoom(site, item.visitorId));
        if (rooms.size > 0) visitors.to([...rooms]).emit('message:new', toChatMessage(item));
      });
    },
    threadChanged({ site, threadId }) {
      publish(`thread ${threadId}`, async () => {
        agents.to(AGENTS_ROOM).emit('thread:updated', { site, threadId });
      });
    },
    contactsMerged({ site, winnerId, loserId }) {
      publish(`merge ${loserId}`, async () => {
        agents.to(AGENTS_ROOM).emit('contact:merged', { site, winnerId, loserId });
        const rooms = await contactDeviceRooms(db, [winnerId, loserId]);
        if (rooms.length > 0) visitors.to(rooms).emit('session:merged', { contactId: winnerId });
      });
    },
  };

  return {
    ...publisher,
    io,
    close() {
      closing ??= (async () => {
        // Set before the transports close, so that the disconnects below announce no presence.
        await Promise.resolve();
        // What io.close() does, except closing the HTTP server, which Fastify owns and
        // stops next. Closing the transports (no disconnect packet) lets browsers
        // reconnect by themselves, to another node or to this one restarted.
        io.engine.close();
        await Promise.allSettled([tail, presenceTail]);
        await Promise.allSettled([io.of('/'), visitors, agents].map(async (namespace) => namespace.adapter.close()));
        if (redis) await redis.close().catch((error: unknown) => log.warn({ err: error }, 'realtime: closing redis failed'));
      })();
      return closing;
    },
  };
}
