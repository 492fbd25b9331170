/** What one tab tells the others of the same site. */
export type TabMessage =
  | { type: 'visitor'; visitorId: string; sessionId: string }
  | { type: 'person' }
  | { type: 'reset'; visitorId: string }
  | { type: 'consent'; granted: boolean };

export interface TabChannel {
  post(message: TabMessage): void;
  close(): void;
}

/**
 * Keeps tabs of one browser in step through BroadcastChannel (identify in one tab
 * is seen in the others). Where BroadcastChannel is missing it does nothing:
 * each tab then re-reads storage on its own triggers.
 */
export function createTabChannel(site: string, onMessage: (message: TabMessage) => void): TabChannel {
  if (typeof BroadcastChannel === 'undefined') return { post: () => {}, close: () => {} };
  const channel = new BroadcastChannel(`threadline:${site}`);
  channel.onmessage = (event: MessageEvent<TabMessage>) => onMessage(event.data);
  return {
    post: (message) => channel.postMessage(message),
    close: () => channel.close(),
  };
}
