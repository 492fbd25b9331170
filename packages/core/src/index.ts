// Public surface of @threadline/core. Everything not listed here is internal.
export { createClient, createClientWithoutConfigCheck } from './client';
export type { ThreadlineClient } from './client';
export type { ClientConfig, ClientEvents, ClientPlatform, ConsentState, Result, VisitorState, WidgetName } from './client-types';

export { createHttpAdapter } from './adapters/http';
export type { HttpAdapterOptions } from './adapters/http';
export { requestVisitorToken } from './adapters/visitor-token';
export type { VisitorTokenRequest } from './adapters/visitor-token';
export { createMemoryAdapter } from './adapters/memory';
export type { MemoryAdapter, MemoryAdapterOptions } from './adapters/memory';
export type { BackendAdapter, ConnectionStatus, HistoryPage, IncomingEvent, Messenger, MessengerLink, Mutation, MutationKind, MutationTypes, SessionContext } from './adapter';

export type { SocketAck, VisitorClientEvents, VisitorServerEvents, VisitorSocketAuth } from './realtime-events';

export { ThreadlineError, isRetryable, isThreadlineError } from './errors';
export type { ThreadlineErrorCode, ThreadlineErrorOptions } from './errors';
export { validate } from './validation';
export type { ValidationResult } from './validation';

export type { ChatItem, ChatItemStatus } from './internal/chat-thread';
export type { OutboxEntry } from './internal/outbox';

export {
  AttributionSchema,
  ClientIdSchema,
  EmailSchema,
  NameSchema,
  PageSchema,
  PhoneSchema,
  SiteKeySchema,
  TimestampSchema,
  TouchSchema,
  TraitsSchema,
  VisitorIdSchema,
} from './schemas/common';
export type { Attribution, Page, Touch, Traits } from './schemas/common';
export { LeadConsentSchema, LeadFieldsSchema, LeadInputSchema, LeadKindSchema, LeadReceiptSchema, LeadSchema, PreferredTimeSchema } from './schemas/lead';
export type { Lead, LeadConsent, LeadInput, LeadKind, LeadReceipt } from './schemas/lead';
export { AuthorSchema, ChannelSchema, ChatMessageSchema, MessageAckSchema, MessageTextSchema, OutgoingMessageSchema } from './schemas/message';
export type { Author, Channel, ChatMessage, MessageAck, OutgoingMessage } from './schemas/message';
export { EventNameSchema, EventSchema } from './schemas/event';
export type { ThreadlineEvent } from './schemas/event';
export { IdentifyOptionsSchema, IdentifyRequestSchema, PersonSchema } from './schemas/identify';
export type { IdentifyOptions, IdentifyRequest, Person } from './schemas/identify';
export {
  AppearanceSchema,
  BusinessHoursSchema,
  ConsentModeSchema,
  FormFieldSchema,
  LocaleSchema,
  MessengersSchema,
  OpenNowSchema,
  OpeningIntervalSchema,
  SiteConfigSchema,
  TriggerActionSchema,
  TriggerConditionSchema,
  TriggerSchema,
  WidgetsEnabledSchema,
} from './schemas/site-config';
export type { Appearance, BusinessHours, ConsentMode, FormField, Locale, Messengers, OpenNow, SiteConfig, SiteConfigInput, Trigger, TriggerAction, TriggerCondition } from './schemas/site-config';
export { ClientConfigSchema } from './schemas/client-config';
export { parseSiteConfig } from './site-config/parse-site-config';

export { callbackSlots, closingTime, isOpenAt, nextOpening } from './business-hours';
export { loadBusinessHours } from './load-business-hours';
export { createOpenAt, openNowAt } from './open-now-at';
export type { OpenSpan } from './open-now-at';
export { CALLBACK_SLOT_OPTIONS } from './callback-slot-options';
export type { CallbackSlotOptions, TimeSlot } from './business-hours';
export { createTriggerEngine } from './triggers/trigger-engine';
export type { TriggerEngine, TriggerEngineOptions, TriggerWindow } from './triggers/trigger-engine';
export { TRIGGER_STORAGE_KEY } from './triggers/frequency-caps';
export type { TriggerStorage } from './triggers/frequency-caps';
