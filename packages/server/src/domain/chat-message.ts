import type { ChatMessage } from '@threadline/core';
import type { TimelineItem } from './timeline';

/** A timeline message in the shape browsers receive (core's ChatMessage). */
export function toChatMessage(item: TimelineItem): ChatMessage {
  return {
    id: item.id,
    ...(item.clientId ? { clientId: item.clientId } : {}),
    threadId: item.threadId,
    seq: item.seq,
    text: item.text ?? '',
    author: {
      kind: item.author.kind === 'contact' ? 'visitor' : item.author.kind,
      ...(item.author.name ? { name: item.author.name } : {}),
    },
    channel: item.channel as ChatMessage['channel'],
    createdAt: item.createdAt,
  };
}
