import type {} from '@fastify/rate-limit';
import { EventSchema, IdentifyRequestSchema, LeadSchema, OutgoingMessageSchema, SiteConfigSchema, SiteKeySchema, VisitorIdSchema } from '@threadline/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import * as z from 'zod/mini';
import { verifyVisitorToken, visitorToken } from '../auth/visitor-tokens';
import type { Channel } from '../channels/channel';
import type { Database } from '../db/database';
import { silentOutbox, type DomainEventOutbox } from '../domain-events';
import { toChatMessage } from '../domain/chat-message';
import { identifyVisitor } from '../domain/identify';
import { newId } from '../domain/ids';
import { openNow } from '../domain/open-now';
import { recordEvent } from '../domain/events';
import { recordLead } from '../domain/leads';
import { recordVisitorMessage, visitorHistory } from '../domain/visitor-messages';
import { ThreadlineServerError } from '../errors';
import type { RealtimePublisher } from '../realtime/publisher';
import { parseWith } from './parse-body';
import { allowOrigin, siteForBrowser } from './site-guard';

export interface VisitorRouteContext {
  db: Database;
  tokenSecret: string;
  realtime: RealtimePublisher;
  /** Queues the reactions to leads, messages and merges (webhooks, CRM pushes, SMS) inside their transactions. */
  events?: DomainEventOutbox;
  /** Connected messengers, named in the public site config (only what their `publicProfile` says). */
  channels?: readonly Channel[];
  /** Requests per minute per IP, and per visitor, on the write routes. */
  limits: { perIp: number; perVisitor: number };
  /** The time the business hours are read at (tests pin it). */
  clock?: () => Date;
}

const SessionRequestSchema = z.object({ site: SiteKeySchema, visitorId: VisitorIdSchema });
const SiteParamsSchema = z.object({ site: SiteKeySchema });
const HistoryQuerySchema = z.object({ site: SiteKeySchema, visitorId: VisitorIdSchema, after: z.optional(z.string().check(z.regex(/^\d{1,15}$/))) });

function clientIp(request: FastifyRequest): string {
  return request.ip;
}

/** The body's clientId is the idempotency key; an Idempotency-Key header, when sent, must say the same. */
function assertIdempotencyKey(request: FastifyRequest, clientId: string): void {
  const header = request.headers['idempotency-key'];
  if (header !== undefined && header !== clientId) throw new ThreadlineServerError(400, 'invalid_input', 'the Idempotency-Key header differs from the body\'s clientId', 'clientId');
}

/** The routes a website's visitors call (CORS-checked per site): leads, identify, messages, events, site config. */
export async function registerVisitorRoutes(app: FastifyInstance, context: VisitorRouteContext): Promise<void> {
  const { db, tokenSecret, realtime } = context;
  const events = context.events ?? silentOutbox;
  const withToken = <T extends object>(site: string, visitorId: string, body: T) => ({ ...body, visitorToken: visitorToken(tokenSecret, site, visitorId) });

  const perIp = app.rateLimit({ max: context.limits.perIp, timeWindow: '1 minute', keyGenerator: (request) => `ip:${clientIp(request)}` });
  // A second app.rateLimit() hook would be skipped (the plugin runs one limiter per request),
  // so the per-visitor limit uses the plugin's primitive directly, after the body is parsed.
  const visitorLimiter = app.createRateLimit({
    max: context.limits.perVisitor,
    timeWindow: '1 minute',
    keyGenerator: (request) => {
      const body = request.body as { site?: unknown; visitorId?: unknown } | undefined;
      return `visitor:${String(body?.site)}:${String(body?.visitorId)}`;
    },
  });
  const perVisitor = async (request: FastifyRequest, reply: FastifyReply) => {
    const limit = await visitorLimiter(request);
    if (limit.isAllowed || !limit.isExceeded) return;
    reply.header('Retry-After', String(limit.ttlInSeconds));
    throw new ThreadlineServerError(429, 'rate_limited', `too many requests from this visitor; retry in ${limit.ttlInSeconds} s`);
  };
  const writeLimits = { onRequest: perIp, preHandler: perVisitor };

  // Errors raised before the site is known (broken JSON, a body too large, a rate limit)
  // must still be readable by the page's script, or it sees only an opaque CORS failure.
  // Such answers carry no data, so any origin may read them; a refused origin (403) may not.
  app.addHook('onSend', async (request, reply, payload) => {
    const origin = request.headers.origin;
    if (origin && reply.statusCode >= 400 && reply.statusCode !== 403 && !reply.hasHeader('Access-Control-Allow-Origin') && request.url.startsWith('/api/v1/')) allowOrigin(reply, origin);
    return payload;
  });

  // Preflight: answered for any origin; the real request is then checked against the site's origins.
  app.options('/api/v1/*', async (request, reply) => {
    const origin = request.headers.origin;
    if (origin) allowOrigin(reply, origin);
    return reply
      .header('Access-Control-Allow-Methods', 'GET, POST, OPTIONS')
      .header('Access-Control-Allow-Headers', 'Content-Type, Idempotency-Key, Authorization')
      .header('Access-Control-Max-Age', '600')
      .code(204)
      .send();
  });

  app.post('/api/v1/sessions', { ...writeLimits }, async (request, reply) => {
    const body = parseWith(SessionRequestSchema, request.body);
    await siteForBrowser(db, request, reply, body.site);
    return withToken(body.site, body.visitorId, { visitorId: body.visitorId });
  });

  app.post('/api/v1/leads', { ...writeLimits }, async (request, reply) => {
    const lead = parseWith(LeadSchema, request.body);
    const site = await siteForBrowser(db, request, reply, lead.site);
    assertIdempotencyKey(request, lead.clientId);
    if (lead.honeypot) {
      // A bot filled the hidden field: answer like a success so it learns nothing, store nothing.
      request.log.info({ site: site.id }, 'honeypot lead dropped');
      return reply.code(201).send({ leadId: newId(), contactId: newId(), threadId: newId() });
    }
    const recorded = await recordLead(db, site, lead, { ip: clientIp(request), ...(request.headers['user-agent'] ? { userAgent: request.headers['user-agent'] } : {}) }, events.forSite(site));
    events.kick();
    if (recorded.item) realtime.itemAdded({ site: site.id, contactId: recorded.receipt.contactId, item: recorded.item });
    for (const merge of recorded.merges) realtime.contactsMerged({ site: site.id, winnerId: merge.winnerId, loserId: merge.loserId });
    return reply.code(recorded.created ? 201 : 200).send(withToken(site.id, lead.visitorId, recorded.receipt));
  });

  app.post('/api/v1/identify', { ...writeLimits }, async (request, reply) => {
    const identify = parseWith(IdentifyRequestSchema, request.body);
    const site = await siteForBrowser(db, request, reply, identify.site);
    assertIdempotencyKey(request, identify.clientId);
    const result = await identifyVisitor(db, site, identify, (merge) => realtime.contactsMerged({ site: site.id, winnerId: merge.winnerId, loserId: merge.loserId }), events.forSite(site));
    events.kick();
    return withToken(site.id, identify.visitorId, result);
  });

  app.post('/api/v1/messages', { ...writeLimits }, async (request, reply) => {
    const message = parseWith(OutgoingMessageSchema, request.body);
    const site = await siteForBrowser(db, request, reply, message.site);
    assertIdempotencyKey(request, message.clientId);
    const result = await recordVisitorMessage(db, site.id, message, events.forSite(site));
    events.kick();
    if (result.created) realtime.itemAdded({ site: site.id, contactId: result.contactId, item: result.item });
    const { id, seq, threadId, createdAt } = result.item;
    return reply.code(result.created ? 201 : 200).send(withToken(site.id, message.visitorId, { id, seq, threadId, createdAt }));
  });

  app.get('/api/v1/messages', { onRequest: perIp }, async (request, reply) => {
    const query = parseWith(HistoryQuerySchema, request.query);
    await siteForBrowser(db, request, reply, query.site);
    const token = request.headers.authorization?.replace(/^Bearer /, '');
    if (!verifyVisitorToken(tokenSecret, token, query.site, query.visitorId)) {
      throw new ThreadlineServerError(401, 'unauthorized', 'a visitor token for this visitorId is required (Authorization: Bearer <visitorToken>)');
    }
    const history = await visitorHistory(db, query.site, query.visitorId, Number(query.after ?? 0));
    return { messages: history.messages.map(toChatMessage), latestSeq: history.latestSeq };
  });

  app.post('/api/v1/events', { ...writeLimits }, async (request, reply) => {
    const event = parseWith(EventSchema, request.body);
    const site = await siteForBrowser(db, request, reply, event.site);
    assertIdempotencyKey(request, event.clientId);
    const created = await recordEvent(db, site.id, event);
    return reply.code(created ? 201 : 200).send({});
  });

  app.get<{ Params: { site: string } }>('/api/v1/sites/:site/config', async (request, reply) => {
    const { site: siteKey } = parseWith(SiteParamsSchema, request.params);
    const site = await siteForBrowser(db, request, reply, siteKey);
    const messengers = Object.fromEntries((context.channels ?? []).filter((channel) => channel.publicProfile && channel.isConfigured(site)).map((channel) => [channel.name, channel.publicProfile!(site)]));
    // The country the server reads national numbers in is the phone fields' default too
    // (their example and hint), unless the config names another.
    const country = site.defaultCountry && /^[A-Z]{2}$/.test(site.defaultCountry) ? site.defaultCountry : undefined;
    const callback = { defaultCountry: country, ...(site.config['callback'] as object | undefined) };
    // Only what the server knows of its channels: never whatever was stored under that name.
    const config = SiteConfigSchema.safeParse({ ...site.config, site: site.id, callback, messengers: Object.keys(messengers).length > 0 ? messengers : undefined, openNow: undefined });
    if (!config.success) {
      request.log.error({ site: site.id, issues: config.error.issues }, 'stored site config is invalid');
      throw new ThreadlineServerError(500, 'server', 'the site configuration is invalid; fix it in the inbox');
    }
    reply.header('Cache-Control', 'public, max-age=60');
    const hours = config.data.businessHours;
    return hours ? { ...config.data, openNow: openNow(hours, context.clock?.() ?? new Date()) } : config.data;
  });
}
