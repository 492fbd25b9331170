import type { IdentifyRequest, Person } from './schemas/identify';
import type { Lead, LeadReceipt } from './schemas/lead';
import type { Author, ChatMessage, MessageAck, OutgoingMessage } from './schemas/message';
import type { ThreadlineEvent } from './schemas/event';
import type { SiteConfig } from './schemas/site-config';

/** Who the adapter is talking for; given to `start` and again after identify or reset. */
export interface SessionContext {
  site: string;
  visitorId: string;
  sessionId: string;
  person?: Person;
  /** HMAC-SHA256(site secret, userId or e-mail) from the site's server; unlocks history on other devices. */
  hash?: string;
}

/** Each kind of write the outbox carries, with its payload and what the server answers. */
export interface MutationTypes {
  lead: { payload: Lead; result: LeadReceipt | undefined };
  message: { payload: OutgoingMessage; result: MessageAck };
  identify: { payload: IdentifyRequest; result: { contactId?: string } };
  event: { payload: ThreadlineEvent; result: Record<string, never> };
}

/** The kinds of write: `lead`, `message`, `identify`, `event`. */
export type MutationKind = keyof MutationTypes;

/** One write on its way to the server; `clientId` makes it idempotent. */
export type Mutation<K extends MutationKind = MutationKind> = K extends MutationKind
  ? { kind: K; clientId: string; payload: MutationTypes[K]['payload'] }
  : never;

/** The state of the connection to the backend, as a visitor would describe it. */
export type ConnectionStatus = 'idle' | 'connecting' | 'online' | 'offline';

/** What the backend pushes to the visitor. */
export type IncomingEvent =
  | { type: 'message:new'; message: ChatMessage }
  | { type: 'typing'; typing: boolean; author?: Author }
  | { type: 'read'; upToSeq: number }
  | { type: 'presence'; agentsOnline: number }
  | { type: 'session:merged'; contactId?: string }
  | { type: 'connection'; status: ConnectionStatus };

/** A page of thread history. */
export interface HistoryPage {
  messages: ChatMessage[];
  /** Highest seq the server has for this thread, so the client knows whether to ask again. */
  latestSeq?: number;
}

/** Messengers a visitor can move the conversation to from the website. */
export type Messenger = 'telegram';

/** A one-time link that opens the messenger and joins it to this visitor's thread. */
export interface MessengerLink {
  /** An https URL, e.g. `https://t.me/shop_bot?start=<token>`. */
  url: string;
  /** When the link stops working (ISO 8601). */
  expiresAt: string;
}

/**
 * The one seam between the SDK and a backend. Implement it to put Threadline's
 * widgets in front of any server. Failures reject with a ThreadlineError whose
 * `retryable` flag the adapter sets once (network, 408, 429, 5xx → retryable).
 * @example
 * const client = createClient({ site: 'demo', adapter: createHttpAdapter({ endpoint: 'https://api.example.com' }) });
 */
export interface BackendAdapter {
  readonly name: string;
  /** Begins (or resumes) talking for this visitor; called lazily, before the first send. */
  start(context: SessionContext): Promise<void>;
  /** Delivers one write and resolves with the server's acknowledgement. */
  send<K extends MutationKind>(mutation: Mutation<K>): Promise<MutationTypes[K]['result']>;
  /** Best-effort delivery while the page unloads; true when the browser queued it. */
  beacon?(mutation: Mutation): boolean;
  /** Thread messages with seq greater than `afterSeq`. */
  history?(afterSeq: number): Promise<HistoryPage>;
  siteConfig?(): Promise<SiteConfig>;
  /** A fresh one-time "continue in the messenger" link for this visitor. */
  messengerLink?(messenger: Messenger): Promise<MessengerLink>;
  typing?(typing: boolean): void;
  markRead?(upToSeq: number): void;
  onEvent(listener: (event: IncomingEvent) => void): () => void;
  /** Closes connections and timers; `start` may be called again later. */
  stop(): void;
}
