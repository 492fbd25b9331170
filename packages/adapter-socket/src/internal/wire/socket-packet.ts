// Socket.IO protocol v5 packets as text, the only form Threadline's events take:
// https://github.com/socketio/socket.io/blob/main/docs/socket.io-protocol/v5-current.md
// `<type>[<namespace>,][<ack id>][<JSON>]`, e.g. `2/visitor,7["history",{"afterSeq":0}]`.

/** CONNECT, DISCONNECT, EVENT, ACK, CONNECT_ERROR; the binary types (5, 6) carry attachments Threadline never sends. */
export type SocketPacketType = 0 | 1 | 2 | 3 | 4;

/** The text of a packet of the namespace whose prefix is `prefix` (`/visitor,`; empty for `/`). */
export const encodeSocketPacket = (type: SocketPacketType, prefix: string, data?: unknown, id?: number): string =>
  `${type}${prefix}${id ?? ''}${data === undefined ? '' : JSON.stringify(data)}`;

/**
 * The type, ack id and data of a packet of the namespace `prefix` names; undefined for
 * another namespace, binary packets and anything malformed.
 */
export function decodeSocketPacket(text: string, prefix: string): [type: SocketPacketType, id: number | undefined, data: unknown] | undefined {
  const match = /^([0-4])(\/[^,]*,)?(\d*)([^]*)$/.exec(text);
  if (!match || (match[2] ?? '') !== prefix) return undefined;
  try {
    return [+match[1]! as SocketPacketType, match[3] ? +match[3] : undefined, match[4] ? (JSON.parse(match[4]) as unknown) : undefined];
  } catch {
    return undefined;
  }
}
