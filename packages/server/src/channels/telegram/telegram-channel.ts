import { secretsEqual } from '../../auth/secrets-equal';
import type { FastifyInstance } from 'fastify';
import * as z from 'zod';
import { verifyVisitorToken } from '../../auth/visitor-tokens';
import type { Queryable } from '../../db/database';
import { findSite, type Site } from '../../domain/sites';
import { ThreadlineServerError } from '../../errors';
import { siteForBrowser } from '../../http/site-guard';
import { JobFailure } from '../../jobs/job-failure';
import { serverSecret } from '../../server-secret';
import type { Channel, ChannelContext } from '../channel';
import { deliveryProcessed, markDeliveryProcessed } from '../inbound-message';
import { callBotApi } from './bot-api';
import { createLinkToken } from './deep-links';
import { handleCallbackQuery, type CallbackAnswer } from './link-callback';
import { linkNotice } from './link-notice';
import { linkPromptMessage } from './link-prompt';
import { phoneRequestMessage } from './phone-request';
import { handleUpdate } from './telegram-inbound';
import { telegramSettings, type TelegramSettings } from './telegram-settings';
import { TelegramUpdateSchema } from './telegram-update';

/** The job that sends the request_contact keyboard; one per chat, ever. */
const ASK_PHONE_JOB = 'telegram:ask-phone';
/** The job that answers a `/start <token>` that asks nothing (already joined, or the link no longer works). */
const LINK_NOTICE_JOB = 'telegram:link-notice';
/** The job that asks, after `/start <token>`, whether to link (Yes / No buttons). */
const LINK_PROMPT_JOB = 'telegram:link-prompt';
/** The job that answers a press of Yes / No and rewrites the prompt with the outcome. */
const LINK_ANSWER_JOB = 'telegram:link-answer';

const SiteParamSchema = z.object({ site: z.string().min(1).max(64) });
const LinkRequestSchema = z.object({ visitorId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'a visitorId is 8–64 of A-Z a-z 0-9 _ -') });

function firstIssue(error: z.ZodError): { field: string | undefined; message: string } {
  const issue = error.issues[0]!;
  const field = issue.path.length ? issue.path.join('.') : undefined;
  return { field, message: field ? `${field}: ${issue.message}` : issue.message };
}

function secretMatches(given: unknown, expected: string): boolean {
  return typeof given === 'string' && secretsEqual(given, expected);
}

async function hasVerifiedPhone(db: Queryable, site: string, telegramUserId: string): Promise<boolean> {
  const { rows } = await db.query(
    `select 1 from identities t join identities p on p.contact_id = t.contact_id
      where t.site_id = $1 and t.kind = 'telegram' and t.value = $2 and p.kind = 'phone' and p.verified limit 1`,
    [site, telegramUserId],
  );
  return rows.length > 0;
}

/**
 * The Telegram bot channel (docs/channels.md): the webhook
 * `POST /api/v1/channels/telegram/:site`, agent replies with sendMessage, a
 * one-time request for the customer's phone, and "Continue in Telegram" deep
 * links for web visitors (`POST /api/v1/channels/telegram/:site/link`).
 */
export function createTelegramChannel(env: Record<string, string | undefined>): Channel {
  // getMe answers rarely change: one lookup per bot token for the life of the process.
  const usernames = new Map<string, Promise<string>>();
  // The names getMe has answered: the public site config reads them without waiting on Telegram.
  const knownUsernames = new Map<string, string>();
  const botUsername = (settings: TelegramSettings): Promise<string> => {
    if (settings.botUsername) return Promise.resolve(settings.botUsername);
    let cached = usernames.get(settings.botToken);
    if (!cached) {
      cached = callBotApi<{ username?: string }>(settings, 'getMe').then((me) => {
        if (!me.username) throw new Error('getMe returned no username');
        knownUsernames.set(settings.botToken, me.username);
        return me.username;
      });
      cached.catch(() => usernames.delete(settings.botToken));
      usernames.set(settings.botToken, cached);
    }
    return cached;
  };

  return {
    name: 'telegram',
    identityKind: 'telegram',

    isConfigured: (site: Site) => telegramSettings(site, env) !== undefined,

    publicProfile(site: Site) {
      const settings = telegramSettings(site, env)!;
      // Asked in the background: the widget config is on the page's path, getMe may take seconds.
      if (!settings.botUsername) botUsername(settings).catch(() => {});
      const username = settings.botUsername ?? knownUsernames.get(settings.botToken);
      return username ? { username } : {};
    },

    async register(app: FastifyInstance, context: ChannelContext) {
      const { db } = context;
      const tokenSecret = await serverSecret(db);

      context.jobs.register(ASK_PHONE_JOB, async (job) => {
        const site = job.site ? await findSite(db, job.site) : undefined;
        const settings = site && telegramSettings(site, env);
        if (!site || !settings || settings.askForPhone === false) return;
        const chatId = String(job.payload.chatId);
        // Shared meanwhile (or linked to a verified phone by a merge): asking would only annoy.
        if (await hasVerifiedPhone(db, site.id, chatId)) return;
        await callBotApi(settings, 'sendMessage', phoneRequestMessage(chatId, job.payload.languageCode as string | undefined, settings.askForPhone));
      });

      context.jobs.register(LINK_NOTICE_JOB, async (job) => {
        const site = job.site ? await findSite(db, job.site) : undefined;
        const settings = site && telegramSettings(site, env);
        if (!site || !settings) return;
        await callBotApi(settings, 'sendMessage', { chat_id: String(job.payload.chatId), text: String(job.payload.text) });
      });

      context.jobs.register(LINK_PROMPT_JOB, async (job) => {
        const site = job.site ? await findSite(db, job.site) : undefined;
        const settings = site && telegramSettings(site, env);
        if (!site || !settings) return;
        const { chatId, offerId, languageCode } = job.payload as { chatId: string; offerId: string; languageCode?: string };
        await callBotApi(settings, 'sendMessage', linkPromptMessage(chatId, offerId, languageCode, site.name));
      });

      context.jobs.register(LINK_ANSWER_JOB, async (job) => {
        const site = job.site ? await findSite(db, job.site) : undefined;
        const settings = site && telegramSettings(site, env);
        if (!site || !settings) return;
        const answer = job.payload as unknown as CallbackAnswer;
        try {
          await callBotApi(settings, 'answerCallbackQuery', { callback_query_id: answer.callbackQueryId, ...(answer.text ? { text: answer.text } : {}) });
        } catch (error) {
          // A query answered late (a retry) is refused as too old; the rewritten prompt still tells the outcome.
          if (!(error instanceof JobFailure) || error.retryable) throw error;
        }
        if (!answer.edit || !answer.text) return;
        try {
          // Without reply_markup the edit also takes the buttons away (https://core.telegram.org/bots/api#editmessagetext).
          await callBotApi(settings, 'editMessageText', { chat_id: answer.edit.chatId, message_id: answer.edit.messageId, text: answer.text });
        } catch (error) {
          // A retry after an edit whose answer was lost: the prompt already says it.
          if (!(error instanceof JobFailure && /message is not modified/i.test(error.message))) throw error;
        }
      });

      app.post('/api/v1/channels/telegram/:site', async (request, reply) => {
        const params = SiteParamSchema.safeParse(request.params);
        if (!params.success) throw new ThreadlineServerError(400, 'invalid_input', 'site is required', 'site');
        const site = await findSite(db, params.data.site);
        const settings = site && telegramSettings(site, env);
        if (!site || !settings) throw new ThreadlineServerError(404, 'not_found', `Telegram is not set up for site "${params.data.site}"`, 'site');
        if (!secretMatches(request.headers['x-telegram-bot-api-secret-token'], settings.webhookSecret)) {
          throw new ThreadlineServerError(401, 'unauthorized', 'X-Telegram-Bot-Api-Secret-Token does not match the webhook secret');
        }
        const parsed = TelegramUpdateSchema.safeParse(request.body);
        if (!parsed.success) {
          const { field, message } = firstIssue(parsed.error);
          throw new ThreadlineServerError(400, 'invalid_input', message, field);
        }
        const update = parsed.data;
        // Update ids are unique per bot, not per site: a new bot token starts a new sequence.
        const deliveryId = `${settings.botId}:${update.update_id}`;
        if (await deliveryProcessed(context, site.id, 'telegram', deliveryId)) return reply.code(200).send({ ok: true, duplicate: true });

        if (update.callback_query) {
          const { answer } = await handleCallbackQuery(context, site, update.callback_query);
          await context.jobs.enqueue(db, { site: site.id, kind: LINK_ANSWER_JOB, payload: { ...answer }, dedupeKey: `${LINK_ANSWER_JOB}:${site.id}:${deliveryId}` });
          context.jobs.kick();
          await markDeliveryProcessed(context, site.id, 'telegram', deliveryId);
          return reply.code(200).send({ ok: true });
        }

        const outcome = await handleUpdate(context, site, update);
        // Telegram retries anything but 2xx: an update we do not act on is still acknowledged.
        if (!outcome.handled) return reply.code(200).send({ ok: true, ignored: outcome.reason });

        if (outcome.link?.outcome === 'offered') {
          const payload = { chatId: outcome.chatId, offerId: outcome.link.offerId, ...(outcome.languageCode ? { languageCode: outcome.languageCode } : {}) };
          await context.jobs.enqueue(db, { site: site.id, kind: LINK_PROMPT_JOB, payload, dedupeKey: `${LINK_PROMPT_JOB}:${site.id}:${deliveryId}` });
          context.jobs.kick();
        }
        const notice = linkNotice(outcome.link?.outcome, outcome.languageCode, site.name);
        if (notice) {
          await context.jobs.enqueue(db, { site: site.id, kind: LINK_NOTICE_JOB, payload: { chatId: outcome.chatId, text: notice }, dedupeKey: `${LINK_NOTICE_JOB}:${site.id}:${deliveryId}` });
          context.jobs.kick();
        }
        if (!outcome.edited && settings.askForPhone !== false && !(await hasVerifiedPhone(db, site.id, outcome.chatId))) {
          await context.jobs.enqueue(db, {
            site: site.id,
            kind: ASK_PHONE_JOB,
            payload: { chatId: outcome.chatId, ...(outcome.languageCode ? { languageCode: outcome.languageCode } : {}) },
            dedupeKey: `${ASK_PHONE_JOB}:${site.id}:${settings.botId}:${outcome.chatId}`,
          });
          context.jobs.kick();
        }
        await markDeliveryProcessed(context, site.id, 'telegram', deliveryId);
        return reply.code(200).send({ ok: true });
      });

      const linkLimit = app.rateLimit({ max: 20, timeWindow: '1 minute', keyGenerator: (request) => `telegram-link:${request.ip}` });
      app.post('/api/v1/channels/telegram/:site/link', { onRequest: linkLimit }, async (request, reply) => {
        const params = SiteParamSchema.safeParse(request.params);
        if (!params.success) throw new ThreadlineServerError(400, 'invalid_input', 'site is required', 'site');
        const site = await siteForBrowser(db, request, reply, params.data.site);
        const body = LinkRequestSchema.safeParse(request.body ?? {});
        if (!body.success) {
          const { field, message } = firstIssue(body.error);
          throw new ThreadlineServerError(400, 'invalid_input', message, field);
        }
        const token = request.headers.authorization?.replace(/^Bearer /, '');
        if (!verifyVisitorToken(tokenSecret, token, site.id, body.data.visitorId)) {
          throw new ThreadlineServerError(401, 'unauthorized', 'a visitor token for this visitorId is required (Authorization: Bearer <visitorToken>)');
        }
        const settings = telegramSettings(site, env);
        if (!settings) throw new ThreadlineServerError(404, 'channel_unavailable', `Telegram is not set up for site "${site.id}"`, 'site');
        let username: string;
        try {
          username = await botUsername(settings);
        } catch (error) {
          request.log.warn({ err: error }, 'telegram getMe failed');
          throw new ThreadlineServerError(503, 'channel_unavailable', 'Telegram did not tell the bot name; try again shortly');
        }
        const { token: linkToken, expiresAt } = await createLinkToken(db, site.id, body.data.visitorId);
        return reply.code(201).send({ url: `https://t.me/${username}?start=${linkToken}`, expiresAt: expiresAt.toISOString() });
      });
    },

    async send(message) {
      const settings = telegramSettings(message.site, env);
      if (!settings) throw new JobFailure(`Telegram is not set up for site ${message.site.id}`, { retryable: false });
      const sent = await callBotApi<{ message_id: number; chat: { id: number } }>(settings, 'sendMessage', { chat_id: message.recipient, text: message.text });
      return { externalId: `telegram:${sent.chat.id}:${sent.message_id}` };
    },
  };
}
