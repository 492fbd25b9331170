// Twin of ../../schemas/event.ts (see check.ts).
import type { ThreadlineEvent } from '../../schemas/event';
import { clientId, page, siteKey, timestamp, traits } from './common';
import { object, optional } from './object';
import { matches, text } from './text';

/** EventSchema: what `client.track(...)` records. */
export const event = object<ThreadlineEvent>({
  site: siteKey,
  visitorId: clientId,
  clientId,
  sessionId: optional(clientId),
  name: text({ min: 1, max: 64, rules: [matches(/^[A-Za-z0-9_.:-]+$/, 'must contain only letters, digits, "_", ".", ":" and "-"')] }),
  properties: optional(traits),
  page: optional(page),
  at: timestamp,
});
