import { z } from 'zod';
import type { Queryable } from '../../db/database';
import { normalizeEmail } from '../../domain/normalize';
import type { Site } from '../../domain/sites';

/** `sites.settings.email`, as an operator stores it (docs/channels.md, "E-mail"). */
const EmailSettingsSchema = z.object({
  address: z.string().optional(),
  displayName: z.string().optional(),
  outbound: z.object({ url: z.string() }).optional(),
  /** Basic-auth credentials Postmark's inbound webhook URL carries (https://user:pass@host/…). */
  postmark: z.object({ username: z.string().min(1), password: z.string().min(8) }).optional(),
});

/** Credentials a provider's inbound webhook must present. */
export interface WebhookCredentials {
  username: string;
  password: string;
}

/** A site's e-mail set-up once settings and environment are combined. */
export interface SiteMailbox {
  /** The support address: where customers write, and the From of agent replies. */
  address: string;
  displayName?: string;
  /** The SMTP relay agent replies leave through (smtp://user:pass@host:587). */
  outboundUrl?: string;
  /** Who may post to the Postmark inbound webhook. */
  postmark?: WebhookCredentials;
}

/** The environment variables the e-mail channel reads; each is a fallback for a site without `settings.email`. */
export interface MailEnvironment {
  /** THREADLINE_MAIL_ADDRESS: the support address of the site named by THREADLINE_MAIL_SITE (default `demo`). */
  address?: string;
  site: string;
  /** THREADLINE_MAIL_DOMAIN: every site receives at `<site id>@<domain>`. */
  domain?: string;
  /** THREADLINE_SMTP_OUTBOUND_URL: the relay for every site without its own. */
  outboundUrl?: string;
  /** POSTMARK_INBOUND_USERNAME / POSTMARK_INBOUND_PASSWORD: for every site without its own. */
  postmark?: WebhookCredentials;
}

export function mailEnvironment(env: Record<string, string | undefined>): MailEnvironment {
  const address = env.THREADLINE_MAIL_ADDRESS && normalizeEmail(env.THREADLINE_MAIL_ADDRESS);
  const domain = env.THREADLINE_MAIL_DOMAIN?.trim().toLowerCase();
  return {
    site: env.THREADLINE_MAIL_SITE ?? 'demo',
    ...(address ? { address } : {}),
    ...(domain ? { domain } : {}),
    ...(env.THREADLINE_SMTP_OUTBOUND_URL ? { outboundUrl: env.THREADLINE_SMTP_OUTBOUND_URL } : {}),
    ...(env.POSTMARK_INBOUND_USERNAME && env.POSTMARK_INBOUND_PASSWORD ? { postmark: { username: env.POSTMARK_INBOUND_USERNAME, password: env.POSTMARK_INBOUND_PASSWORD } } : {}),
  };
}

/** The site's mailbox, or undefined when it receives no e-mail. Bad settings count as none. */
export function siteMailbox(site: Pick<Site, 'id' | 'settings'>, environment: MailEnvironment): SiteMailbox | undefined {
  const parsed = EmailSettingsSchema.safeParse(site.settings.email ?? {});
  const settings = parsed.success ? parsed.data : {};
  const address =
    (settings.address && normalizeEmail(settings.address)) ??
    (site.id === environment.site ? environment.address : undefined) ??
    (environment.domain ? normalizeEmail(`${site.id}@${environment.domain}`) : undefined);
  if (!address) return undefined;
  const outboundUrl = settings.outbound?.url ?? environment.outboundUrl;
  const postmark = settings.postmark ?? environment.postmark;
  return { address, ...(settings.displayName ? { displayName: settings.displayName } : {}), ...(outboundUrl ? { outboundUrl } : {}), ...(postmark ? { postmark } : {}) };
}

/**
 * The site an address delivers to: one whose `settings.email.address` it is,
 * the THREADLINE_MAIL_ADDRESS site, or `<site>@THREADLINE_MAIL_DOMAIN`.
 */
export async function siteForAddress(db: Queryable, rawAddress: string, environment: MailEnvironment): Promise<string | undefined> {
  const address = normalizeEmail(rawAddress);
  if (!address) return undefined;
  const configured = (await db.query<{ id: string }>("select id from sites where lower(settings->'email'->>'address') = $1 order by id limit 1", [address])).rows[0];
  if (configured) return configured.id;
  const exists = async (id: string) => (await db.query('select 1 from sites where id = $1', [id])).rows.length > 0;
  if (environment.address === address && (await exists(environment.site))) return environment.site;
  const at = address.lastIndexOf('@');
  if (environment.domain && address.slice(at + 1) === environment.domain) {
    const local = address.slice(0, at);
    // A site with its own address set does not also answer at <site>@domain.
    const site = (await db.query<{ settings: Record<string, unknown> }>('select settings from sites where id = $1', [local])).rows[0];
    const own = site && EmailSettingsSchema.safeParse(site.settings.email ?? {}).data?.address;
    if (site && !own) return local;
  }
  return undefined;
}
