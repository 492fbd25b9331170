import { createHash } from 'node:crypto';
import { simpleParser, type AddressObject } from 'mailparser';
import { newId } from '../../domain/ids';
import { normalizeEmail } from '../../domain/normalize';
import { findSite, type Site } from '../../domain/sites';
import type { ChannelContext } from '../channel';
import { recordInboundMessage, type InboundAttachment, type InboundResult } from '../inbound-message';
import { siteMailbox, type MailEnvironment } from './email-settings';
import { bareMessageId, findReferencedMessage, rememberMessageId } from './message-ids';
import { stripQuotedReply } from './quoted-reply';

/** A message the channel refuses, with the SMTP reply that says why (RFC 3463 enhanced codes). */
export class EmailRejection extends Error {
  readonly responseCode: number;

  constructor(responseCode: number, message: string) {
    super(message);
    this.name = 'EmailRejection';
    this.responseCode = responseCode;
  }
}

/** What the thread knows about an e-mail for answering it (handed back to `send` as replyContext). */
export interface EmailReplyContext {
  messageId: string;
  references: string[];
  subject: string;
}

/** One e-mail, whichever way it came (SMTP, a provider's inbound webhook), with ids bare of angle brackets. */
export interface IncomingEmail {
  /** The From header's address as written (checked and normalised on receipt). */
  fromAddress?: string;
  fromName?: string;
  /** The From header as written, kept as the identity's raw value. */
  fromRaw?: string;
  /** Absent when the message had none: `fallbackId` stands in. */
  messageId?: string;
  fallbackId: string;
  inReplyTo: string[];
  references: string[];
  subject: string;
  text: string;
  to: string[];
  cc: string[];
  date?: Date;
  autoSubmitted?: string;
  attachments: InboundAttachment[];
}

const listOf = (value: string | string[] | undefined): string[] => (value === undefined ? [] : Array.isArray(value) ? value : value.split(/\s+/)).map(bareMessageId).filter(Boolean);
const addresses = (value: AddressObject | AddressObject[] | undefined): string[] =>
  (Array.isArray(value) ? value : value ? [value] : []).flatMap((group) => group.value.map((entry) => entry.address ?? '')).filter(Boolean);

/** Parses a raw RFC 5322 message (mailparser is lenient: garbage parses into a message without a From). */
export async function parseRawEmail(raw: Buffer): Promise<IncomingEmail> {
  const parsed = await simpleParser(raw);
  const sender = parsed.from?.value[0];
  const autoSubmitted = parsed.headers.get('auto-submitted');
  return {
    ...(sender?.address ? { fromAddress: sender.address } : {}),
    ...(sender?.name ? { fromName: sender.name } : {}),
    ...(parsed.from?.text ? { fromRaw: parsed.from.text } : {}),
    ...(parsed.messageId ? { messageId: bareMessageId(parsed.messageId) } : {}),
    // RFC 5322 only says SHOULD for Message-ID: without one, the same bytes delivered twice are still one message.
    fallbackId: `sha256:${createHash('sha256').update(raw).digest('hex')}@threadline.invalid`,
    inReplyTo: listOf(parsed.inReplyTo),
    references: listOf(parsed.references),
    subject: (parsed.subject ?? '').trim(),
    text: (parsed.text ?? '').trim(),
    to: addresses(parsed.to),
    cc: addresses(parsed.cc),
    ...(parsed.date ? { date: parsed.date } : {}),
    ...(autoSubmitted && String(autoSubmitted) !== 'no' ? { autoSubmitted: String(autoSubmitted) } : {}),
    attachments: parsed.attachments.map((attachment) => ({
      ...(attachment.filename ? { fileName: attachment.filename } : {}),
      mimeType: attachment.contentType,
      sizeBytes: attachment.size,
      content: attachment.content,
    })),
  };
}

/**
 * Files one e-mail into each addressed site's customer thread. Throws an
 * EmailRejection for mail that cannot be a customer's message (no usable
 * From, a loop); SMTP answers it with that code, the webhook with a 4xx.
 */
export async function receiveEmail(
  context: Pick<ChannelContext, 'db' | 'realtime' | 'events'>,
  environment: MailEnvironment,
  delivery: { sites: string[]; email: IncomingEmail },
): Promise<InboundResult[]> {
  const { email } = delivery;
  const from = email.fromAddress ? normalizeEmail(email.fromAddress) : undefined;
  if (!from) throw new EmailRejection(550, '5.1.7 The message has no valid From address, so it cannot be answered');
  const sites = (await Promise.all([...new Set(delivery.sites)].map((id) => findSite(context.db, id)))).filter((site) => site !== undefined);
  // A reply of ours bounced back to us, or a forwarding loop: never a customer.
  if (sites.some((site) => siteMailbox(site, environment)?.address === from)) throw new EmailRejection(550, '5.7.1 Mail from this mailbox to itself is refused (a mail loop)');
  const results: InboundResult[] = [];
  for (const site of sites) results.push(await fileEmail(context, site, from, email));
  return results;
}

async function fileEmail(context: Pick<ChannelContext, 'db' | 'realtime' | 'events'>, site: Site, from: string, email: IncomingEmail): Promise<InboundResult> {
  const messageId = email.messageId ?? email.fallbackId;
  // The message answered first, then the rest of the conversation from the newest back.
  const referenced = await findReferencedMessage(context.db, site.id, [...email.inReplyTo, ...[...email.references].reverse()]);
  const text = stripQuotedReply(email.text) || email.subject || undefined;
  const replyContext: EmailReplyContext = { messageId, references: [...new Set([...email.references, ...email.inReplyTo])], subject: email.subject };

  const result = await recordInboundMessage(context, {
    site,
    channel: 'email',
    externalId: `email:${messageId}`,
    // The From header is the sender's own claim: without DKIM/SPF/DMARC results we can vouch
    // for (this server checks none of them) it is unverified. research/backend.md §5 (pitfall 3)
    // and §9, DESIGN.md: an unverified claim may put the mail in that contact's thread for
    // agents, but never lets anybody read the thread's history and never outweighs a verified identity.
    claims: [{ kind: 'email', value: from, raw: email.fromRaw ?? from, verified: false }],
    ...(email.fromName ? { name: email.fromName } : {}),
    ...(text !== undefined ? { text } : {}),
    payload: {
      subject: email.subject,
      from,
      to: email.to,
      ...(email.cc.length ? { cc: email.cc } : {}),
      messageId,
      ...(email.inReplyTo.length ? { inReplyTo: email.inReplyTo } : {}),
      ...(email.text !== text ? { fullText: email.text } : {}),
      senderVerified: false,
      ...(email.autoSubmitted ? { autoSubmitted: email.autoSubmitted } : {}),
      replyContext,
    },
    attachments: email.attachments,
    ...(email.date ? { sentAt: email.date } : {}),
  });
  if (referenced && referenced.contactId !== result.contactId) {
    // An answer to someone else's conversation (a colleague replying, a forward): the sender is
    // who the mail is from, so it stays with the sender; the agent is told which thread it
    // answers, and a merge suggestion lets a person decide whether the two are one customer.
    // Both writes are idempotent and repeated for a redelivery: the sender retries until it
    // gets its 250, which comes only after them.
    await context.db.query("update timeline_items set payload = payload || jsonb_build_object('answersThread', $2::text) where id = $1", [result.item.id, referenced.threadId]);
    await context.db.query(
      `insert into merge_suggestions (id, site_id, a_contact_id, b_contact_id, reason, evidence) values ($1, $2, $3, $4, 'email-answer-from-another-address', $5)
       on conflict (site_id, least(a_contact_id, b_contact_id), greatest(a_contact_id, b_contact_id), reason) where state = 'open' do nothing`,
      [newId(), site.id, result.contactId, referenced.contactId, JSON.stringify({ kind: 'email', value: from, verified: false, inReplyTo: referenced.messageId })],
    );
  }
  // Also after a duplicate: a crash between the item and this row must not lose the threading.
  await rememberMessageId(context.db, { site: site.id, messageId, direction: 'in', threadId: result.threadId, contactId: result.contactId, itemId: result.item.id, subject: email.subject });
  return result;
}
