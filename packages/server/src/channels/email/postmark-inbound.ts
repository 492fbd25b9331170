import { secretsEqual } from '../../auth/secrets-equal';
import type { FastifyInstance } from 'fastify';
import { simpleParser } from 'mailparser';
import { z } from 'zod';
import { findSite } from '../../domain/sites';
import { ThreadlineServerError } from '../../errors';
import { parseWith } from '../../http/parse-body';
import type { ChannelContext } from '../channel';
import { siteMailbox, type MailEnvironment, type WebhookCredentials } from './email-settings';
import { EmailRejection, parseRawEmail, receiveEmail, type IncomingEmail } from './inbound-email';
import { bareMessageId } from './message-ids';

// Postmark's inbound webhook JSON, the fields this channel reads
// (https://postmarkapp.com/developer/webhooks/inbound-webhook). `RawEmail` is present when the
// inbound stream has "Include raw email content in JSON payload" switched on, and is preferred.
const PostmarkAddressSchema = z.object({ Email: z.string(), Name: z.string().optional() });
const PostmarkInboundSchema = z.object({
  FromFull: PostmarkAddressSchema,
  ToFull: z.array(PostmarkAddressSchema).optional(),
  CcFull: z.array(PostmarkAddressSchema).optional(),
  Subject: z.string().optional(),
  MessageID: z.string().min(1),
  Date: z.string().optional(),
  TextBody: z.string().optional(),
  HtmlBody: z.string().optional(),
  Headers: z.array(z.object({ Name: z.string(), Value: z.string() })).optional(),
  Attachments: z.array(z.object({ Name: z.string().optional(), Content: z.string(), ContentType: z.string().optional(), ContentLength: z.number().optional() })).optional(),
  RawEmail: z.string().optional(),
});
type PostmarkInbound = z.infer<typeof PostmarkInboundSchema>;

const header = (message: PostmarkInbound, name: string) => message.Headers?.find((entry) => entry.Name.toLowerCase() === name.toLowerCase())?.Value;
const ids = (value: string | undefined) => (value ?? '').split(/\s+/).map(bareMessageId).filter(Boolean);

async function htmlToText(html: string): Promise<string> {
  // mailparser's own HTML-to-text, as for an HTML-only message over SMTP.
  return ((await simpleParser(Buffer.from(`Content-Type: text/html; charset=utf-8\r\n\r\n${html}`))).text ?? '').trim();
}

/** Postmark's JSON as the channel's one shape of an e-mail. */
export async function emailFromPostmark(message: PostmarkInbound): Promise<IncomingEmail> {
  if (message.RawEmail) return parseRawEmail(Buffer.from(message.RawEmail));
  const messageId = header(message, 'Message-ID');
  const date = message.Date ? new Date(message.Date) : undefined;
  const autoSubmitted = header(message, 'Auto-Submitted');
  return {
    fromAddress: message.FromFull.Email,
    ...(message.FromFull.Name ? { fromName: message.FromFull.Name } : {}),
    ...(messageId && bareMessageId(messageId) ? { messageId: bareMessageId(messageId) } : {}),
    // Postmark's own id is the same on every retry of one inbound message.
    fallbackId: `${message.MessageID}@inbound.postmarkapp.com`,
    inReplyTo: ids(header(message, 'In-Reply-To')),
    references: ids(header(message, 'References')),
    subject: (message.Subject ?? '').trim(),
    text: message.TextBody?.trim() || (message.HtmlBody ? await htmlToText(message.HtmlBody) : ''),
    to: (message.ToFull ?? []).map((entry) => entry.Email),
    cc: (message.CcFull ?? []).map((entry) => entry.Email),
    ...(date && !Number.isNaN(date.getTime()) ? { date } : {}),
    ...(autoSubmitted && autoSubmitted !== 'no' ? { autoSubmitted } : {}),
    attachments: (message.Attachments ?? []).map((attachment) => {
      const content = Buffer.from(attachment.Content, 'base64');
      return { ...(attachment.Name ? { fileName: attachment.Name } : {}), ...(attachment.ContentType ? { mimeType: attachment.ContentType } : {}), sizeBytes: content.length, content };
    }),
  };
}

function credentialsMatch(authorization: string | undefined, expected: WebhookCredentials): boolean {
  const given = authorization?.startsWith('Basic ') ? Buffer.from(authorization.slice(6).trim(), 'base64').toString('utf8') : '';
  return secretsEqual(given, `${expected.username}:${expected.password}`);
}

/**
 * `POST /api/v1/channels/email/:site/postmark`: Postmark's inbound webhook, for
 * a site whose mail arrives through Postmark instead of this server's SMTP
 * listener. Postmark has no signature; it documents HTTP basic auth in the
 * webhook URL (https://postmarkapp.com/developer/webhooks/webhooks-overview),
 * checked here against the site's credentials. 200 only once stored (Postmark
 * retries anything else, up to 10 times).
 */
export function registerPostmarkInbound(app: FastifyInstance, context: ChannelContext, environment: MailEnvironment, maxMessageBytes: number): void {
  app.post<{ Params: { site: string } }>(
    '/api/v1/channels/email/:site/postmark',
    // Base64 attachments in JSON: a third more than the message itself.
    { bodyLimit: Math.ceil(maxMessageBytes * 1.4) + 64 * 1024 },
    async (request, reply) => {
      const site = await findSite(context.db, request.params.site);
      const credentials = site && siteMailbox(site, environment)?.postmark;
      if (!site || !credentials) throw new ThreadlineServerError(404, 'not_found', `site ${request.params.site} has no Postmark inbound webhook`, 'site');
      if (!credentialsMatch(request.headers.authorization, credentials)) {
        reply.header('www-authenticate', 'Basic realm="threadline"');
        throw new ThreadlineServerError(401, 'unauthorized', 'the basic-auth credentials do not match the site’s Postmark webhook credentials');
      }
      const message = parseWith(PostmarkInboundSchema, request.body);
      try {
        const [result] = await receiveEmail(context, environment, { sites: [site.id], email: await emailFromPostmark(message) });
        return reply.code(200).send({ ok: true, created: result?.created ?? false });
      } catch (error) {
        if (error instanceof EmailRejection) throw new ThreadlineServerError(422, 'rejected', error.message.replace(/^\d\.\d\.\d+ /, ''), 'FromFull.Email');
        throw error;
      }
    },
  );
}
