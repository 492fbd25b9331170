import type { Site } from '../../domain/sites';
import type { ChannelContext } from '../channel';
import { recordInboundMessage } from '../inbound-message';
import { answerLinkOffer, type LinkOutcome } from './deep-links';
import { linkNotice } from './link-notice';
import { parseLinkCallbackData } from './link-prompt';
import type { TelegramCallbackQuery } from './telegram-update';

/** How the bot answers a button press: answerCallbackQuery always (it stops the button's spinner), and the prompt rewritten when it was this user's. */
export interface CallbackAnswer {
  callbackQueryId: string;
  text?: string;
  /** The prompt message to rewrite with `text` (its buttons go with it). */
  edit?: { chatId: string; messageId: number };
}

/**
 * Settles a "Continue in Telegram" offer from the Yes / No button under the
 * prompt. Only the Telegram user who pressed Start is listened to; the decision
 * is recorded in their thread (after the join, so it lands in the joined one).
 * Presses on anything else are only answered.
 */
export async function handleCallbackQuery(context: Pick<ChannelContext, 'db' | 'realtime' | 'events'>, site: Site, query: TelegramCallbackQuery): Promise<{ link?: LinkOutcome; answer: CallbackAnswer }> {
  const pressed = parseLinkCallbackData(query.data);
  if (!pressed) return { answer: { callbackQueryId: query.id } };
  const from = query.from;
  const userId = String(from.id);
  const link = await answerLinkOffer(context.db, site.id, pressed.offerId, userId, pressed.answer, { recordEvent: context.events.forSite(site) });
  const text = linkNotice(link.outcome, from.language_code, site.name)!;
  if (!('visitorId' in link)) return { link, answer: { callbackQueryId: query.id, text } };

  if (link.outcome === 'linked' && link.merges.length) {
    context.events.kick();
    for (const merge of link.merges) context.realtime.contactsMerged({ site: site.id, winnerId: merge.winnerId, loserId: merge.loserId });
  }
  const chatId = query.message?.chat.id ?? from.id;
  await recordInboundMessage(context, {
    site,
    channel: 'telegram',
    externalId: `telegram:callback:${query.id}`,
    claims: [{ kind: 'telegram', value: userId, ...(from.username ? { raw: `@${from.username}` } : {}), verified: true, via: 'telegram_sender' }],
    name: [from.first_name, from.last_name].filter(Boolean).join(' ') || undefined,
    type: 'event',
    payload: {
      telegram: { chatId, ...(from.username ? { username: from.username } : {}), ...(from.language_code ? { languageCode: from.language_code } : {}) },
      event: 'telegram.link',
      deepLink: link.outcome,
      visitorId: link.visitorId,
    },
  });
  return { link, answer: { callbackQueryId: query.id, text, ...(query.message ? { edit: { chatId: String(query.message.chat.id), messageId: query.message.message_id } } : {}) } };
}
