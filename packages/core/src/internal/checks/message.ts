// Twins of ../../schemas/message.ts (see check.ts).
import type { OutgoingMessage } from '../../schemas/message';
import { clientId, page, siteKey, timestamp } from './common';
import { object, optional } from './object';
import { text } from './text';

/** MessageTextSchema: trimmed, 1–4,000 characters. */
export const messageText = text({ trim: true, min: 1, max: 4000 });

/** OutgoingMessageSchema. */
export const outgoingMessage = object<OutgoingMessage>({
  site: siteKey,
  visitorId: clientId,
  clientId,
  sessionId: optional(clientId),
  text: messageText,
  page: optional(page),
  createdAt: optional(timestamp),
});
