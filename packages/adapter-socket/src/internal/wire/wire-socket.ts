// The default SocketConnector: socket.io's wire protocol (Engine.IO v4 over WebSocket,
// Socket.IO v5) in about 2 KB, instead of socket.io-client's ~13 KB, most of which is
// the HTTP long-polling fallback that cannot be tree-shaken. Pages behind proxies that
// block WebSocket pass socket.io-client's `io` as `connect` instead (docs/core.md, "The socket adapter").
import type { SocketConnectOptions, VisitorSocket } from '../../socket-adapter';
import { openEngineConnection, type EngineConnection } from './engine-connection';
import { createEventListeners, type AnyListener } from './event-listeners';
import { reconnectDelay, type ReconnectDelayOptions } from './reconnect-delay';
import { decodeSocketPacket, encodeSocketPacket, type SocketPacket, type SocketPacketType } from './socket-packet';

/** Options of the wire socket beyond what every SocketConnector receives. */
export interface WireSocketOptions extends SocketConnectOptions {
  /** The WebSocket class; the browser's by default (Node 20 has none: tests pass the `ws` package's). */
  WebSocket?: typeof WebSocket;
  /** Reconnection delays; socket.io-client's defaults (1 s doubling to 5 s, ±50 %). */
  reconnection?: ReconnectDelayOptions;
}

type Ack = (error: Error | null, ...results: unknown[]) => void;

/**
 * Connects to a namespace of a socket.io 4 server, e.g. `https://chat.example.com/visitor`,
 * the way socket.io-client's `io(url, { forceNew: true, transports: ['websocket'] })`
 * does: emits are buffered until connected, reconnects with backoff until the server
 * refuses or ends the session, and resumes the session through connection state
 * recovery when the server keeps it (`recovered`).
 */
export function connectWireSocket(url: string, options: WireSocketOptions): VisitorSocket {
  const target = new URL(url, globalThis.location?.href);
  const namespace = target.pathname.replace(/\/+$/, '') || '/';
  const engineUrl = `${target.protocol.replace('http', 'ws')}//${target.host}/socket.io/?EIO=4&transport=websocket`;
  const WebSocketClass = options.WebSocket ?? globalThis.WebSocket;
  const events = createEventListeners();
  const manager = createEventListeners();
  const acks = new Map<number, Ack>();
  let buffered: { id: number | undefined; text: string }[] = [];
  let engine: EngineConnection | undefined;
  let retry: ReturnType<typeof setTimeout> | undefined;
  let attempts = 0;
  let nextAckId = 0;
  // Connection state recovery: the session id the server gave, and the last event offset it appended.
  let pid: string | undefined;
  let offset: string | undefined;

  const send = (packet: Omit<SocketPacket, 'namespace'>) => engine?.send(encodeSocketPacket({ ...packet, namespace }));

  const open = () => {
    engine = openEngineConnection(engineUrl, WebSocketClass, {
      open: () => send({ type: 0, data: pid ? { ...options.auth, pid, offset } : options.auth }),
      message: (text) => {
        const packet = decodeSocketPacket(text);
        if (packet?.namespace === namespace) receive(packet);
      },
      close: (reason) => {
        engine = undefined;
        const wasConnected = socket.connected;
        socket.connected = false;
        if (wasConnected) {
          events.emit('disconnect', reason);
          // Requests still buffered go out after the reconnect; those already sent will never be answered.
          for (const [id, ack] of acks) {
            if (!buffered.some((packet) => packet.id === id)) {
              acks.delete(id);
              ack(new Error('socket has been disconnected'));
            }
          }
        } else if (socket.active) events.emit('connect_error', new Error(reason));
        if (socket.active) scheduleReconnect();
      },
    });
  };

  const scheduleReconnect = (delay = reconnectDelay(attempts, options.reconnection)) => {
    clearTimeout(retry);
    retry = setTimeout(() => {
      attempts += 1;
      manager.emit('reconnect_attempt', attempts);
      open();
    }, delay);
  };

  const receive = ({ type, id, data }: { type: SocketPacketType; id?: number; data?: unknown }) => {
    if (type === 0) {
      const { sid, pid: sessionId } = data as { sid: string; pid?: string };
      socket.id = sid;
      socket.recovered = sessionId !== undefined && sessionId === pid;
      // A new session counts offsets afresh (its first event, `presence`, brings one).
      if (!socket.recovered) offset = undefined;
      pid = sessionId;
      socket.connected = true;
      if (attempts > 0) manager.emit('reconnect', attempts);
      attempts = 0;
      const queued = buffered;
      buffered = [];
      for (const packet of queued) engine?.send(packet.text);
      events.emit('connect');
    } else if (type === 4) {
      // Refused by a middleware: socket.io-client gives up too, with the server's `data` attached.
      const refusal = data as { message: string; data?: unknown };
      end('io server disconnect');
      events.emit('connect_error', Object.assign(new Error(refusal.message), { data: refusal.data }));
    } else if (type === 1) end('io server disconnect');
    else if (type === 2 && Array.isArray(data)) {
      const args = data as unknown[];
      // With recovery on, the server appends each event's offset (events with an ack excepted).
      if (pid && id === undefined && typeof args[args.length - 1] === 'string') offset = args.pop() as string;
      if (id !== undefined) args.push((...results: unknown[]) => send({ type: 3, id, data: results }));
      events.emit(...(args as [string, ...unknown[]]));
    } else if (type === 3 && id !== undefined) {
      const ack = acks.get(id);
      acks.delete(id);
      ack?.(null, ...(Array.isArray(data) ? data : []));
    }
  };

  const emitPacket = (args: unknown[], ack?: Ack, volatile = false) => {
    const id = ack ? nextAckId++ : undefined;
    if (id !== undefined) acks.set(id, ack!);
    const text = encodeSocketPacket({ type: 2, namespace, id, data: args });
    if (socket.connected) engine?.send(text);
    else if (!volatile) buffered.push({ id, text });
    return id;
  };

  /** Stops for good: no reconnection, no listener on the page left behind. */
  const end = (reason: string) => {
    socket.active = false;
    clearTimeout(retry);
    globalThis.removeEventListener?.('online', reconnectNow);
    globalThis.removeEventListener?.('offline', dropConnection);
    engine?.close(reason);
  };

  // The browser knows before any ping timeout: reconnect as soon as the network is back,
  // and drop a connection the network has left (socket.io-client does the latter too).
  const reconnectNow = () => {
    if (socket.active && !engine) scheduleReconnect(0);
  };
  const dropConnection = () => engine?.close('transport close');
  globalThis.addEventListener?.('online', reconnectNow);
  globalThis.addEventListener?.('offline', dropConnection);

  const socket = {
    id: undefined as string | undefined,
    connected: false,
    active: true,
    recovered: false,
    io: { on: manager.on, off: manager.off },
    on(event: string, listener: AnyListener) {
      events.on(event, listener);
      return socket;
    },
    off(event?: string, listener?: AnyListener) {
      events.off(event, listener);
      return socket;
    },
    emit(event: string, ...args: unknown[]) {
      const last = args[args.length - 1];
      if (typeof last === 'function') emitPacket([event, ...args.slice(0, -1)], (error, ...results) => error || (last as (...values: unknown[]) => void)(...results));
      else emitPacket([event, ...args]);
      return socket;
    },
    volatile: {
      emit(event: string, ...args: unknown[]) {
        emitPacket([event, ...args], undefined, true);
        return socket;
      },
    },
    timeout: (ms: number) => ({
      emitWithAck: (event: string, ...args: unknown[]) =>
        new Promise((resolve, reject) => {
          const timer = setTimeout(() => {
            acks.delete(id);
            buffered = buffered.filter((packet) => packet.id !== id);
            reject(new Error('operation has timed out'));
          }, ms);
          const id = emitPacket([event, ...args], (error, result) => {
            clearTimeout(timer);
            if (error) reject(error);
            else resolve(result);
          })!;
        }),
    }),
    disconnect() {
      if (socket.connected) send({ type: 1 });
      end('io client disconnect');
      return socket;
    },
  };
  open();
  return socket as unknown as VisitorSocket;
}
