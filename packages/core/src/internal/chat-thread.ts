import { batch } from '@preact/signals-core';
import type { ThreadlineError } from '../errors';
import type { Author, ChatMessage } from '../schemas/message';
import type { ChatSignals } from './chat-signals';
import type { KeyValueStore } from './storage/key-value-store';

/** Where a message is on its way: kept in the outbox, acknowledged, seen by an agent, or refused. */
export type ChatItemStatus = 'sending' | 'sent' | 'read' | 'failed';

/** A message as the chat panel shows it. */
export interface ChatItem {
  /** Present for messages written in this browser; the key until the server assigns `id`. */
  clientId?: string;
  id?: string;
  seq?: number;
  text: string;
  author: Author;
  createdAt: string;
  status: ChatItemStatus;
  error?: { code: string; message: string };
}

export const THREAD_KEY = 'thread';
// Enough for a returning visitor to see the conversation at once; older history
// comes from the server on demand.
const CACHED_MESSAGES = 100;

function order(a: ChatItem, b: ChatItem): number {
  // Acknowledged messages follow the server's sequence; pending ones stay at the end in the order typed.
  if (a.seq !== undefined && b.seq !== undefined) return a.seq - b.seq;
  if (a.seq !== undefined) return -1;
  if (b.seq !== undefined) return 1;
  return a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0;
}

/** The local copy of the visitor's thread: messages, unread count, agent typing and presence. */
export function createChatThread(store: () => KeyValueStore, { messages, unread, agentTyping, agentsOnline }: ChatSignals) {

  const save = () => store().set(THREAD_KEY, messages.value.filter((item) => item.seq !== undefined).slice(-CACHED_MESSAGES)).catch(() => {});

  const update = (match: (item: ChatItem) => boolean, change: (item: ChatItem) => ChatItem) => {
    messages.value = messages.value.map((item) => (match(item) ? change(item) : item)).sort(order);
    void save();
  };

  return {
    async load(): Promise<void> {
      const cached = await store().get<ChatItem[]>(THREAD_KEY).catch(() => undefined);
      if (Array.isArray(cached) && cached.length > 0) messages.value = mergeItems(messages.value, cached);
    },
    addOwn(clientId: string, text: string, createdAt: string): void {
      const item: ChatItem = { clientId, text, author: { kind: 'visitor' }, createdAt, status: 'sending' };
      messages.value = [...messages.value, item].sort(order);
    },
    acknowledged(clientId: string, ack: { id: string; seq: number; createdAt?: string }): void {
      update(
        (item) => item.clientId === clientId,
        (item) => ({ ...item, id: ack.id, seq: ack.seq, createdAt: ack.createdAt ?? item.createdAt, status: item.status === 'read' ? 'read' : 'sent' }),
      );
    },
    failed(clientId: string, error: ThreadlineError): void {
      update(
        (item) => item.clientId === clientId,
        (item) => ({ ...item, status: 'failed', error: { code: error.code, message: error.message } }),
      );
    },
    retrying(clientId: string): void {
      update(
        (item) => item.clientId === clientId,
        ({ error: _error, ...item }) => ({ ...item, status: 'sending' }),
      );
    },
    /** Adds server messages (live or from history); returns those that were new. */
    receive(incoming: ChatMessage[], panelOpen: boolean): ChatMessage[] {
      const fresh = incoming.filter((message) => !messages.value.some((item) => item.id === message.id || (message.clientId !== undefined && item.clientId === message.clientId && item.seq !== undefined)));
      batch(() => {
        messages.value = mergeItems(
          messages.value,
          incoming.map((message) => ({
            id: message.id,
            seq: message.seq,
            text: message.text,
            author: message.author,
            createdAt: message.createdAt,
            status: 'sent' as const,
            ...(message.clientId ? { clientId: message.clientId } : {}),
          })),
        );
        const fromBusiness = fresh.filter((message) => message.author.kind !== 'visitor');
        if (fromBusiness.length > 0) agentTyping.value = undefined;
        if (!panelOpen) unread.value += fromBusiness.length;
      });
      void save();
      return fresh;
    },
    typing(author: Author | undefined): void {
      agentTyping.value = author;
    },
    presence(count: number): void {
      agentsOnline.value = count;
    },
    markReadByAgent(upToSeq: number): void {
      update(
        (item) => item.author.kind === 'visitor' && item.seq !== undefined && item.seq <= upToSeq,
        (item) => ({ ...item, status: 'read' }),
      );
    },
    latestSeq(): number {
      return messages.value.reduce((highest, item) => Math.max(highest, item.seq ?? 0), 0);
    },
    clear(): void {
      batch(() => {
        messages.value = [];
        unread.value = 0;
        agentTyping.value = undefined;
      });
      void store().del(THREAD_KEY).catch(() => {});
    },
  };
}

// Server copies replace local ones (matched by id, or by client id for our own
// messages) so that a message is never shown twice.
function mergeItems(current: ChatItem[], incoming: ChatItem[]): ChatItem[] {
  const merged = [...current];
  for (const item of incoming) {
    const index = merged.findIndex((existing) => (item.id !== undefined && existing.id === item.id) || (item.clientId !== undefined && existing.clientId === item.clientId));
    if (index === -1) merged.push(item);
    else merged[index] = { ...merged[index]!, ...item, status: merged[index]!.status === 'read' ? 'read' : item.status };
  }
  return merged.sort(order);
}

export type ChatThread = ReturnType<typeof createChatThread>;
