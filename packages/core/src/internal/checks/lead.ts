// Twins of ../../schemas/lead.ts (see check.ts).
import type { Lead, LeadConsent } from '../../schemas/lead';
import { at, fail, type Check } from './check';
import { attribution, clientId, email, name, page, phone, siteKey, timestamp } from './common';
import { object, optional } from './object';
import { record } from './record';
import { text } from './text';

/** A lead as the visitor gave it, before the SDK adds who, where and when. */
type LeadContent = Omit<Lead, 'site' | 'visitorId' | 'clientId' | 'sessionId' | 'page' | 'attribution' | 'createdAt'>;

const KINDS = ['callback', 'form', 'offline-message'] as const;

const kind: Check<Lead['kind']> = (value, path) => (KINDS.includes(value as Lead['kind']) ? (value as Lead['kind']) : fail(path, 'must be one of "callback", "form", "offline-message"'));

const consent = object<LeadConsent>({
  given: (value, path) => (typeof value === 'boolean' ? value : fail(path, value === undefined ? 'is required' : 'must be a boolean')),
  text: text({ min: 1, max: 4000 }),
  version: text({ min: 1, max: 64 }),
  at: optional(timestamp),
});

const preferredTime = object<{ from: string; to: string }>({ from: timestamp, to: timestamp }, (window, path) => {
  if (!(Date.parse(window.from) <= Date.parse(window.to))) fail(at(path, 'to'), 'must end after it starts');
});

const longText = text({ max: 4000 });
const option = text({ max: 200 });

// A string, a checkbox's boolean or a multi-select's list. zod tries each form; a
// value that is none of them (or a list holding a non-string) matches no form.
const fieldValue: Check<string | boolean | string[]> = (value, path) => {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') return longText(value, path);
  if (Array.isArray(value)) {
    const strings: string[] = [];
    // An index loop, not every(): a hole in a sparse array is a missing string.
    for (let index = 0; index < value.length; index++) strings.push(typeof value[index] === 'string' ? value[index] : fail(path, 'must be a string, a boolean or a list of strings'));
    strings.forEach((item, index) => option(item, at(path, index)));
    if (strings.length > 50) fail(path, 'must have at most 50 item(s)');
    return strings;
  }
  return fail(path, 'must be a string, a boolean or a list of strings');
};

// The rules every lead keeps (schemas/lead.ts checkLeadContent), read on the parsed value.
function leadContentRules(lead: { kind: string; phone?: string; email?: string; message?: string }, path: string): void {
  if (lead.kind === 'callback' && !lead.phone) fail(at(path, 'phone'), 'is required');
  if (lead.kind === 'form' && !lead.phone && !lead.email) fail(at(path, 'phone'), 'or email is required');
  if (lead.kind === 'offline-message' && !lead.message) fail(at(path, 'message'), 'is required');
}

const leadContent = {
  kind,
  name: optional(name),
  phone: optional(phone),
  email: optional(email),
  message: optional(text({ trim: true, max: 4000 })),
  preferredTime: optional(preferredTime),
  fields: optional(record(fieldValue)),
  consent: optional(consent),
  honeypot: optional(text({ max: 500 })),
};

/** LeadInputSchema: what `client.submitLead(...)` accepts. */
export const leadInput = object<LeadContent>(leadContent, leadContentRules);

/** LeadSchema: a lead as it travels to the server. */
export const lead = object<Lead>(
  {
    ...leadContent,
    site: siteKey,
    visitorId: clientId,
    clientId,
    sessionId: optional(clientId),
    page: optional(page),
    attribution: optional(attribution),
    createdAt: optional(timestamp),
  },
  leadContentRules,
);

