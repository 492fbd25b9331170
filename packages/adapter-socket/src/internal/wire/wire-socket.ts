// The default SocketConnector: socket.io's wire protocol (Engine.IO v4 over WebSocket,
// Socket.IO v5) in about 2 KB, instead of socket.io-client's ~13 KB, most of which is
// the HTTP long-polling fallback that cannot be tree-shaken. Pages behind proxies that
// block WebSocket pass socket.io-client's `io` as `connect` instead (docs/core.md, "The socket adapter").
import type { SocketConnectOptions, VisitorSocket } from '../../socket-adapter';
import { createEventListeners } from './event-listeners';
import { reconnectDelay, type ReconnectDelayOptions } from './reconnect-delay';
import { decodeSocketPacket, encodeSocketPacket } from './socket-packet';

/** Options of the wire socket beyond what every SocketConnector receives. */
export interface WireSocketOptions extends SocketConnectOptions {
  /** The WebSocket class; the browser's by default (Node 20 has none: tests pass the `ws` package's). */
  WebSocket?: typeof WebSocket;
  /** Reconnection delays; socket.io-client's defaults (1 s doubling to 5 s, ±50 %). */
  reconnection?: ReconnectDelayOptions;
}

type Ack = (error: Error | null, result?: unknown) => void;

// socket.io-client's `timeout`: a handshake that has not come back by then is given up.
const HANDSHAKE_TIMEOUT_MS = 20_000;

/**
 * Connects to a namespace of a socket.io 4 server, e.g. `https://chat.example.com/visitor`,
 * the way socket.io-client's `io(url, { forceNew: true, transports: ['websocket'] })`
 * does: emits are buffered until connected, reconnects with backoff until the server
 * refuses or ends the session, and resumes the session through connection state
 * recovery when the server keeps it (`recovered`). Unlike socket.io-client's, `off()`
 * also removes the `io.on` listeners: one list holds both.
 */
export function connectWireSocket(url: string, options: WireSocketOptions): VisitorSocket {
  const target = new URL(url, globalThis.location?.href);
  const namespace = target.pathname.replace(/\/+$/, '');
  // Packets of the root namespace carry no prefix.
  const prefix = namespace && `${namespace},`;
  const engineUrl = `${target.protocol.replace('http', 'ws')}//${target.host}/socket.io/?EIO=4&transport=websocket`;
  const listeners = createEventListeners();
  const acks = new Map<number, Ack>();
  // Emits made while not connected, with their ack id: they go out once (re)connected.
  let buffered: [id: number | undefined, text: string][] = [];
  // The Engine.IO connection of the moment, until it closes.
  let engine: { send(text: string): unknown; close(reason: string): void } | undefined;
  let connected = false;
  let retry: ReturnType<typeof setTimeout> | undefined;
  let attempts = 0;
  let nextAckId = 0;
  // Connection state recovery: the session id the server gave, and the last event offset it appended.
  let pid: string | undefined;
  let offset: string | undefined;

  const write = (text: string, id?: number) => (connected ? engine!.send(text) : buffered.push([id, text]));

  /**
   * Opens one Engine.IO connection (protocol v4, WebSocket only, no long-polling and no
   * upgrade: https://github.com/socketio/engine.io-protocol#protocol; packets `0` open,
   * `1` close, `2` ping, `3` pong, `4` message, each a text frame of its own). It lives
   * here rather than in a module of its own: the handlers such a seam needs cost ~35 B
   * gzip of the chat download. The server pings every `pingInterval` and waits
   * `pingTimeout` for the pong; a connection that hears no ping for their sum is dead even
   * if the WebSocket does not know it yet (a laptop lid closed, a NAT entry dropped), and
   * is closed as `ping timeout`.
   */
  const open = () => {
    let ws: WebSocket | undefined;
    let closed = false;
    let silenceWindow = HANDSHAKE_TIMEOUT_MS;
    let timer: ReturnType<typeof setTimeout> | undefined;

    /** Ends this connection once, however it ended; `reason` is socket.io-client's disconnect reason. */
    const close = (reason: string) => {
      if (closed) return;
      closed = true;
      clearTimeout(timer);
      ws?.close();
      engine = undefined;
      if (connected) {
        connected = false;
        listeners.emit('disconnect', reason);
        // Requests still buffered go out after the reconnect; those already sent will never be answered.
        for (const [id, ack] of acks) {
          if (!buffered.some(([queued]) => queued === id)) ack(new Error(reason));
        }
      } else if (socket.active) listeners.emit('connect_error', new Error(reason));
      // Offline every attempt fails (an ERR_INTERNET_DISCONNECTED in the page's console): the `online` event reconnects.
      if (socket.active && globalThis.navigator?.onLine !== false) scheduleReconnect();
    };
    const expectPing = () => {
      clearTimeout(timer);
      timer = setTimeout(close, silenceWindow, 'ping timeout');
    };
    engine = { send: (text) => closed || ws!.send(`4${text}`), close };

    try {
      ws = new (options.WebSocket ?? globalThis.WebSocket)(engineUrl);
    } catch {
      // A malformed URL throws here, and in some browsers a connect-src the site's
      // Content-Security-Policy leaves this origin out of; often inside a reconnect timer:
      // report a failed attempt instead of throwing into the page.
      return setTimeout(close, 0, 'transport error');
    }
    expectPing();
    ws.onmessage = ({ data }: MessageEvent) => {
      // Binary frames only carry attachments of binary packets, which Threadline never sends.
      if (closed || typeof data !== 'string') return;
      const type = data[0];
      if (type === '0') {
        const { pingInterval, pingTimeout } = JSON.parse(data.slice(1)) as { pingInterval: number; pingTimeout: number };
        silenceWindow = pingInterval + pingTimeout;
        expectPing();
        engine!.send(encodeSocketPacket(0, prefix, pid ? { ...options.auth, pid, offset } : options.auth));
      } else if (type === '2') {
        expectPing();
        ws!.send('3');
      } else if (type === '4') {
        const packet = decodeSocketPacket(data.slice(1), prefix);
        if (packet) receive(...packet);
      }
      // `1` (close) is followed by the WebSocket's own close.
    };
    ws.onclose = () => close('transport close');
    // Kept even after closing: a WebSocket aborted while connecting still reports an error.
    ws.onerror = () => close('transport error');
  };

  const scheduleReconnect = (delay = reconnectDelay(attempts, options.reconnection)) => {
    clearTimeout(retry);
    retry = setTimeout(() => {
      listeners.emit('reconnect_attempt', ++attempts);
      open();
    }, delay);
  };

  const receive = (type: number, id: number | undefined, data: unknown) => {
    if (type === 0) {
      const sessionId = (data as { pid?: string }).pid;
      socket.recovered = !!sessionId && sessionId === pid;
      // A new session counts offsets afresh (its first event, `presence`, brings one).
      if (!socket.recovered) offset = undefined;
      pid = sessionId;
      connected = true;
      attempts = 0;
      for (const [, text] of buffered.splice(0)) engine!.send(text);
      listeners.emit('connect');
    } else if (type === 1 || type === 4) {
      // The server ended the session, or a middleware refused it: socket.io-client gives up too, with the server's `data` attached.
      end('io server disconnect');
      const refusal = data as { message: string; data?: unknown };
      if (type === 4) listeners.emit('connect_error', Object.assign(new Error(refusal.message), { data: refusal.data }));
    } else if (type === 3) {
      acks.get(id!)?.(null, (data as unknown[])[0]);
    } else if (Array.isArray(data)) {
      // With recovery on, the server appends each event's offset (events with an ack excepted).
      if (pid && id === undefined && typeof data.at(-1) === 'string') offset = data.pop() as string;
      if (id !== undefined) data.push((...results: unknown[]) => engine?.send(encodeSocketPacket(3, prefix, results, id)));
      listeners.emit(...(data as [string, ...unknown[]]));
    }
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
  const reconnectNow = () => socket.active && !engine && scheduleReconnect(0);
  const dropConnection = () => engine?.close('transport close');
  globalThis.addEventListener?.('online', reconnectNow);
  globalThis.addEventListener?.('offline', dropConnection);

  const socket = {
    // on and off; emit is the socket's own, below.
    ...listeners,
    io: listeners,
    active: true,
    recovered: false,
    emit: (...args: unknown[]) => write(encodeSocketPacket(2, prefix, args)),
    // Dropped rather than buffered while not connected.
    volatile: { emit: (...args: unknown[]) => connected && engine!.send(encodeSocketPacket(2, prefix, args)) },
    timeout: (ms: number) => ({
      emitWithAck: (...args: unknown[]) =>
        new Promise((resolve, reject) => {
          const id = nextAckId++;
          // Called once: by the answer, the disconnect that lost it, or the timeout.
          const settle: Ack = (error, result) => {
            clearTimeout(timer);
            acks.delete(id);
            if (error) reject(error);
            else resolve(result);
          };
          const timer = setTimeout(() => {
            buffered = buffered.filter(([queued]) => queued !== id);
            settle(new Error('operation has timed out'));
          }, ms);
          acks.set(id, settle);
          write(encodeSocketPacket(2, prefix, args, id), id);
        }),
    }),
    disconnect() {
      if (connected) engine!.send(encodeSocketPacket(1, prefix));
      end('io client disconnect');
    },
  };
  open();
  return socket as unknown as VisitorSocket;
}
