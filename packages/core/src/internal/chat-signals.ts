import { signal } from '@preact/signals-core';
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

