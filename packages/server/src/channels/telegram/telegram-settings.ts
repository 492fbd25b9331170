import { createHmac } from 'node:crypto';
import * as z from 'zod';
import type { Queryable } from '../../db/database';
import type { Site } from '../../domain/sites';

/** The Bot API's own host; tests and self-hosted Bot API servers point `apiBase` elsewhere. */
export const DEFAULT_TELEGRAM_API_BASE = 'https://api.telegram.org';

// setWebhook's secret_token: "1-256 characters. Only characters A-Z, a-z, 0-9, _ and - are allowed".
const SECRET_PATTERN = /^[A-Za-z0-9_-]{1,256}$/;

const AskForPhoneSchema = z.union([z.boolean(), z.object({ text: z.string().min(1).max(4096).optional(), button: z.string().min(1).max(128).optional() })]);

/** `sites.settings.telegram` as an operator stores it (docs/channels.md). */
export const TelegramSiteSettingsSchema = z.object({
  botToken: z.string().regex(/^\d+:[A-Za-z0-9_-]+$/, 'a bot token looks like 123456:ABC-DEF…'),
  webhookSecret: z.string().regex(SECRET_PATTERN, 'use 1–256 of A-Z a-z 0-9 _ -').optional(),
  apiBase: z.url().optional(),
  botUsername: z.string().regex(/^[A-Za-z0-9_]{3,64}$/).optional(),
  askForPhone: AskForPhoneSchema.optional(),
});

/** One site's stored Telegram set-up. */
export type TelegramSiteSettings = z.infer<typeof TelegramSiteSettingsSchema>;

/** Everything the channel needs for one site, defaults applied. */
export interface TelegramSettings {
  botToken: string;
  /** The numeric id before the colon of the token: update ids are unique per bot. */
  botId: string;
  webhookSecret: string;
  apiBase: string;
  botUsername?: string;
  /** The request_contact prompt, or false when the site does not want the bot to ask. */
  askForPhone: false | { text?: string; button?: string };
}

/**
 * A webhook secret derived from the bot token, for set-ups that give only
 * TELEGRAM_BOT_TOKEN: the server and the webhook command derive the same one.
 */
export function derivedWebhookSecret(botToken: string): string {
  return createHmac('sha256', botToken).update('threadline telegram webhook').digest('base64url');
}

/**
 * The site's Telegram set-up: `settings.telegram` when it holds a bot token,
 * else TELEGRAM_BOT_TOKEN / TELEGRAM_WEBHOOK_SECRET / TELEGRAM_API_BASE from the
 * environment; undefined when neither is there (or the stored one is invalid).
 */
export function telegramSettings(site: Pick<Site, 'settings'>, env: Record<string, string | undefined>): TelegramSettings | undefined {
  const stored = TelegramSiteSettingsSchema.safeParse(site.settings.telegram);
  const fromEnv = env.TELEGRAM_BOT_TOKEN
    ? TelegramSiteSettingsSchema.safeParse({
        botToken: env.TELEGRAM_BOT_TOKEN,
        ...(env.TELEGRAM_WEBHOOK_SECRET ? { webhookSecret: env.TELEGRAM_WEBHOOK_SECRET } : {}),
        ...(env.TELEGRAM_API_BASE ? { apiBase: env.TELEGRAM_API_BASE } : {}),
        ...(env.TELEGRAM_BOT_USERNAME ? { botUsername: env.TELEGRAM_BOT_USERNAME } : {}),
      })
    : undefined;
  const chosen = stored.success ? stored.data : fromEnv?.success ? fromEnv.data : undefined;
  if (!chosen) return undefined;
  const askForPhone = chosen.askForPhone ?? true;
  return {
    botToken: chosen.botToken,
    botId: chosen.botToken.split(':')[0]!,
    webhookSecret: chosen.webhookSecret ?? derivedWebhookSecret(chosen.botToken),
    apiBase: (chosen.apiBase ?? DEFAULT_TELEGRAM_API_BASE).replace(/\/+$/, ''),
    ...(chosen.botUsername ? { botUsername: chosen.botUsername } : {}),
    askForPhone: askForPhone === false ? false : askForPhone === true ? {} : askForPhone,
  };
}

/** Stores a site's Telegram set-up (validated) in `sites.settings.telegram`; false when there is no such site. */
export async function saveTelegramSettings(db: Queryable, siteId: string, settings: TelegramSiteSettings): Promise<boolean> {
  const valid = TelegramSiteSettingsSchema.parse(settings);
  const { rows } = await db.query('update sites set settings = settings || jsonb_build_object(\'telegram\', $2::jsonb) where id = $1 returning id', [siteId, JSON.stringify(valid)]);
  return rows.length > 0;
}
