import * as z from 'zod/mini';
import { ClientIdSchema, EmailSchema, NameSchema, PhoneSchema, SiteKeySchema, TraitsSchema, VisitorIdSchema } from './common';

/** The known person a developer attaches to the visitor with `client.identify(...)`. */
export const PersonSchema = z
  .object({
    userId: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(128))),
    email: z.optional(EmailSchema),
    phone: z.optional(PhoneSchema),
    name: z.optional(NameSchema),
    traits: z.optional(TraitsSchema),
  })
  .check(
    z.refine((person) => Boolean(person.userId || person.email || person.phone || person.name || person.traits), {
      message: 'needs at least one of userId, email, phone, name, traits',
      path: ['userId'],
    }),
  );

/** Options of `identify`: `hash` is HMAC-SHA256(site secret, userId or e-mail), computed by the site's server. */
export const IdentifyOptionsSchema = z.object({
  hash: z.optional(z.string().check(z.regex(/^[0-9a-fA-F]{64}$/))),
});

/** What `POST /api/v1/identify` receives. */
export const IdentifyRequestSchema = z.object({
  site: SiteKeySchema,
  visitorId: VisitorIdSchema,
  clientId: ClientIdSchema,
  sessionId: z.optional(ClientIdSchema),
  person: PersonSchema,
  hash: z.optional(z.string().check(z.regex(/^[0-9a-fA-F]{64}$/))),
});

export type Person = z.input<typeof PersonSchema>;
export type IdentifyOptions = z.input<typeof IdentifyOptionsSchema>;
export type IdentifyRequest = z.infer<typeof IdentifyRequestSchema>;
