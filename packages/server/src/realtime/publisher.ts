import type { TimelineItem } from '../domain/timeline';

/**
 * What the HTTP side tells the realtime side after a commit. The socket.io
 * implementation fans out to agents and to the browsers allowed to see an item;
 * tests and single-purpose tools use `silentPublisher`.
 */
export interface RealtimePublisher {
  itemAdded(event: { site: string; contactId: string; item: TimelineItem }): void;
  threadChanged(event: { site: string; threadId: string }): void;
  contactsMerged(event: { site: string; winnerId: string; loserId: string }): void;
}

export const silentPublisher: RealtimePublisher = {
  itemAdded: () => {},
  threadChanged: () => {},
  contactsMerged: () => {},
};
