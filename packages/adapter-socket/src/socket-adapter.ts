import type { BackendAdapter, VisitorClientEvents, VisitorServerEvents } from '@threadline/core';
import type { ManagerOptions, Socket, SocketOptions } from 'socket.io-client';
import { createChatAdapter } from './internal/chat-adapter';

/** A socket.io-client socket on the server's `/visitor` namespace, typed by core's event maps. */
export type VisitorSocket = Socket<VisitorServerEvents, VisitorClientEvents>;

/** Opens the `/visitor` socket; socket.io-client's `io` unless injected (tests, a custom transport). */
export type SocketConnector = (url: string, options: Partial<ManagerOptions & SocketOptions>) => VisitorSocket | Promise<VisitorSocket>;

/** Options of the socket adapter. */
export interface SocketAdapterOptions {
  /** Base URL of the Threadline server, e.g. `https://chat.example.com`; empty for same origin. */
  endpoint: string;
  /** Used for the visitor token and for leads, identify and events; defaults to the global fetch. */
  fetch?: typeof fetch;
  /** Opens the socket; by default socket.io-client is imported on first use and its `io` is called. */
  connect?: SocketConnector;
}

/**
 * The BackendAdapter for Threadline's reference server: chat over socket.io,
 * leads, identify and events over HTTP. `start` only remembers the visitor:
 * the socket, its code and socket.io-client load when the chat first needs
 * them (a message, history, typing, a read receipt), so a page that only shows
 * a callback or lead form never downloads them. After a reconnect the server
 * could not resume, what was missed arrives as `message:new`: no gaps.
 * @example
 * const client = createClient({ site: 'demo', adapter: createSocketAdapter({ endpoint: 'https://chat.example.com' }) });
 * await client.chat.send('Hi! Do you deliver on Saturdays?');
 */
export function createSocketAdapter(options: SocketAdapterOptions): BackendAdapter {
  return createChatAdapter(options, loadSocketIo);
}

// The one place socket.io-client is imported: on demand, when the chat first needs the socket.
async function loadSocketIo(): Promise<SocketConnector> {
  const { io } = await import('socket.io-client');
  return (url, options) => io(url, options) as VisitorSocket;
}
