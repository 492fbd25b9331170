import { JobFailure } from '../../jobs/job-failure';
import type { Channel, ChannelContext } from '../channel';
import { mailEnvironment, siteMailbox } from './email-settings';
import { receiveEmail } from './inbound-email';
import { rememberMessageId } from './message-ids';
import { replyMessageId, sendEmailReply } from './outbound-email';
import { registerPostmarkInbound } from './postmark-inbound';
import { createSmtpListener, type SmtpListener } from './smtp-listener';

const DEFAULT_MAX_MESSAGE_BYTES = 10 * 1024 * 1024;

/** Overrides for the environment (tests listen on port 0). */
export interface EmailChannelOptions {
  /** Inbound SMTP port; default THREADLINE_SMTP_PORT; without either no listener starts. 0 picks a free port. */
  smtpPort?: number;
  /** Default THREADLINE_SMTP_HOST, else 127.0.0.1. */
  smtpHost?: string;
  /** Default THREADLINE_SMTP_MAX_BYTES, else 10 MiB. */
  maxMessageBytes?: number;
}

/** The e-mail channel, plus the port its SMTP listener got (when it runs). */
export interface EmailChannel extends Channel {
  smtpPort(): number | undefined;
}

function numberFrom(raw: string | undefined, name: string): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a whole number, got "${raw}"`);
  return value;
}

/**
 * E-mail as a messenger: customers write to the site's support address (the
 * channel's own SMTP listener receives it, or Postmark's inbound webhook at
 * POST /api/v1/channels/email/:site/postmark), the sender's address is their
 * identity, and agent replies leave through the site's SMTP relay threaded
 * under the customer's mail.
 */
export function createEmailChannel(env: Record<string, string | undefined>, options: EmailChannelOptions = {}): EmailChannel {
  const environment = mailEnvironment(env);
  const port = options.smtpPort ?? numberFrom(env.THREADLINE_SMTP_PORT, 'THREADLINE_SMTP_PORT');
  const host = options.smtpHost ?? env.THREADLINE_SMTP_HOST ?? '127.0.0.1';
  const maxMessageBytes = options.maxMessageBytes ?? numberFrom(env.THREADLINE_SMTP_MAX_BYTES, 'THREADLINE_SMTP_MAX_BYTES') ?? DEFAULT_MAX_MESSAGE_BYTES;
  let listener: SmtpListener | undefined;
  let boundPort: number | undefined;

  return {
    name: 'email',
    identityKind: 'email',
    // Agents can answer by e-mail only where replies have a way out.
    isConfigured: (site) => siteMailbox(site, environment)?.outboundUrl !== undefined,
    async register(app, context: ChannelContext) {
      registerPostmarkInbound(app, context, environment, maxMessageBytes);
      if (port === undefined) return;
      listener = createSmtpListener({
        db: context.db,
        environment,
        maxMessageBytes,
        deliver: async (delivery) => {
          await receiveEmail(context, environment, delivery);
        },
        onError: (error) => app.log.error(error),
      });
      boundPort = await listener.listen(port, host);
    },
    async send(message, context) {
      const mailbox = siteMailbox(message.site, environment);
      if (!mailbox) throw new JobFailure(`site ${message.site.id} has no e-mail address to send from`, { retryable: false });
      // Known before it leaves: the customer's answer may arrive before this job records the send.
      await rememberMessageId(context.db, {
        site: message.site.id,
        messageId: replyMessageId(message.itemId, mailbox),
        direction: 'out',
        threadId: message.threadId,
        contactId: message.contactId,
        itemId: message.itemId,
      });
      const sent = await sendEmailReply(mailbox, message.site.name, message);
      return { externalId: `email:${sent.messageId}`, context: { ...sent } };
    },
    async close() {
      await listener?.close();
      listener = undefined;
    },
    smtpPort: () => boundPort,
  };
}
