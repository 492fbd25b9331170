import type { Site } from '../../domain/sites';

/** What the WhatsApp channel needs to know about a site's business number (docs/channels.md, "WhatsApp"). */
export interface WhatsAppSettings {
  /** The business phone number's id in the Cloud API (not the phone number itself). */
  phoneNumberId: string;
  /** A system-user access token with whatsapp_business_messaging. */
  accessToken: string;
  /** The Meta app secret that signs webhook deliveries (X-Hub-Signature-256). */
  appSecret: string;
  /** The token typed into the app dashboard, echoed back in the GET verification handshake. */
  verifyToken: string;
  apiBase: string;
  apiVersion: string;
}

/** Meta's Graph API host. */
export const DEFAULT_API_BASE = 'https://graph.facebook.com';
/** The Graph API version used when none is configured. */
export const DEFAULT_API_VERSION = 'v23.0';

const text = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined);

/**
 * The site's `settings.whatsapp`, each field falling back to the environment
 * (`WHATSAPP_PHONE_NUMBER_ID` …); undefined while any of the four secrets is missing,
 * which leaves the channel off for that site.
 */
export function whatsAppSettings(site: Site, env: Record<string, string | undefined>): WhatsAppSettings | undefined {
  const own = (typeof site.settings.whatsapp === 'object' && site.settings.whatsapp !== null ? site.settings.whatsapp : {}) as Record<string, unknown>;
  const phoneNumberId = text(own.phoneNumberId) ?? text(env.WHATSAPP_PHONE_NUMBER_ID);
  const accessToken = text(own.accessToken) ?? text(env.WHATSAPP_ACCESS_TOKEN);
  const appSecret = text(own.appSecret) ?? text(env.WHATSAPP_APP_SECRET);
  const verifyToken = text(own.verifyToken) ?? text(env.WHATSAPP_VERIFY_TOKEN);
  if (!phoneNumberId || !accessToken || !appSecret || !verifyToken) return undefined;
  return {
    phoneNumberId,
    accessToken,
    appSecret,
    verifyToken,
    apiBase: (text(own.apiBase) ?? text(env.WHATSAPP_API_BASE) ?? DEFAULT_API_BASE).replace(/\/+$/, ''),
    apiVersion: text(own.apiVersion) ?? text(env.WHATSAPP_API_VERSION) ?? DEFAULT_API_VERSION,
  };
}
