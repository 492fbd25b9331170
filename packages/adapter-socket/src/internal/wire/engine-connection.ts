// Engine.IO protocol v4 over a WebSocket only, no long-polling and no upgrade:
// https://github.com/socketio/engine.io-protocol#protocol (packets `0` open, `1` close,
// `2` ping, `3` pong, `4` message, each a text frame of its own).

/** What an Engine.IO connection reports. */
export interface EngineHandlers {
  /** The server's open packet arrived: messages may be sent. */
  open(): void;
  message(text: string): void;
  /** Called once, however the connection ended; `reason` is socket.io-client's disconnect reason. */
  close(reason: string): void;
}

/** One Engine.IO connection; never reopened (the wire socket opens a new one). */
export interface EngineConnection {
  send(text: string): void;
  close(reason: string): void;
}

// socket.io-client's `timeout`: a handshake that has not come back by then is given up.
const HANDSHAKE_TIMEOUT_MS = 20_000;

/**
 * Opens `url` (`ws(s)://host/socket.io/?EIO=4&transport=websocket`). The server pings
 * every `pingInterval` and waits `pingTimeout` for the pong; a connection that hears no
 * ping for their sum is dead even if the WebSocket does not know it yet (a laptop lid
 * closed, a NAT entry dropped), and is closed as `ping timeout`.
 */
export function openEngineConnection(url: string, WebSocketClass: typeof WebSocket, handlers: EngineHandlers): EngineConnection {
  let ws: WebSocket | undefined;
  let closed = false;
  let silenceWindow = HANDSHAKE_TIMEOUT_MS;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const close = (reason: string) => {
    if (closed) return;
    closed = true;
    clearTimeout(timer);
    ws?.close();
    handlers.close(reason);
  };
  const expectPing = () => {
    clearTimeout(timer);
    timer = setTimeout(close, silenceWindow, 'ping timeout');
  };

  try {
    ws = new WebSocketClass(url);
  } catch {
    // A malformed URL throws here, and in some browsers a connect-src the site's
    // Content-Security-Policy leaves this origin out of; often inside a reconnect timer:
    // report a failed attempt instead of throwing into the page.
    setTimeout(close, 0, 'transport error');
    return { send() {}, close };
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
      handlers.open();
    } else if (type === '2') {
      expectPing();
      ws!.send('3');
    } else if (type === '4') handlers.message(data.slice(1));
    else if (type === '1') close('transport close');
  };
  ws.onclose = () => close('transport close');
  // Kept even after closing: a WebSocket aborted while connecting still reports an error.
  ws.onerror = () => close('transport error');

  return {
    send: (text) => closed || ws!.send(`4${text}`),
    close,
  };
}
