import * as z from 'zod';

// The parts of the Bot API types this channel reads (https://core.telegram.org/bots/api#update).
// Objects are loose: Telegram adds fields without notice, and an unknown field must not
// turn a good update into a 400 that Telegram would then retry.

const UserSchema = z.looseObject({
  id: z.number().int().positive(),
  is_bot: z.boolean(),
  first_name: z.string(),
  last_name: z.string().optional(),
  username: z.string().optional(),
  language_code: z.string().optional(),
});

const ChatSchema = z.looseObject({
  id: z.number().int(),
  type: z.string(),
});

const PhotoSizeSchema = z.looseObject({
  file_id: z.string().min(1),
  file_unique_id: z.string(),
  width: z.number().int(),
  height: z.number().int(),
  file_size: z.number().int().optional(),
});

const DocumentSchema = z.looseObject({
  file_id: z.string().min(1),
  file_unique_id: z.string(),
  file_name: z.string().optional(),
  mime_type: z.string().optional(),
  file_size: z.number().int().optional(),
});

const ContactSchema = z.looseObject({
  phone_number: z.string().min(1),
  first_name: z.string(),
  last_name: z.string().optional(),
  user_id: z.number().int().optional(),
  vcard: z.string().optional(),
});

const MessageSchema = z.looseObject({
  message_id: z.number().int(),
  from: UserSchema.optional(),
  chat: ChatSchema,
  date: z.number().int(),
  edit_date: z.number().int().optional(),
  text: z.string().optional(),
  caption: z.string().optional(),
  photo: z.array(PhotoSizeSchema).optional(),
  document: DocumentSchema.optional(),
  contact: ContactSchema.optional(),
});

// https://core.telegram.org/bots/api#callbackquery — `message` is a MaybeInaccessibleMessage:
// an old one comes as {chat, message_id, date: 0}, which MessageSchema also reads.
const CallbackQuerySchema = z.looseObject({
  id: z.string().min(1),
  from: UserSchema,
  message: MessageSchema.optional(),
  inline_message_id: z.string().optional(),
  chat_instance: z.string(),
  data: z.string().optional(),
});

/** An incoming update: `message`, `edited_message` and `callback_query` are acted on; any other kind is acknowledged and ignored. */
export const TelegramUpdateSchema = z.looseObject({
  update_id: z.number().int().nonnegative(),
  message: MessageSchema.optional(),
  edited_message: MessageSchema.optional(),
  callback_query: CallbackQuerySchema.optional(),
});

/** An update as validated (https://core.telegram.org/bots/api#update). */
export type TelegramUpdate = z.infer<typeof TelegramUpdateSchema>;
/** A message or an edited message (https://core.telegram.org/bots/api#message). */
export type TelegramMessage = z.infer<typeof MessageSchema>;
/** A button press under a message the bot sent (https://core.telegram.org/bots/api#callbackquery). */
export type TelegramCallbackQuery = z.infer<typeof CallbackQuerySchema>;
