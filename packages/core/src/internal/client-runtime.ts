import type { Signal } from '@preact/signals-core';
import type { BackendAdapter } from '../adapter';
import type { ConsentState } from '../client-types';
import type { ThreadlineError } from '../errors';
import type { Attribution, Page } from '../schemas/common';
import type { Person } from '../schemas/identify';
import type { ChatSignals } from './chat-signals';
import type { createEmitter } from './emitter';
import type { VisitorRecord } from './identity';
import type { Outbox } from './outbox';
import type { Persistence } from './storage/persistence';
import type { TabChannel } from './tab-channel';

/** The known person as stored: the claim, its HMAC, and whether the server has it. */
export interface PersonRecord {
  person: Person;
  hash?: string;
  /** True once the server acknowledged this exact identify; repeating it is then a no-op. */
  synced: boolean;
}

export const PERSON_KEY = 'person';

/**
 * What the eagerly loaded client shares with its lazily loaded commands
 * (commands.ts): state, stores and the few operations both sides need.
 */
export interface ClientRuntime<Events extends object> {
  site: string;
  adapter: BackendAdapter;
  persistence: Persistence;
  outbox: Outbox;
  chat: ChatSignals;
  emitter: ReturnType<typeof createEmitter<Events>>;
  tabs: TabChannel;
  person: Signal<Person | undefined>;
  consentState: Signal<ConsentState>;
  attribution: Signal<Attribution | undefined>;
  /** The page the client started on, with the time. */
  landing: Page & { at: string };
  chatOpen(): boolean;
  /** Whether storing and sending are allowed now (consent). */
  allowed(): boolean;
  /** `platform.storage: 'memory'`: nothing may touch the browser's storage, the consent flag included. */
  memoryOnly: boolean;
  visitor(): VisitorRecord;
  personRecord(): PersonRecord | undefined;
  setPersonRecord(record: PersonRecord | undefined): void;
  saveVisitor(record: VisitorRecord): Promise<void>;
  /** Re-reads the visitor and person from storage (another tab changed them). */
  loadStored(): Promise<void>;
  /** Counts activity: extends the session or starts a new visit. */
  activity(): Promise<void>;
  ensureStarted(): Promise<void>;
  restartAdapter(): void;
  newId(): string;
  now(): number;
  isoNow(): string;
  page(): Page;
  report(error: ThreadlineError): void;
}
