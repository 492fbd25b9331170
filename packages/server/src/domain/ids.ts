import { randomBytes } from 'node:crypto';

let lastMs = -1;
let counter = 0;

/**
 * A UUID v7 (RFC 9562): time-ordered ids keep the timeline and indexes in insertion order.
 * Within one millisecond its 12-bit rand_a is a counter (RFC 9562 §6.2, method 1),
 * started at a random value in its lower half: ids this process makes in the same
 * millisecond (the jobs of one transaction, say) sort in the order they were made.
 */
export function newId(now: number = Date.now()): string {
  const bytes = randomBytes(16);
  counter = now === lastMs && counter < 0xfff ? counter + 1 : bytes.readUInt16BE(6) & 0x7ff;
  lastMs = now;
  bytes.writeUIntBE(now, 0, 6);
  bytes[6] = 0x70 | (counter >> 8);
  bytes[7] = counter & 0xff;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
