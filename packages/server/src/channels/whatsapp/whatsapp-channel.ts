import { validate } from '@threadline/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { findSite, type Site } from '../../domain/sites';
import { ThreadlineServerError } from '../../errors';
import { JobFailure } from '../../jobs/job-failure';
import type { Channel, ChannelContext } from '../channel';
import { recordInboundMessage } from '../inbound-message';
import { applyDeliveryStatus } from './delivery-statuses';
import { sendTextMessage } from './graph-api';
import { inboundMessages, type WhatsAppInbound } from './inbound-messages';
import { checkReplyWindow } from './reply-window';
import { MessagesValueSchema, WhatsAppWebhookSchema, type WhatsAppStatus } from './webhook-payload';
import { secretsEqual } from '../../auth/secrets-equal';
import { isSignedByMeta } from './webhook-signature';
import { whatsAppSettings, type WhatsAppSettings } from './whatsapp-settings';

/** Meta batches up to 1,000 updates in one delivery; 1 MB leaves room for that. */
const WEBHOOK_BODY_LIMIT = 1024 * 1024;

/** How the WhatsApp channel is built: where its settings fall back to, and its clock. */
export interface WhatsAppChannelOptions {
  /** Where settings not set per site come from (`WHATSAPP_*`). */
  env: Record<string, string | undefined>;
  /** The clock the 24-hour window is measured with, in ms since the epoch. */
  now?: () => number;
}

type SiteParams = { Params: { site: string } };

/**
 * The WhatsApp Cloud API channel: the webhook (GET verification handshake, POST
 * signed with X-Hub-Signature-256) files customers' messages into their one
 * thread, statuses[] move our replies' delivery state, and agent replies go out
 * through the messages endpoint while the 24-hour window is open.
 */
export function createWhatsAppChannel(options: WhatsAppChannelOptions): Channel {
  const { env } = options;
  const now = options.now ?? Date.now;

  async function configuredSite(context: ChannelContext, siteId: string): Promise<{ site: Site; settings: WhatsAppSettings }> {
    const site = await findSite(context.db, siteId);
    if (!site) throw new ThreadlineServerError(404, 'unknown_site', `no site "${siteId}"`, 'site');
    const settings = whatsAppSettings(site, env);
    if (!settings) throw new ThreadlineServerError(404, 'channel_not_configured', `WhatsApp is not set up for site "${siteId}"`, 'site');
    return { site, settings };
  }

  async function verifyHandshake(context: ChannelContext, request: FastifyRequest<SiteParams>, reply: FastifyReply) {
    const { settings } = await configuredSite(context, request.params.site);
    const query = request.query as Record<string, unknown>;
    const token = typeof query['hub.verify_token'] === 'string' ? query['hub.verify_token'] : '';
    const challenge = query['hub.challenge'];
    if (query['hub.mode'] !== 'subscribe' || typeof challenge !== 'string' || !secretsEqual(token, settings.verifyToken)) {
      throw new ThreadlineServerError(403, 'forbidden', 'the verify token does not match this site', 'hub.verify_token');
    }
    return reply.code(200).type('text/plain; charset=utf-8').send(challenge);
  }

  async function receive(context: ChannelContext, request: FastifyRequest<SiteParams>, reply: FastifyReply) {
    const { site, settings } = await configuredSite(context, request.params.site);
    const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    if (!isSignedByMeta(raw, request.headers['x-hub-signature-256'] as string | undefined, settings.appSecret)) {
      throw new ThreadlineServerError(401, 'bad_signature', 'X-Hub-Signature-256 is missing or does not match the body under the app secret');
    }
    let json: unknown;
    try {
      json = JSON.parse(raw.toString('utf8'));
    } catch {
      throw new ThreadlineServerError(400, 'invalid_json', 'the body is not valid JSON');
    }
    const parsed = validate(WhatsAppWebhookSchema, json);
    if (!parsed.ok) throw new ThreadlineServerError(400, 'invalid_input', parsed.error.message, parsed.error.field);

    // Everything is read and checked before anything is stored: a bad delivery stores nothing.
    const messages: WhatsAppInbound[] = [];
    const statuses: WhatsAppStatus[] = [];
    parsed.value.entry.forEach((entry, entryIndex) =>
      entry.changes.forEach((change, changeIndex) => {
        if (change.field !== 'messages') return;
        const field = `entry.${entryIndex}.changes.${changeIndex}.value`;
        const value = validate(MessagesValueSchema, change.value, field);
        if (!value.ok) throw new ThreadlineServerError(400, 'invalid_input', value.error.message, value.error.field);
        // One Meta app posts every number's updates to one URL: only this site's number belongs here.
        if (value.value.metadata && value.value.metadata.phone_number_id !== settings.phoneNumberId) return;
        messages.push(...inboundMessages(value.value, field));
        statuses.push(...(value.value.statuses ?? []));
      }),
    );
    // Meta redelivers a delivery that is not answered 200; recordInboundMessage ignores a wamid it has.
    for (const message of messages) await recordInboundMessage(context, { site, ...message });
    for (const status of statuses) {
      const threadId = await applyDeliveryStatus(context, site.id, status);
      if (threadId) context.realtime.threadChanged({ site: site.id, threadId });
    }
    return reply.code(200).send({ ok: true });
  }

  return {
    name: 'whatsapp',
    identityKind: 'whatsapp',
    isConfigured: (site) => whatsAppSettings(site, env) !== undefined,
    async register(app: FastifyInstance, context: ChannelContext) {
      // Encapsulated so that only these routes keep the raw bytes the signature covers.
      await app.register(async (scope) => {
        scope.removeAllContentTypeParsers();
        scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: WEBHOOK_BODY_LIMIT }, (_request, body, done) => done(null, body));
        scope.get<SiteParams>('/api/v1/channels/whatsapp/:site', (request, reply) => verifyHandshake(context, request, reply));
        scope.post<SiteParams>('/api/v1/channels/whatsapp/:site', { bodyLimit: WEBHOOK_BODY_LIMIT }, (request, reply) => receive(context, request, reply));
      });
    },
    checkReply: (tx, reply) => checkReplyWindow(tx, reply.threadId, now()),
    async send(message) {
      const settings = whatsAppSettings(message.site, env);
      if (!settings) throw new JobFailure(`WhatsApp is not set up for site ${message.site.id}`, { retryable: false });
      return { externalId: await sendTextMessage(settings, message.recipient, message.text) };
    },
  };
}
