import { linkTexts } from './link-notice';

const CALLBACK_DATA = /^link:(yes|no):([A-Za-z0-9_-]{1,55})$/;

/** The callback_data of the two buttons: 1–64 bytes (https://core.telegram.org/bots/api#inlinekeyboardbutton). */
export const linkCallbackData = (answer: 'yes' | 'no', offerId: string) => `link:${answer}:${offerId}`;

/**
 * Reads a button's callback_data. A client may send any data here (the Bot API
 * warns so), so it only names an offer; whose offer it is gets checked against
 * what was stored when the user pressed Start.
 */
export function parseLinkCallbackData(data: string | undefined): { answer: 'yes' | 'no'; offerId: string } | undefined {
  const match = data?.match(CALLBACK_DATA);
  return match ? { answer: match[1] as 'yes' | 'no', offerId: match[2]! } : undefined;
}

/**
 * The sendMessage body that asks the Telegram user to confirm the link, with a
 * Yes and a No button under the message (an inline keyboard,
 * https://core.telegram.org/bots/api#inlinekeyboardmarkup); pressing one sends
 * the bot a callback_query.
 */
export function linkPromptMessage(chatId: string, offerId: string, languageCode: string | undefined, siteName: string): Record<string, unknown> {
  const texts = linkTexts(languageCode, siteName);
  return {
    chat_id: chatId,
    text: texts.prompt,
    reply_markup: {
      inline_keyboard: [
        [
          { text: texts.yes, callback_data: linkCallbackData('yes', offerId) },
          { text: texts.no, callback_data: linkCallbackData('no', offerId) },
        ],
      ],
    },
  };
}
