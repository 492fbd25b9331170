import { signal, type ReadonlySignal } from '@preact/signals-core';
import type { Author } from '../schemas/message';
import type { ChatItem } from './chat-thread';

/** The state the chat panel reads; created eagerly so that it can be read before the chat code loads. */
export function createChatSignals() {
  return {
    messages: signal<ChatItem[]>([]),
    unread: signal(0),
    agentTyping: signal<Author | undefined>(undefined),
    agentsOnline: signal<number | undefined>(undefined),
  };
}

export type ChatSignals = ReturnType<typeof createChatSignals>;

/** The chat's state as the client hands it to pages: read-only. */
export interface ReadonlyChatSignals {
  /** Every message of the thread this browser knows, oldest first, with delivery status. */
  messages: ReadonlySignal<ChatItem[]>;
  /** Business messages that arrived while the chat was closed. */
  unread: ReadonlySignal<number>;
  /** The agent who is typing now, if any. */
  agentTyping: ReadonlySignal<Author | undefined>;
  agentsOnline: ReadonlySignal<number | undefined>;
}

