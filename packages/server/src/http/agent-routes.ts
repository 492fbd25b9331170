import type {} from '@fastify/rate-limit';
import { MessageTextSchema } from '@threadline/core';
import type { FastifyInstance } from 'fastify';
import * as z from 'zod/mini';
import { verifyPassword } from '../auth/passwords';
import { agentToken } from '../auth/agent-tokens';
import { createAgentGuard } from '../auth/require-agent';
import type { ChannelReplies } from '../channels/channel-replies';
import type { Database } from '../db/database';
import { findThread, listThreads, replyToThread, setThreadState, threadDetail } from '../domain/agent-threads';
import { findAgent, findAgentByEmail } from '../domain/agents';
import type { DomainEventOutbox } from '../domain-events';
import { ThreadlineServerError } from '../errors';
import type { RealtimePublisher } from '../realtime/publisher';
import { parseWith } from './parse-body';

export interface AgentRouteContext {
  db: Database;
  tokenSecret: string;
  realtime: RealtimePublisher;
  /** Messenger replies (the channels); without them an agent can answer on the web only. */
  channels?: ChannelReplies;
  /** Queues the reactions to replies and closed threads (outgoing webhooks) inside their transactions. */
  events?: DomainEventOutbox;
}

const LoginSchema = z.object({ email: z.string().check(z.minLength(3), z.maxLength(254)), password: z.string().check(z.minLength(1), z.maxLength(1024)) });
const ThreadQuerySchema = z.object({
  query: z.optional(z.string().check(z.maxLength(200))),
  site: z.optional(z.string().check(z.maxLength(64))),
  status: z.optional(z.enum(['open', 'closed'])),
  /** An agent id, `me`, or `none` for unassigned threads. */
  assignee: z.optional(z.union([z.literal('me'), z.literal('none'), z.uuid()])),
  limit: z.optional(z.string().check(z.regex(/^\d{1,3}$/))),
});
const ReplySchema = z.object({ text: MessageTextSchema, channel: z.optional(z.enum(['web', 'telegram', 'whatsapp', 'email', 'sms'])) });
const AssignSchema = z.object({ agentId: z.nullable(z.uuid()) });
const ThreadParamsSchema = z.object({ id: z.uuid() });

/** The agent API under /api/v1 (docs/api.md): login, threads, timeline, reply, assign, close/reopen. */
export async function registerAgentRoutes(app: FastifyInstance, context: AgentRouteContext): Promise<void> {
  const { db, tokenSecret, realtime, channels, events } = context;

  const requireAgent = createAgentGuard(db, tokenSecret);
  const threadId = (params: unknown) => parseWith(ThreadParamsSchema, params).id;

  const loginLimit = app.rateLimit({ max: 10, timeWindow: '1 minute', keyGenerator: (request) => `login:${request.ip}` });
  app.post('/api/v1/auth/login', { onRequest: loginLimit }, async (request) => {
    const { email, password } = parseWith(LoginSchema, request.body);
    const agent = await findAgentByEmail(db, email);
    // Same answer and similar work for a wrong e-mail and a wrong password.
    const valid = agent ? await verifyPassword(password, agent.passwordHash) : await verifyPassword(password, 'scrypt$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA').then(() => false);
    if (!agent || !valid) throw new ThreadlineServerError(401, 'invalid_credentials', 'wrong e-mail or password');
    const { passwordHash: _hash, ...profile } = agent;
    return { token: await agentToken(db, tokenSecret, agent), agent: profile };
  });

  app.get('/api/v1/me', async (request) => requireAgent(request));

  app.get('/api/v1/threads', async (request) => {
    const agent = await requireAgent(request);
    const filters = parseWith(ThreadQuerySchema, request.query);
    const items = await listThreads(db, {
      ...(filters.query ? { query: filters.query } : {}),
      ...(filters.site ? { site: filters.site } : {}),
      ...(filters.status ? { status: filters.status } : {}),
      ...(filters.assignee ? { assigneeId: filters.assignee === 'me' ? agent.id : filters.assignee } : {}),
      limit: Math.min(Number(filters.limit ?? 50), 200),
    });
    return { items };
  });

  app.get('/api/v1/threads/:id', async (request) => {
    await requireAgent(request);
    return threadDetail(db, threadId(request.params));
  });

  app.post('/api/v1/threads/:id/messages', async (request, reply) => {
    const agent = await requireAgent(request);
    const { text, channel } = parseWith(ReplySchema, request.body);
    const result = await replyToThread(db, threadId(request.params), agent, text, channel, channels, events);
    events?.kick();
    if (result.item.channel !== 'web') channels?.kick();
    realtime.itemAdded({ site: result.site, contactId: result.contactId, item: result.item });
    // A reply reopens the thread and may assign it: other agents' lists change.
    realtime.threadChanged({ site: result.site, threadId: result.item.threadId });
    return reply.code(201).send({ item: result.item });
  });

  app.post('/api/v1/threads/:id/assign', async (request) => {
    await requireAgent(request);
    const { agentId } = parseWith(AssignSchema, request.body);
    if (agentId && !(await findAgent(db, agentId))) throw new ThreadlineServerError(400, 'invalid_input', `no agent ${agentId}`, 'agentId');
    const id = threadId(request.params);
    const { site } = await setThreadState(db, id, { assigneeId: agentId });
    realtime.threadChanged({ site, threadId: id });
    return findThread(db, id);
  });

  for (const [path, status] of [
    ['close', 'closed'],
    ['reopen', 'open'],
  ] as const) {
    app.post(`/api/v1/threads/:id/${path}`, async (request) => {
      await requireAgent(request);
      const id = threadId(request.params);
      const { site } = await db.transaction(async (tx) => {
        const changed = await setThreadState(tx, id, { status });
        if (status === 'closed' && events) {
          const contactId = (await tx.query<{ contact_id: string }>('select contact_id from threads where id = $1', [id])).rows[0]!.contact_id;
          await events.forSite(changed.site)(tx, { type: 'thread.closed', site: changed.site, threadId: id, contactId });
        }
        return changed;
      });
      events?.kick();
      realtime.threadChanged({ site, threadId: id });
      return findThread(db, id);
    });
  }
}
