import type { Channel } from './channel';
import { createTelegramChannel } from './telegram/telegram-channel';
import { createWhatsAppChannel } from './whatsapp/whatsapp-channel';
import { createEmailChannel } from './email/email-channel';

/**
 * The messengers the server ships with. Each reads its settings from the
 * site's `settings.<channel>` or the environment (docs/channels.md) and stays
 * silent for a site that has not set it up.
 */
export function builtinChannels(env: Record<string, string | undefined>): Channel[] {
  void env;
  return [createTelegramChannel(env), createEmailChannel(env), createWhatsAppChannel({ env })];
}
