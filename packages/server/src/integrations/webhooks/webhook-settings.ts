import * as z from 'zod/mini';
import type { Site } from '../../domain/sites';

/** The domain events a site can subscribe an endpoint to. */
export const WEBHOOK_EVENT_TYPES = ['lead.created', 'message.created', 'contact.merged', 'thread.closed'] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** One endpoint in `settings.webhooks`; the secret is Standard Webhooks' `whsec_<base64>`. */
export const WebhookEndpointSchema = z.object({
  id: z.string().check(z.regex(/^[A-Za-z0-9_-]{1,64}$/)),
  url: z.url({ protocol: /^https?$/ }),
  secret: z.string().check(z.regex(/^whsec_[A-Za-z0-9+/]{16,}={0,2}$/)),
  events: z.array(z.enum(WEBHOOK_EVENT_TYPES)).check(z.minLength(1)),
});

export type WebhookEndpoint = z.infer<typeof WebhookEndpointSchema>;

/**
 * The site's valid endpoints. An invalid entry is reported and skipped: one
 * typo must not stop the other endpoints (nor the lead that triggered them).
 */
export function webhookEndpoints(site: Site, report: (message: string) => void = () => {}): WebhookEndpoint[] {
  const configured = site.settings['webhooks'];
  if (configured === undefined) return [];
  if (!Array.isArray(configured)) {
    report(`site ${site.id}: settings.webhooks must be an array`);
    return [];
  }
  const endpoints: WebhookEndpoint[] = [];
  for (const [index, entry] of configured.entries()) {
    const parsed = WebhookEndpointSchema.safeParse(entry);
    if (parsed.success) endpoints.push(parsed.data);
    else report(`site ${site.id}: settings.webhooks[${index}] is invalid: ${parsed.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`).join('; ')}`);
  }
  return endpoints;
}
