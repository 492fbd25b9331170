import { createTransport } from 'nodemailer';
import { JobFailure } from '../../jobs/job-failure';
import type { OutboundMessage } from '../channel';
import type { EmailReplyContext } from './inbound-email';
import type { SiteMailbox } from './email-settings';

// Errors nodemailer raises before the relay said anything that retrying could change.
const FINAL_CLIENT_ERRORS = new Set(['EENVELOPE', 'EMESSAGE', 'ECONFIG']);

/** An SMTP failure as the job queue needs it: 4xx (greylisting, mailbox busy) and network errors retry, 5xx is final. */
export function failureFromSmtp(error: unknown): JobFailure {
  const { responseCode, response, code, message } = error as { responseCode?: number; response?: string; code?: string; message?: string };
  if (typeof responseCode === 'number') {
    return new JobFailure(`SMTP relay answered ${responseCode}: ${response ?? message ?? ''}`.slice(0, 2000), { retryable: responseCode < 500, cause: error });
  }
  return new JobFailure(`SMTP delivery failed${code ? ` (${code})` : ''}: ${message ?? String(error)}`.slice(0, 2000), { retryable: !(code && FINAL_CLIENT_ERRORS.has(code)), cause: error });
}

const readReplyContext = (value: Record<string, unknown>): Partial<EmailReplyContext> => ({
  ...(typeof value.messageId === 'string' ? { messageId: value.messageId } : {}),
  ...(Array.isArray(value.references) ? { references: value.references.filter((id): id is string => typeof id === 'string') } : {}),
  ...(typeof value.subject === 'string' ? { subject: value.subject } : {}),
});

/** The Message-ID of an agent reply: derived from the item, so a retried send repeats it and the customer's client can drop the copy. */
export function replyMessageId(itemId: string, mailbox: SiteMailbox): string {
  return `${itemId}@${mailbox.address.slice(mailbox.address.lastIndexOf('@') + 1)}`;
}

/**
 * Sends an agent reply through the site's SMTP relay, threaded under the
 * customer's last mail (In-Reply-To and References, RFC 5322 §3.6.4).
 * Resolves with the reply context the customer's answer will refer to.
 */
export async function sendEmailReply(mailbox: SiteMailbox, siteName: string, message: OutboundMessage): Promise<EmailReplyContext> {
  if (!mailbox.outboundUrl) throw new JobFailure('no outbound SMTP relay is configured (settings.email.outbound.url or THREADLINE_SMTP_OUTBOUND_URL)', { retryable: false });
  const previous = readReplyContext(message.replyContext);
  const messageId = replyMessageId(message.itemId, mailbox);
  const references = [...(previous.references ?? []), ...(previous.messageId ? [previous.messageId] : [])];
  const base = previous.subject || `Your message to ${mailbox.displayName ?? siteName}`;
  const subject = /^re:/i.test(base) ? base : `Re: ${base}`;
  let transport;
  try {
    transport = createTransport(mailbox.outboundUrl);
  } catch (error) {
    throw new JobFailure(`the outbound SMTP URL is invalid: ${(error as Error).message}`, { retryable: false, cause: error });
  }
  try {
    await transport.sendMail({
      from: { name: mailbox.displayName ?? siteName, address: mailbox.address },
      to: message.recipient,
      subject,
      text: message.text,
      messageId: `<${messageId}>`,
      ...(previous.messageId ? { inReplyTo: `<${previous.messageId}>` } : {}),
      ...(references.length ? { references: references.map((id) => `<${id}>`) } : {}),
    });
  } catch (error) {
    throw failureFromSmtp(error);
  } finally {
    transport.close();
  }
  return { messageId, references, subject };
}
