import type { IdentityClaim } from '../../domain/identity-resolution';
import { normalizePhone } from '../../domain/normalize';
import type { Site } from '../../domain/sites';
import type { ChannelContext } from '../channel';
import { recordInboundMessage, type InboundAttachment, type InboundResult } from '../inbound-message';
import { offerLinkToken, type OfferOutcome } from './deep-links';
import type { TelegramMessage, TelegramUpdate } from './telegram-update';

/** What became of one update. */
export type UpdateOutcome =
  | { handled: false; reason: 'not-private' | 'no-sender' | 'unsupported-kind' }
  | { handled: true; result: InboundResult; chatId: string; languageCode?: string; link?: OfferOutcome; edited: boolean };

const START_WITH_TOKEN = /^\/start(?:@[A-Za-z0-9_]+)?\s+(\S{1,64})\s*$/;
const START = /^\/start(?:@[A-Za-z0-9_]+)?\s*$/;

const externalId = (message: TelegramMessage) => `telegram:${message.chat.id}:${message.message_id}`;

function attachmentsOf(message: TelegramMessage): InboundAttachment[] {
  const attachments: InboundAttachment[] = [];
  // Telegram sends one photo in several sizes, smallest first: the largest is the photo.
  const photo = message.photo?.at(-1);
  if (photo) attachments.push({ externalRef: photo.file_id, mimeType: 'image/jpeg', ...(photo.file_size !== undefined ? { sizeBytes: photo.file_size } : {}) });
  const document = message.document;
  if (document) {
    attachments.push({
      externalRef: document.file_id,
      ...(document.file_name ? { fileName: document.file_name } : {}),
      ...(document.mime_type ? { mimeType: document.mime_type } : {}),
      ...(document.file_size !== undefined ? { sizeBytes: document.file_size } : {}),
    });
  }
  return attachments;
}

/**
 * Files one Telegram update into the customer's thread. Only private chats
 * with a human sender count; the sender's user id is a verified `telegram`
 * identity; a shared contact whose `user_id` is the sender's own is a verified
 * phone (research/backend.md §4.1), anyone else's contact is kept as a fact
 * without any claim. An edit is a timeline event pointing at the original
 * message (the original text stays as the customer first sent it).
 */
export async function handleUpdate(context: Pick<ChannelContext, 'db' | 'realtime' | 'events'>, site: Site, update: TelegramUpdate): Promise<UpdateOutcome> {
  const edited = update.edited_message !== undefined && update.message === undefined;
  const message = update.message ?? update.edited_message;
  if (!message) return { handled: false, reason: 'unsupported-kind' };
  if (message.chat.type !== 'private') return { handled: false, reason: 'not-private' };
  const from = message.from;
  if (!from || from.is_bot) return { handled: false, reason: 'no-sender' };

  const userId = String(from.id);
  const name = [from.first_name, from.last_name].filter(Boolean).join(' ') || undefined;
  const claims: IdentityClaim[] = [{ kind: 'telegram', value: userId, ...(from.username ? { raw: `@${from.username}` } : {}), verified: true, via: 'telegram_sender' }];
  const telegram = { chatId: message.chat.id, messageId: message.message_id, ...(from.username ? { username: from.username } : {}), ...(from.language_code ? { languageCode: from.language_code } : {}) };
  const base = { site, channel: 'telegram' as const, name, sentAt: new Date((message.edit_date ?? message.date) * 1000) };
  const done = (result: InboundResult, link?: OfferOutcome): UpdateOutcome => ({
    handled: true,
    result,
    chatId: String(message.chat.id),
    ...(from.language_code ? { languageCode: from.language_code } : {}),
    ...(link ? { link } : {}),
    edited,
  });

  if (edited) {
    const result = await recordInboundMessage(context, {
      ...base,
      externalId: `${externalId(message)}:edit:${message.edit_date ?? update.update_id}`,
      claims,
      type: 'event',
      ...(message.text ?? message.caption ? { text: message.text ?? message.caption } : {}),
      payload: { telegram, event: 'telegram.edited', editOf: externalId(message) },
    });
    return done(result);
  }

  const contact = message.contact;
  if (contact) {
    const own = contact.user_id !== undefined && contact.user_id === from.id;
    const phone = normalizePhone(contact.phone_number, site.defaultCountry ?? undefined, 'messenger');
    if (own && phone) claims.push({ kind: 'phone', value: phone, raw: contact.phone_number, verified: true, via: 'telegram_contact' });
    const result = await recordInboundMessage(context, {
      ...base,
      externalId: externalId(message),
      claims,
      type: 'event',
      payload: {
        telegram,
        event: own ? 'telegram.phone_shared' : 'telegram.contact_shared',
        contact: {
          phone: phone ?? contact.phone_number,
          firstName: contact.first_name,
          ...(contact.last_name ? { lastName: contact.last_name } : {}),
          ...(contact.user_id !== undefined ? { userId: String(contact.user_id) } : {}),
          own,
        },
      },
    });
    return done(result);
  }

  const text = message.text ?? message.caption;
  const startToken = message.text?.match(START_WITH_TOKEN)?.[1];
  if (startToken !== undefined) {
    // Nothing is linked yet: the user is asked first (link-callback.ts links on their "Yes").
    const link = await offerLinkToken(context.db, site.id, startToken, userId);
    // The token itself is never stored in the thread: it is a credential until it expires; nor is the offer id.
    const result = await recordInboundMessage(context, {
      ...base,
      externalId: externalId(message),
      claims,
      type: 'event',
      payload: { telegram, event: 'telegram.start', deepLink: link.outcome, ...('visitorId' in link ? { visitorId: link.visitorId } : {}) },
    });
    return done(result, link);
  }
  if (message.text !== undefined && START.test(message.text)) {
    const result = await recordInboundMessage(context, { ...base, externalId: externalId(message), claims, type: 'event', payload: { telegram, event: 'telegram.start' } });
    return done(result);
  }

  const attachments = attachmentsOf(message);
  if (text === undefined && attachments.length === 0) {
    // A sticker, voice note, location …: kept as a fact so the agent knows something came.
    const kind = Object.keys(message).find((key) => !['message_id', 'from', 'chat', 'date', 'entities'].includes(key)) ?? 'unknown';
    const result = await recordInboundMessage(context, { ...base, externalId: externalId(message), claims, type: 'event', payload: { telegram, event: 'telegram.unsupported', kind } });
    return done(result);
  }
  const result = await recordInboundMessage(context, {
    ...base,
    externalId: externalId(message),
    claims,
    ...(text !== undefined ? { text } : {}),
    ...(attachments.length ? { attachments } : {}),
    payload: { telegram },
  });
  return done(result);
}
