import type { BackendAdapter, SocketAck, VisitorClientEvents, VisitorServerEvents } from '@threadline/core';
import { createChatAdapter } from './internal/chat-adapter';

type Payload<E extends keyof VisitorClientEvents> = Parameters<VisitorClientEvents[E]>[0];
type AckResult<E extends keyof VisitorClientEvents> = Parameters<VisitorClientEvents[E]> extends [unknown, (result: infer R) => void] ? R : never;
type Request = 'message:send' | 'history';
type Notice = 'typing' | 'read';

/**
 * What the adapter uses of a socket on the server's `/visitor` namespace, typed by core's
 * event maps: the built-in wire client has it, and so has a socket.io-client `Socket`.
 */
export interface VisitorSocket {
  /** False once the server refused or ended the session, or after `disconnect()`: no reconnection follows. */
  readonly active: boolean;
  /** Whether the last (re)connection resumed the session (socket.io connection state recovery). */
  readonly recovered: boolean;
  readonly io: {
    on(event: 'reconnect_attempt', listener: () => void): unknown;
    off(event: 'reconnect_attempt', listener: () => void): unknown;
  };
  on<E extends keyof VisitorServerEvents>(event: E, listener: VisitorServerEvents[E]): unknown;
  on(event: 'connect', listener: () => void): unknown;
  on(event: 'disconnect', listener: (reason: string) => void): unknown;
  /** `error.data` is the server's `{ code, message }` when a middleware refused the connection. */
  on(event: 'connect_error', listener: (error: Error & { data?: unknown }) => void): unknown;
  /** Removes every listener. */
  off(): unknown;
  emit<E extends Notice>(event: E, payload: Payload<E>): unknown;
  /** Emits only if connected: dropped rather than queued. */
  readonly volatile: { emit<E extends Notice>(event: E, payload: Payload<E>): unknown };
  timeout(ms: number): { emitWithAck<E extends Request>(event: E, payload: Payload<E>): Promise<AckResult<E> & SocketAck<object>> };
  disconnect(): unknown;
}

/** What the adapter passes when it opens the socket (socket.io-client's `io` options among them). */
export interface SocketConnectOptions {
  auth: { site: string; visitorId: string; token: string };
  /** For socket.io-client: WebSocket first, long-polling when a proxy blocks it. The wire client is WebSocket only. */
  transports: ('websocket' | 'polling')[];
  forceNew: boolean;
}

/**
 * Opens the `/visitor` socket: the built-in wire client (WebSocket only, ~2 KB) unless
 * injected, e.g. socket.io-client's `io` for HTTP long-polling behind proxies that block WebSocket.
 */
export type SocketConnector = (url: string, options: SocketConnectOptions) => VisitorSocket | Promise<VisitorSocket>;

/** Options of the socket adapter. */
export interface SocketAdapterOptions {
  /** Base URL of the Threadline server, e.g. `https://chat.example.com`; empty for same origin. */
  endpoint: string;
  /** Used for the visitor token and for leads, identify and events; defaults to the global fetch. */
  fetch?: typeof fetch;
  /**
   * Opens the socket; by default the built-in wire client (socket.io's protocol over
   * WebSocket), loaded on first use. Pass socket.io-client's `io` to fall back to HTTP
   * long-polling where WebSocket is blocked (+~13 KB gzip).
   */
  connect?: SocketConnector;
}

/**
 * The BackendAdapter for Threadline's reference server: chat over socket.io,
 * leads, identify and events over HTTP. `start` only remembers the visitor:
 * the socket and its code load when the chat first needs
 * them (a message, history, typing, a read receipt), so a page that only shows
 * a callback or lead form never downloads them. After a reconnect the server
 * could not resume, what was missed arrives as `message:new`: no gaps.
 * @example
 * const client = createClient({ site: 'demo', adapter: createSocketAdapter({ endpoint: 'https://chat.example.com' }) });
 * await client.chat.send('Hi! Do you deliver on Saturdays?');
 */
export function createSocketAdapter(options: SocketAdapterOptions): BackendAdapter {
  // The wire client loads on demand, when the chat first needs the socket.
  return createChatAdapter(options, () => import('./internal/wire/wire-socket').then((wire) => wire.connectWireSocket));
}
