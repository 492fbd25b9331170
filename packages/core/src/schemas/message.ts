import * as z from 'zod/mini';
import { ClientIdSchema, PageSchema, SiteKeySchema, TimestampSchema, VisitorIdSchema } from './common';

/** The channels a thread item can come from or go to. */
export const ChannelSchema = z.enum(['web', 'telegram', 'whatsapp', 'email', 'sms']);

/** Who wrote a message. */
export const AuthorSchema = z.object({
  kind: z.enum(['visitor', 'agent', 'bot', 'system']),
  name: z.optional(z.string().check(z.maxLength(120))),
  avatarUrl: z.optional(z.string().check(z.maxLength(2048))),
});

/** Message text: trimmed, 1–4,000 characters, always rendered as text. */
export const MessageTextSchema = z.string().check(z.trim(), z.minLength(1), z.maxLength(4000));

/** What the visitor's browser sends to post a chat message. */
export const OutgoingMessageSchema = z.object({
  site: SiteKeySchema,
  visitorId: VisitorIdSchema,
  clientId: ClientIdSchema,
  sessionId: z.optional(ClientIdSchema),
  text: MessageTextSchema,
  page: z.optional(PageSchema),
  createdAt: z.optional(TimestampSchema),
});

/** A message of a thread as the server stores and delivers it. */
export const ChatMessageSchema = z.object({
  id: z.string(),
  clientId: z.optional(ClientIdSchema),
  threadId: z.optional(z.string()),
  /** Position in the thread, gap-free, used to catch up after a reconnect. */
  seq: z.number().check(z.int(), z.gte(0)),
  text: z.string().check(z.maxLength(4000)),
  author: AuthorSchema,
  channel: ChannelSchema,
  createdAt: TimestampSchema,
});

/** The server's acknowledgement of a visitor message. */
export const MessageAckSchema = z.object({
  id: z.string(),
  seq: z.number().check(z.int(), z.gte(0)),
  threadId: z.optional(z.string()),
  createdAt: z.optional(TimestampSchema),
});

export type Channel = z.infer<typeof ChannelSchema>;
export type Author = z.infer<typeof AuthorSchema>;
export type OutgoingMessage = z.infer<typeof OutgoingMessageSchema>;
export type ChatMessage = z.infer<typeof ChatMessageSchema>;
export type MessageAck = z.infer<typeof MessageAckSchema>;
