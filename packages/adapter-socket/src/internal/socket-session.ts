// The socket half of the adapter, loaded (with its connector, the wire client by
// default) only when the chat first needs it; see socket-adapter.ts.
import { requestVisitorToken, ThreadlineError, type ChatMessage, type HistoryPage, type IncomingEvent, type MessageAck, type OutgoingMessage, type SessionContext, type VisitorClientEvents, type VisitorSocketAuth, type VisitorTokenRequest } from '@threadline/core';
import type { SocketConnector, VisitorSocket } from '../socket-adapter';
import { errorFromSilence, errorFromWire } from './wire-errors';

export interface SocketSessionOptions {
  server: VisitorTokenRequest;
  connect: SocketConnector;
  /** The visitor the adapter talks for now; undefined once stopped. */
  context(): SessionContext | undefined;
  emit(event: IncomingEvent): void;
}

// Research §6: an ack that takes longer than this is treated as lost; the outbox
// sends again and the server's clientId check keeps the effect single.
const ACK_TIMEOUT_MS = 10_000;
// The server answers history in pages of up to 200 messages; a longer gap waits for the chat's loadHistory.
const CATCH_UP_PAGES = 10;

type Results = { 'message:send': MessageAck; history: HistoryPage };

/** One visitor's socket: opened on demand, reconnected by socket.io, caught up after an unrecovered reconnect. */
export function createSocketSession(options: SocketSessionOptions) {
  const { server, emit } = options;
  let socket: VisitorSocket | undefined;
  let unwire = () => {};
  let opening: Promise<VisitorSocket> | undefined;
  // Bumped by close(): a socket that finishes opening afterwards belongs to nobody and is closed.
  let generation = 0;
  // Per visitor: the highest seq delivered, and whether a socket of theirs was connected before.
  let visitorId = '';
  let lastSeq = 0;
  let connectedBefore = false;

  const status = (value: 'connecting' | 'online' | 'offline' | 'idle') => emit({ type: 'connection', status: value });
  const learn = (messages: ChatMessage[]) => {
    for (const message of messages) lastSeq = Math.max(lastSeq, message.seq);
  };
  const deliver = (messages: ChatMessage[]) => {
    learn(messages);
    for (const message of messages) emit({ type: 'message:new', message });
  };

  /** The ack's result without its `ok`; a refusal or silence becomes the adapter's error. */
  async function request<E extends keyof Results>(active: VisitorSocket, event: E, payload: Parameters<VisitorClientEvents[E]>[0]): Promise<Results[E]> {
    let ack;
    try {
      ack = await active.timeout(ACK_TIMEOUT_MS).emitWithAck(event, payload);
    } catch (cause) {
      throw errorFromSilence(cause);
    }
    if (!ack.ok) throw errorFromWire(ack.error);
    const { ok: _ok, ...result } = ack;
    return result as unknown as Results[E];
  }

  /** Gap-free catch-up: everything after the last delivered seq, delivered as if it had arrived live. */
  async function catchUp(active: VisitorSocket): Promise<void> {
    try {
      for (let page = 0; page < CATCH_UP_PAGES; page++) {
        const { messages } = await request(active, 'history', { afterSeq: lastSeq });
        if (messages.length === 0) return;
        deliver(messages);
      }
    } catch {
      // The next reconnect, or the chat's own loadHistory, asks again.
    }
  }

  /** Listens to the socket; returns what stops listening. */
  function wire(active: VisitorSocket): () => void {
    const reconnecting = () => status('connecting');
    // Ended on purpose by the server, or refused (token, origin, site): socket.io will not
    // reconnect; the next chat call opens a new socket, with a new token.
    const offline = () => {
      if (!active.active && socket === active) socket = undefined;
      status('offline');
    };
    active.on('connect', () => {
      status('online');
      const missedSome = connectedBefore && !active.recovered;
      connectedBefore = true;
      if (missedSome) void catchUp(active);
    });
    active.on('disconnect', offline);
    active.on('connect_error', () => (active.active ? reconnecting() : offline()));
    active.io.on('reconnect_attempt', reconnecting);
    active.on('message:new', (message) => deliver([message]));
    // The server sends these in the very shape of the adapter's events.
    for (const type of ['typing', 'read', 'presence', 'session:merged'] as const) {
      active.on(type, (payload: object) => emit({ ...payload, type } as IncomingEvent));
    }
    active.on('session:merged', () => {
      // A merge renumbers the absorbed thread's items: learn the new seqs from the start.
      lastSeq = 0;
      void catchUp(active);
    });
    return () => {
      active.off();
      active.io.off('reconnect_attempt', reconnecting);
    };
  }

  async function open(): Promise<VisitorSocket> {
    const session = options.context();
    const started = generation;
    const stopped = () => new ThreadlineError('network', 'the adapter was stopped while connecting', { retryable: true });
    if (!session) throw stopped();
    if (visitorId !== session.visitorId) {
      visitorId = session.visitorId;
      lastSeq = 0;
      connectedBefore = false;
    }
    status('connecting');
    try {
      const token = await requestVisitorToken(server, session);
      if (started !== generation) throw stopped();
      const auth: VisitorSocketAuth = { site: session.site, visitorId: session.visitorId, token };
      // forceNew: this visitor's socket never shares a connection (or its auth) with another client on the page.
      const opened = await options.connect(`${server.endpoint}/visitor`, { auth, transports: ['websocket', 'polling'], forceNew: true });
      if (started !== generation) {
        opened.disconnect();
        throw stopped();
      }
      unwire = wire(opened);
      return (socket = opened);
    } catch (error) {
      if (started === generation) status('offline');
      throw error;
    }
  }

  function ensureSocket(): Promise<VisitorSocket> {
    if (socket) return Promise.resolve(socket);
    if (!opening) {
      const attempt = (opening = open());
      const settled = () => {
        if (opening === attempt) opening = undefined;
      };
      attempt.then(settled, settled);
    }
    return opening;
  }
  const notify = (send: (active: VisitorSocket) => unknown) => void ensureSocket().then(send, () => {});

  return {
    /** Whether a socket exists (connected or reconnecting): its state then says whether the server is reachable. */
    hasSocket: () => socket !== undefined,
    sendMessage: async (message: Omit<OutgoingMessage, 'site' | 'visitorId'>): Promise<MessageAck> => request(await ensureSocket(), 'message:send', message),
    async history(afterSeq: number): Promise<HistoryPage> {
      const page = await request(await ensureSocket(), 'history', { afterSeq });
      learn(page.messages);
      return page;
    },
    typing(typing: boolean): void {
      // "Stopped typing" is not worth opening a connection for, nor worth queueing while offline.
      if (typing || socket) notify((active) => active.volatile.emit('typing', { typing }));
    },
    markRead: (upToSeq: number) => notify((active) => active.emit('read', { upToSeq })),
    /** Closes the socket quietly: a deliberate close is not the visitor going offline. */
    close(): void {
      generation += 1;
      opening = undefined;
      const closing = socket;
      socket = undefined;
      if (!closing) return;
      unwire();
      closing.disconnect();
      status('idle');
    },
  };
}

export type SocketSession = ReturnType<typeof createSocketSession>;
