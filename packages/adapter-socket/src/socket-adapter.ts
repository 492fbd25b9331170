import {
  createHttpAdapter,
  ThreadlineError,
  type BackendAdapter,
  type IncomingEvent,
  type Mutation,
  type MutationKind,
  type MutationTypes,
  type SessionContext,
  type VisitorClientEvents,
  type VisitorServerEvents,
} from '@threadline/core';
import type { ManagerOptions, Socket, SocketOptions } from 'socket.io-client';
import type { SocketSession } from './internal/socket-session';

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

const defaultConnector = async (): Promise<SocketConnector> => {
  const { io } = await import('socket.io-client');
  return (url, options) => io(url, options) as VisitorSocket;
};

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
  const base = options.endpoint.replace(/\/+$/, '');
  const http = createHttpAdapter({ endpoint: base, ...(options.fetch ? { fetch: options.fetch } : {}) });
  const listeners = new Set<(event: IncomingEvent) => void>();
  let context: SessionContext | undefined;
  let session: SocketSession | undefined;
  let loading: Promise<SocketSession> | undefined;

  const emit = (event: IncomingEvent) => {
    for (const listener of listeners) listener(event);
  };
  // HTTP requests tell whether the server is reachable; once a socket exists, its state is the better answer.
  http.onEvent((event) => {
    if (event.type !== 'connection' || !session?.hasSocket()) emit(event);
  });

  /** The socket half, loaded once, in parallel with socket.io-client. */
  const chat = (): Promise<SocketSession> => {
    if (!context) return Promise.reject(new ThreadlineError('unsupported', 'the adapter was not started'));
    if (session) return Promise.resolve(session);
    return (loading ??= Promise.all([import('./internal/socket-session'), options.connect ?? defaultConnector()]).then(
      ([{ createSocketSession }, connect]) =>
        (session = createSocketSession({
          base,
          request: options.fetch ?? ((input, init) => fetch(input, init)),
          connect,
          context: () => context,
          emit,
        })),
      (cause: unknown) => {
        loading = undefined;
        throw new ThreadlineError('network', 'could not load the chat connection', { retryable: true, cause });
      },
    ));
  };

  return {
    name: 'socket',
    async start(next) {
      if (context && (context.site !== next.site || context.visitorId !== next.visitorId)) session?.close();
      context = next;
      await http.start(next);
    },
    async send<K extends MutationKind>(mutation: Mutation<K>): Promise<MutationTypes[K]['result']> {
      const write = mutation as Mutation;
      // A message queued for an earlier visitor (before reset) still goes out as that visitor, over HTTP.
      if (write.kind !== 'message' || write.payload.site !== context?.site || write.payload.visitorId !== context.visitorId) return http.send(mutation);
      const { site: _site, visitorId: _visitorId, ...message } = write.payload;
      return (await chat()).sendMessage(message) as Promise<MutationTypes[K]['result']>;
    },
    beacon: (mutation) => http.beacon?.(mutation) ?? false,
    history: async (afterSeq) => (await chat()).history(afterSeq),
    siteConfig: () => http.siteConfig!(),
    typing(typing) {
      if (context && (typing || session)) chat().then((loaded) => loaded.typing(typing), () => {});
    },
    markRead(upToSeq) {
      if (context) chat().then((loaded) => loaded.markRead(upToSeq), () => {});
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    stop() {
      session?.close();
      context = undefined;
      http.stop();
    },
  };
}
