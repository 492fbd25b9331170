import type { BackendAdapter, ConnectionStatus } from './adapter';
import type { ThreadlineError } from './errors';
import type { StorageFactories } from './internal/storage/persistence';
import type { Page } from './schemas/common';
import type { Person } from './schemas/identify';
import type { LeadInput, LeadReceipt } from './schemas/lead';
import type { Author, ChatMessage } from './schemas/message';
import type { ConsentMode } from './schemas/site-config';
import type { ValidationResult } from './validation';

/** The outcome of an SDK call: calls never throw into the host page, they answer with this. */
export type Result<T> = ValidationResult<T>;

/** The widgets a client can open. */
export type WidgetName = 'chat' | 'callback' | 'form';

/** The visitor's consent to storage and sending: not asked yet, given, or refused. */
export type ConsentState = 'unknown' | 'granted' | 'denied';

/** Pieces of the platform, injectable for tests and non-browser runtimes. */
export interface ClientPlatform {
  now?: () => number;
  random?: () => number;
  /** Storage factories, or `'memory'` to keep nothing beyond the page's life. */
  storage?: StorageFactories | 'memory';
  /** A Web Locks-like manager; defaults to `navigator.locks`. */
  locks?: { request<T>(name: string, callback: () => Promise<T>): Promise<T> };
  /** The page being viewed; defaults to `location` and `document`. */
  page?: () => Page;
  /** Where `online`, `offline` and `pagehide` are listened for; defaults to `window`. */
  events?: Pick<EventTarget, 'addEventListener' | 'removeEventListener'>;
}

/** Options of `createClient`. */
export interface ClientConfig {
  /** The site key, as in the script tag's `data-site`. */
  site: string;
  /** Base URL of the Threadline server for the default HTTP adapter; empty or absent for same origin. */
  endpoint?: string;
  /** The backend to talk to; defaults to `createHttpAdapter({ endpoint })`. */
  adapter?: BackendAdapter;
  /** `'required'`: store and send nothing until `consent(true)`. Default `'implied'`. */
  consent?: ConsentMode;
  /** Logs `[threadline]` diagnostics to the console. */
  debug?: boolean;
  platform?: ClientPlatform;
}

/** The visitor as the SDK knows it now. */
export interface VisitorState {
  visitorId: string;
  sessionId: string;
  visitCount: number;
  firstSeenAt: number;
  lastSeenAt: number;
}

/** Events a page can listen to with `client.on(name, listener)`. */
export interface ClientEvents {
  ready: { visitorId: string };
  identify: { person: Person };
  reset: { visitorId: string };
  consent: { granted: boolean };
  'lead:queued': { clientId: string; lead: LeadInput };
  'lead:sent': { clientId: string; receipt: LeadReceipt | undefined };
  'lead:failed': { clientId: string; error: ThreadlineError };
  'message:queued': { clientId: string; text: string };
  'message:sent': { clientId: string; id: string; seq: number };
  'message:failed': { clientId: string; error: ThreadlineError };
  'message:new': { message: ChatMessage };
  typing: { typing: boolean; author?: Author };
  read: { upToSeq: number };
  presence: { agentsOnline: number };
  'session:merged': { contactId?: string };
  open: { widget: WidgetName };
  close: { widget: WidgetName };
  status: { status: ConnectionStatus };
  error: { error: ThreadlineError };
}
