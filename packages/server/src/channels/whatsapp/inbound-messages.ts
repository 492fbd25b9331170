import type { IdentityClaim } from '../../domain/identity-resolution';
import { normalizePhone } from '../../domain/normalize';
import { ThreadlineServerError } from '../../errors';
import type { InboundAttachment, InboundMessage } from '../inbound-message';
import type { WhatsAppChangeValue, WhatsAppMessage } from './webhook-payload';

/** A customer's WhatsApp message as the channel records it (the site is added by the caller). */
export type WhatsAppInbound = Omit<InboundMessage, 'site'>;

const MEDIA_TYPES = ['image', 'document', 'audio', 'video', 'sticker'] as const;

/**
 * Who a wa_id is. research/backend.md §4.2: "`wa_id` is the phone as digits without `+`
 * today", and §9.2: "WhatsApp `wa_id` and Telegram phones: prepend `+`" — so a wa_id that
 * parses as a valid international number is the customer's phone, proven by WhatsApp
 * (only the owner of the SIM can register it), and is claimed verified so that a website
 * lead typed as "067 123 45 67" joins the same contact. §4.2 also warns that with
 * usernames (2026) a user may hide the phone and be known only by a business-scoped id
 * (`US.1349…`): then only the `whatsapp` identity is claimed, never a guessed phone.
 */
export function senderClaims(waId: string | undefined, bsuid: string | undefined): IdentityClaim[] {
  const address = waId ?? bsuid;
  if (!address) return [];
  const claims: IdentityClaim[] = [{ kind: 'whatsapp', value: address, verified: true, via: 'whatsapp' }];
  const phone = waId && /^[1-9]\d{7,14}$/.test(waId) ? normalizePhone(waId, undefined, 'messenger') : undefined;
  if (phone) claims.push({ kind: 'phone', value: phone, raw: waId, verified: true, via: 'whatsapp' });
  return claims;
}

function invalid(field: string, reason: string): never {
  throw new ThreadlineServerError(400, 'invalid_input', `${field} ${reason}`, field);
}

function content(message: WhatsAppMessage, field: string): Pick<WhatsAppInbound, 'text' | 'attachments' | 'type'> & { detail?: Record<string, unknown> } {
  switch (message.type) {
    case 'text':
      if (!message.text) invalid(`${field}.text`, 'is required for a text message');
      return { text: message.text.body };
    case 'interactive': {
      // Flow answers (nfm_reply) and newer kinds carry no title: they fall through to an event.
      const reply = message.interactive?.button_reply ?? message.interactive?.list_reply;
      if (reply) return { text: reply.title, detail: { replyId: reply.id } };
      break;
    }
    case 'button':
      if (!message.button) invalid(`${field}.button`, 'is required for a button message');
      return { text: message.button.text, ...(message.button.payload ? { detail: { replyId: message.button.payload } } : {}) };
    default:
      break;
  }
  const mediaType = MEDIA_TYPES.find((type) => type === message.type);
  if (mediaType) {
    const media = message[mediaType];
    if (!media) invalid(`${field}.${mediaType}`, `is required for a ${mediaType} message`);
    // The bytes stay at Meta until someone fetches them with the media id (GET /{media-id}).
    const attachment: InboundAttachment = { externalRef: media.id, ...(media.mime_type ? { mimeType: media.mime_type } : {}), ...(media.filename ? { fileName: media.filename } : {}) };
    return { attachments: [attachment], ...(media.caption ? { text: media.caption } : {}) };
  }
  // Locations, reactions, contacts cards, "unsupported" and system notices: kept as a fact in
  // the timeline so that the agent knows the customer wrote something, not as a chat line.
  const reason = message.errors?.[0];
  return { type: 'event', text: `WhatsApp ${message.type} message`, detail: { unsupported: message.type, ...(reason ? { error: { code: reason.code, title: reason.title ?? reason.message ?? '' } } : {}) } };
}

/**
 * Turns the messages of one webhook change into what the channel records, or
 * throws a 400 naming the field — for the whole change, before anything is stored.
 */
export function inboundMessages(value: WhatsAppChangeValue, field: string): WhatsAppInbound[] {
  const contacts = value.contacts ?? [];
  return (value.messages ?? []).map((message, index) => {
    const at = `${field}.messages.${index}`;
    const contact =
      contacts.find((candidate) => (message.from !== undefined && candidate.wa_id === message.from) || (message.from_user_id !== undefined && candidate.user_id === message.from_user_id)) ??
      (contacts.length === 1 ? contacts[0] : undefined);
    const waId = message.from ?? contact?.wa_id;
    const bsuid = message.from_user_id ?? contact?.user_id;
    const claims = senderClaims(waId, bsuid);
    if (claims.length === 0) invalid(`${at}.from`, 'is required: the message names no sender (from, from_user_id or contacts[].wa_id)');
    const { detail, ...body } = content(message, at);
    const name = contact?.profile?.name?.trim();
    return {
      channel: 'whatsapp',
      externalId: `whatsapp:${message.id}`,
      claims,
      ...(name ? { name } : {}),
      ...body,
      payload: {
        whatsapp: {
          messageId: message.id,
          type: message.type,
          ...(waId ? { waId } : {}),
          ...(bsuid ? { userId: bsuid } : {}),
          ...(value.metadata ? { phoneNumberId: value.metadata.phone_number_id } : {}),
          ...(message.context?.id ? { inReplyTo: message.context.id } : {}),
          ...detail,
        },
      },
      sentAt: new Date(Number(message.timestamp) * 1000),
    } satisfies WhatsAppInbound;
  });
}
