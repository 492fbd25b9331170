import * as z from 'zod/mini';
import { ClientIdSchema, PageSchema, SiteKeySchema, TimestampSchema, TraitsSchema, VisitorIdSchema } from './common';

/** An event name: letters, digits and `_ . : -`, e.g. `pricing:viewed`. */
export const EventNameSchema = z.string().check(z.minLength(1), z.maxLength(64), z.regex(/^[A-Za-z0-9_.:-]+$/));

/** A custom event the site records on the visitor's timeline (`client.track`). */
export const EventSchema = z.object({
  site: SiteKeySchema,
  visitorId: VisitorIdSchema,
  clientId: ClientIdSchema,
  sessionId: z.optional(ClientIdSchema),
  name: EventNameSchema,
  properties: z.optional(TraitsSchema),
  page: z.optional(PageSchema),
  at: TimestampSchema,
});

export type ThreadlineEvent = z.infer<typeof EventSchema>;
