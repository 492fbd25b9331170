import * as z from 'zod/mini';

// The Cloud API "messages" webhook as Meta documents it:
// https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/payload-examples
// https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages
// Only what Threadline reads is described; unknown keys are dropped, unknown message
// types pass (they are recorded as events), a wrong shape of a known key is a 400.

const id = z.string().check(z.minLength(1), z.maxLength(512));
const shortText = z.string().check(z.maxLength(4096));
/** Unix seconds as a decimal string. */
const unixSeconds = z.string().check(z.regex(/^\d{1,12}$/));

const MediaSchema = z.object({
  id,
  mime_type: z.optional(z.string().check(z.maxLength(255))),
  sha256: z.optional(z.string().check(z.maxLength(255))),
  caption: z.optional(shortText),
  filename: z.optional(z.string().check(z.maxLength(1024))),
});

const MessageSchema = z.object({
  id,
  /** The sender's wa_id (phone digits); may be absent for a user who hides the phone behind a username. */
  from: z.optional(z.string().check(z.minLength(1), z.maxLength(128))),
  /** The business-scoped user id (BSUID) of the sender, from the 2026 usernames rollout. */
  from_user_id: z.optional(z.string().check(z.minLength(1), z.maxLength(128))),
  timestamp: unixSeconds,
  type: z.string().check(z.minLength(1), z.maxLength(64)),
  text: z.optional(z.object({ body: z.string().check(z.maxLength(65536)) })),
  image: z.optional(MediaSchema),
  document: z.optional(MediaSchema),
  audio: z.optional(MediaSchema),
  video: z.optional(MediaSchema),
  sticker: z.optional(MediaSchema),
  interactive: z.optional(
    z.object({
      type: z.string().check(z.maxLength(64)),
      button_reply: z.optional(z.object({ id: z.string().check(z.maxLength(256)), title: shortText })),
      list_reply: z.optional(z.object({ id: z.string().check(z.maxLength(256)), title: shortText, description: z.optional(shortText) })),
    }),
  ),
  button: z.optional(z.object({ text: shortText, payload: z.optional(shortText) })),
  context: z.optional(z.object({ from: z.optional(z.string()), id: z.optional(z.string()) })),
  errors: z.optional(z.array(z.object({ code: z.number(), title: z.optional(shortText), message: z.optional(shortText) }))),
});

const StatusSchema = z.object({
  /** The wamid the send call returned for our outbound message. */
  id,
  status: z.string().check(z.minLength(1), z.maxLength(64)),
  timestamp: unixSeconds,
  recipient_id: z.optional(z.string().check(z.maxLength(128))),
  errors: z.optional(
    z.array(
      z.object({
        code: z.number(),
        title: z.optional(shortText),
        message: z.optional(shortText),
        error_data: z.optional(z.object({ details: z.optional(shortText) })),
      }),
    ),
  ),
});

const ContactSchema = z.object({
  profile: z.optional(z.object({ name: z.optional(z.string().check(z.maxLength(512))) })),
  wa_id: z.optional(z.string().check(z.minLength(1), z.maxLength(128))),
  user_id: z.optional(z.string().check(z.minLength(1), z.maxLength(128))),
});

/** The `value` of a change whose `field` is "messages"; other fields (account updates, template reviews) are not read. */
export const MessagesValueSchema = z.object({
  messaging_product: z.optional(z.literal('whatsapp')),
  metadata: z.optional(z.object({ display_phone_number: z.optional(z.string()), phone_number_id: id })),
  contacts: z.optional(z.array(ContactSchema)),
  messages: z.optional(z.array(MessageSchema)),
  statuses: z.optional(z.array(StatusSchema)),
});

/** One webhook delivery: changes for one or more WhatsApp Business Accounts. */
export const WhatsAppWebhookSchema = z.object({
  object: z.literal('whatsapp_business_account'),
  entry: z.array(
    z.object({
      id: z.string().check(z.maxLength(128)),
      changes: z.array(z.object({ field: z.string().check(z.maxLength(128)), value: z.unknown() })),
    }),
  ),
});

/** A validated webhook delivery. */
export type WhatsAppWebhook = z.infer<typeof WhatsAppWebhookSchema>;
/** The validated value of one "messages" change. */
export type WhatsAppChangeValue = z.infer<typeof MessagesValueSchema>;
/** One customer message in a change. */
export type WhatsAppMessage = z.infer<typeof MessageSchema>;
/** One delivery status of a message the business sent. */
export type WhatsAppStatus = z.infer<typeof StatusSchema>;
