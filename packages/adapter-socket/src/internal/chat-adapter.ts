// The socket adapter itself, given how to load its connector (see socket-adapter.ts),
// so that a size entry can measure it without the connector.
import {
  createHttpAdapter,
  ThreadlineError,
  type BackendAdapter,
  type IncomingEvent,
  type Mutation,
  type MutationKind,
  type MutationTypes,
  type SessionContext,
} from '@threadline/core';
import type { SocketAdapterOptions, SocketConnector } from '../socket-adapter';
import type { SocketSession } from './socket-session';

/** createSocketAdapter, with the connector loaded by `loadConnector` unless `options.connect` is given. */
export function createChatAdapter(options: SocketAdapterOptions, loadConnector: () => Promise<SocketConnector>): BackendAdapter {
  // How both halves reach the server over HTTP (the socket half for its visitor token).
  const server = { endpoint: options.endpoint.replace(/\/+$/, ''), ...(options.fetch ? { fetch: options.fetch } : {}) };
  const http = createHttpAdapter(server);
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

  /** The socket half, loaded once, in parallel with the connector. */
  const chat = (): Promise<SocketSession> => {
    if (!context) return Promise.reject(new ThreadlineError('unsupported', 'the adapter was not started'));
    if (session) return Promise.resolve(session);
    return (loading ??= Promise.all([import('./socket-session'), options.connect ?? loadConnector()]).then(
      ([{ createSocketSession }, connect]) =>
        (session = createSocketSession({
          server,
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

  // beacon, siteConfig and messengerLink are the HTTP adapter's: one request each, no socket.
  return {
    ...http,
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
    history: async (afterSeq) => (await chat()).history(afterSeq),
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
