// `npm run telegram:webhook -- --site demo --url https://chat.example.com`: points the
// site's bot at this server (setWebhook with the secret token and the update kinds the
// channel handles), optionally storing the bot token for the site first (docs/channels.md).
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { callBotApi } from '../channels/telegram/bot-api';
import { saveTelegramSettings, telegramSettings, TelegramSiteSettingsSchema } from '../channels/telegram/telegram-settings';
import { configFromEnv } from '../config';
import type { Queryable } from '../db/database';
import { openDatabase } from '../db/open-database';
import { findSite } from '../domain/sites';

/** The update kinds the channel acts on (callback_query: the Yes / No of a "Continue in Telegram" prompt); Telegram sends nothing else (member changes …). */
export const ALLOWED_UPDATES = ['message', 'edited_message', 'callback_query'] as const;

export interface WebhookRegistration {
  site: string;
  /** The server's public HTTPS base URL, e.g. https://chat.example.com. */
  publicUrl: string;
  /** Stored in the site's settings before registering, when given. */
  botToken?: string;
  webhookSecret?: string;
  apiBase?: string;
  dropPendingUpdates?: boolean;
}

/**
 * Stores the given bot settings for the site (when any), then calls setWebhook
 * with the site's webhook URL, `secret_token` and `allowed_updates`. With no
 * database (`db` undefined) the environment's TELEGRAM_* settings are used.
 * Resolves with the registered URL; rejects with the Bot API's refusal.
 */
export async function registerTelegramWebhook(db: Queryable | undefined, env: Record<string, string | undefined>, registration: WebhookRegistration): Promise<{ url: string; description: string }> {
  let settingsSource: { settings: Record<string, unknown> } = { settings: {} };
  if (db) {
    const site = await findSite(db, registration.site);
    if (!site) throw new Error(`no site "${registration.site}"`);
    if (registration.botToken) {
      const stored = TelegramSiteSettingsSchema.partial().parse(site.settings.telegram ?? {});
      await saveTelegramSettings(db, site.id, {
        ...stored,
        botToken: registration.botToken,
        ...(registration.webhookSecret ? { webhookSecret: registration.webhookSecret } : {}),
        ...(registration.apiBase ? { apiBase: registration.apiBase } : {}),
      });
    }
    settingsSource = (await findSite(db, registration.site))!;
  }
  const settings = telegramSettings(settingsSource, env);
  if (!settings) throw new Error(`Telegram is not set up for site "${registration.site}": pass --bot-token or set TELEGRAM_BOT_TOKEN`);
  const base = new URL(registration.publicUrl);
  const url = new URL(`/api/v1/channels/telegram/${encodeURIComponent(registration.site)}`, base).href;
  const description = await callBotApi<boolean>(settings, 'setWebhook', {
    url,
    secret_token: settings.webhookSecret,
    allowed_updates: ALLOWED_UPDATES,
    ...(registration.dropPendingUpdates ? { drop_pending_updates: true } : {}),
  }).then(() => 'Webhook was set');
  return { url, description };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      site: { type: 'string' },
      url: { type: 'string' },
      'bot-token': { type: 'string' },
      secret: { type: 'string' },
      'api-base': { type: 'string' },
      'drop-pending-updates': { type: 'boolean' },
    },
  });
  const config = configFromEnv();
  const publicUrl = values.url ?? config.publicUrl;
  if (!values.site || !publicUrl) {
    process.stderr.write('usage: npm run telegram:webhook -- --site <site> --url <https://public.base.url> [--bot-token <token>] [--secret <secret>] [--api-base <url>] [--drop-pending-updates]\n');
    process.exit(2);
  }
  if (new URL(publicUrl).protocol !== 'https:') process.stderr.write(`warning: Telegram delivers webhooks only to https URLs (ports 443, 80, 88, 8443); ${publicUrl} is not one\n`);
  let db: Awaited<ReturnType<typeof openDatabase>> | undefined;
  try {
    db = await openDatabase(config.databaseUrl ? { databaseUrl: config.databaseUrl } : { dataDir: join(config.dataDir, 'pglite') });
  } catch (error) {
    // A running `npm start` holds the PGlite folder: the environment's bot still works.
    if (values['bot-token'] || !process.env.TELEGRAM_BOT_TOKEN) throw error;
    process.stderr.write(`note: database not opened (${(error as Error).message}); using TELEGRAM_BOT_TOKEN from the environment\n`);
  }
  try {
    const result = await registerTelegramWebhook(db, process.env, {
      site: values.site,
      publicUrl,
      ...(values['bot-token'] ? { botToken: values['bot-token'] } : {}),
      ...(values.secret ? { webhookSecret: values.secret } : {}),
      ...(values['api-base'] ? { apiBase: values['api-base'] } : {}),
      ...(values['drop-pending-updates'] ? { dropPendingUpdates: true } : {}),
    });
    process.stdout.write(`${result.description}: ${result.url}\n`);
  } finally {
    await db?.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    process.stderr.write(`telegram:webhook failed: ${(error as Error).message}\n`);
    process.exit(1);
  });
}
