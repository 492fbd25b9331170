// The zod schemas the client checks SDK calls with. Loaded as a separate chunk on
// first use (see load-validators.ts): zod/mini costs ~12 KB gzip with these
// schemas, more than the whole eager client may weigh.
export { validate } from '../validation';
export { EventSchema } from '../schemas/event';
export { IdentifyOptionsSchema, PersonSchema } from '../schemas/identify';
export { LeadInputSchema, LeadSchema } from '../schemas/lead';
export { MessageTextSchema, OutgoingMessageSchema } from '../schemas/message';
