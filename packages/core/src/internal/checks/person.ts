// Twins of ../../schemas/identify.ts (see check.ts).
import type { Traits } from '../../schemas/common';
import { at, fail } from './check';
import { email, name, phone, traits } from './common';
import { object, optional } from './object';
import { matches, text } from './text';

/** A person as `identify` stores and sends it. */
export interface ParsedPerson {
  userId?: string;
  email?: string;
  phone?: string;
  name?: string;
  traits?: Traits;
}

/** PersonSchema. */
export const person = object<ParsedPerson>(
  { userId: optional(text({ trim: true, min: 1, max: 128 })), email: optional(email), phone: optional(phone), name: optional(name), traits: optional(traits) },
  (parsed, path) => {
    if (!(parsed.userId || parsed.email || parsed.phone || parsed.name || parsed.traits)) fail(at(path, 'userId'), 'or one of email, phone, name, traits is required');
  },
);

/** IdentifyOptionsSchema. */
export const identifyOptions = object<{ hash?: string }>({
  hash: optional(text({ max: Infinity, rules: [matches(/^[0-9a-fA-F]{64}$/, 'must be 64 hexadecimal characters (an HMAC-SHA256)')] })),
});
