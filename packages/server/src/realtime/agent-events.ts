import type { SocketAck } from '@threadline/core';
import type { TimelineItem } from '../domain/timeline';

/** Where a visitor's typing or read receipt comes from, so that the inbox can find the thread. */
export interface VisitorActivity {
  site: string;
  visitorId: string;
  contactId: string;
  /** Null until the visitor has written something (a thread is opened by the first write). */
  threadId: string | null;
}

/** Events the agent namespace (`/agent`) sends to the inbox. */
export interface AgentServerEvents {
  'item:new': (event: { site: string; contactId: string; item: TimelineItem }) => void;
  'thread:updated': (event: { site: string; threadId: string }) => void;
  'contact:merged': (event: { site: string; winnerId: string; loserId: string }) => void;
  typing: (event: VisitorActivity & { typing: boolean }) => void;
  read: (event: VisitorActivity & { upToSeq: number }) => void;
}

/** Events the inbox sends to the agent namespace; the ack is optional and reports refusals. */
export interface AgentClientEvents {
  typing: (event: { threadId: string; typing: boolean }, ack?: (result: SocketAck<object>) => void) => void;
  read: (event: { threadId: string; upToSeq: number }, ack?: (result: SocketAck<object>) => void) => void;
}

/** The `auth` the inbox presents when it connects to `/agent`: the token from `POST /api/v1/auth/login`. */
export interface AgentSocketAuth {
  token: string;
}
