// Socket.IO protocol v5 packets as text, the only form Threadline's events take:
// https://github.com/socketio/socket.io/blob/main/docs/socket.io-protocol/v5-current.md
// `<type>[<namespace>,][<ack id>][<JSON>]`, e.g. `2/visitor,7["history",{"afterSeq":0}]`.

/** CONNECT, DISCONNECT, EVENT, ACK, CONNECT_ERROR; the binary types (5, 6) carry attachments Threadline never sends. */
export type SocketPacketType = 0 | 1 | 2 | 3 | 4;

/** One decoded packet of a namespace. */
export interface SocketPacket {
  type: SocketPacketType;
  namespace: string;
  id?: number;
  data?: unknown;
}

/** The text of a packet, as carried inside an Engine.IO message. */
export function encodeSocketPacket({ type, namespace, id, data }: SocketPacket): string {
  return `${type}${namespace === '/' ? '' : `${namespace},`}${id ?? ''}${data === undefined ? '' : JSON.stringify(data)}`;
}

/** The packet in an Engine.IO message's text; undefined for binary packets and anything malformed. */
export function decodeSocketPacket(text: string): SocketPacket | undefined {
  const match = /^([0-4])(\/[^,]*,)?(\d+)?([\s\S]*)$/.exec(text);
  if (!match) return undefined;
  try {
    return {
      type: Number(match[1]) as SocketPacketType,
      namespace: match[2]?.slice(0, -1) ?? '/',
      ...(match[3] ? { id: Number(match[3]) } : {}),
      ...(match[4] ? { data: JSON.parse(match[4]) as unknown } : {}),
    };
  } catch {
    return undefined;
  }
}
