// Which channels an agent can answer a customer in, and how a refusal reads.
import type { ApiFailure } from './api';

export interface Identity {
  kind: string;
  value: string;
  verified: boolean;
}

/** A browser bound to the contact: `own` reads only what it wrote (unverified), `contact` proved who it is. */
export interface WebVisitor {
  id: string;
  access: 'own' | 'contact';
}

export const CHANNEL_LABELS: Readonly<Record<string, string>> = { web: 'Web', telegram: 'Telegram', whatsapp: 'WhatsApp', email: 'E-mail', sms: 'SMS' };

/** The visible name of a channel; an unknown one shows as the server names it. */
export const channelLabel = (channel: string): string => CHANNEL_LABELS[channel] ?? channel;

// The identity kind each messenger writes to (channel-replies.ts: `channel.identityKind`).
const MESSENGERS = ['telegram', 'whatsapp', 'email'] as const;

/**
 * The channels this customer can be reached in: each messenger they have an
 * identity in, and the web when a browser of theirs wrote (a reply goes to it).
 */
export function reachableChannels(identities: readonly Identity[], items: readonly { channel: string; direction: string }[]): string[] {
  const kinds = new Set(identities.map((identity) => identity.kind));
  const webWrote = items.some((item) => item.channel === 'web' && item.direction === 'in');
  return [...(webWrote ? ['web'] : []), ...MESSENGERS.filter((kind) => kinds.has(kind))];
}

/** Where the customer wrote last, when the agent can answer there; else the first reachable channel. */
export function defaultChannel(reachable: readonly string[], lastInboundChannel: string | null): string | undefined {
  return lastInboundChannel && reachable.includes(lastInboundChannel) ? lastInboundChannel : reachable[0];
}

// What the agent can do about each refusal of POST /api/v1/threads/:id/messages (agent-threads.ts,
// channel-replies.ts, whatsapp/reply-window.ts); the server's own message says what happened.
const HINTS: Readonly<Record<string, string>> = {
  template_required: 'Pick another channel, or wait until the customer writes on WhatsApp.',
  no_recipient: 'Pick another channel.',
  channel_unavailable: 'Pick another channel.',
  no_web_visitor: 'Pick one of their messengers.',
  network: 'Send again in a moment.',
};

/** A refusal as sentences the agent can act on. */
export const refusalText = (error: ApiFailure): string => `Not sent: ${error.message}.${HINTS[error.code] ? ` ${HINTS[error.code]}` : ''}`;
