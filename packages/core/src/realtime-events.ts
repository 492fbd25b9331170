import type { Author, ChatMessage, OutgoingMessage } from './schemas/message';

/** What a socket acknowledgement carries: the result, or the error in the HTTP API's shape. */
export type SocketAck<T> = ({ ok: true } & T) | { ok: false; error: { code: string; field?: string; message: string } };

/** Events the visitor namespace (`/visitor`) sends to a browser. */
export interface VisitorServerEvents {
  'message:new': (message: ChatMessage) => void;
  typing: (event: { typing: boolean; author?: Author }) => void;
  read: (event: { upToSeq: number }) => void;
  presence: (event: { agentsOnline: number }) => void;
  'session:merged': (event: { contactId?: string }) => void;
}

/** Events a browser sends to the visitor namespace; each answers through its ack. */
export interface VisitorClientEvents {
  'message:send': (message: Omit<OutgoingMessage, 'site' | 'visitorId'>, ack: (result: SocketAck<{ id: string; seq: number; threadId: string; createdAt: string }>) => void) => void;
  history: (request: { afterSeq: number }, ack: (result: SocketAck<{ messages: ChatMessage[]; latestSeq: number }>) => void) => void;
  typing: (event: { typing: boolean }) => void;
  read: (event: { upToSeq: number }) => void;
}

/** The `auth` a browser presents when it connects to `/visitor`. */
export interface VisitorSocketAuth {
  site: string;
  visitorId: string;
  /** Issued by `POST /api/v1/sessions`. */
  token: string;
}
