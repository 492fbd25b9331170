import { batch, computed, signal, type ReadonlySignal } from '@preact/signals-core';
import type { BackendAdapter, ConnectionStatus, IncomingEvent, Mutation, MutationKind, SessionContext } from './adapter';
import { createHttpAdapter } from './adapters/http';
import { ThreadlineError } from './errors';
import { ATTRIBUTION_KEY, updateAttribution, type PageContext } from './internal/attribution';
import { createChatThread, type ChatItem } from './internal/chat-thread';
import { createEmitter } from './internal/emitter';
import { createVisitorRecord, readVisitor, touchVisitor, writeVisitor, type VisitorRecord } from './internal/identity';
import { createOutboxLock } from './internal/locks';
import { createLogger } from './internal/logger';
import { createOutbox, type OutboxEntry } from './internal/outbox';
import { BROWSER_STORAGE, createPersistence, type StorageFactories } from './internal/storage/persistence';
import { createMemoryStore } from './internal/storage/memory-store';
import { createTabChannel, type TabMessage } from './internal/tab-channel';
import { createClientId } from './internal/uuid';
import type { Attribution, Page, Traits } from './schemas/common';
import type { IdentifyOptions, Person } from './schemas/identify';
import type { LeadInput, LeadReceipt } from './schemas/lead';
import type { Author, ChatMessage, MessageAck } from './schemas/message';
import type { ConsentMode } from './schemas/site-config';
import type { ValidationResult } from './validation';
import { assertClientConfig } from './internal/check-client-config';
import { loadValidators } from './internal/load-validators';

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
  /** Where `online`, `visibilitychange` and `pagehide` are listened for; defaults to `window`. */
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

const PERSON_KEY = 'person';
const CONSENT_FLAG_KEY = 'consent';

interface PersonRecord {
  person: Person;
  hash?: string;
  /** True once the server acknowledged this exact identify; repeating it is then a no-op. */
  synced: boolean;
}

function browserPage(): Page {
  if (typeof location === 'undefined') return { url: '' };
  return {
    url: location.href.slice(0, 2048),
    ...(typeof document !== 'undefined' && document.referrer ? { referrer: document.referrer.slice(0, 2048) } : {}),
    ...(typeof document !== 'undefined' && document.title ? { title: document.title.slice(0, 512) } : {}),
  };
}

// The consent choice itself is kept in localStorage: reading it writes nothing,
// and remembering a refusal is what the visitor expects (ePrivacy treats it as
// strictly necessary). See docs/storage.md.
function readConsentFlag(site: string, storage: ClientPlatform['storage']): ConsentState {
  if (storage === 'memory' || typeof localStorage === 'undefined') return 'unknown';
  try {
    const value = localStorage.getItem(`threadline:${site}:${CONSENT_FLAG_KEY}`);
    return value === '"granted"' ? 'granted' : value === '"denied"' ? 'denied' : 'unknown';
  } catch {
    return 'unknown';
  }
}

function writeConsentFlag(site: string, state: ConsentState): void {
  try {
    localStorage.setItem(`threadline:${site}:${CONSENT_FLAG_KEY}`, JSON.stringify(state));
  } catch {
    // Blocked storage: the choice lasts for this page only.
  }
}

/**
 * Creates the headless Threadline client: identity, attribution, consent, the
 * durable outbox and the chat thread, over one BackendAdapter. Throws a
 * ThreadlineError naming the field when `config` is invalid; after that nothing
 * it does throws: calls answer with a Result, async failures arrive as events.
 * @example
 * const client = createClient({ site: 'demo', endpoint: 'https://chat.example.com' });
 * client.identify({ userId: 'u_42', email: 'ann@example.com' }, { hash });
 * const result = await client.submitLead({ kind: 'callback', phone: '+44 20 7946 0958' });
 * client.on('lead:sent', ({ receipt }) => console.log(receipt?.threadId));
 */
export function createClient(config: ClientConfig) {
  assertClientConfig(config);

  const { site } = config;
  const platform = config.platform ?? {};
  const now = platform.now ?? Date.now;
  const random = platform.random ?? Math.random;
  const page = platform.page ?? browserPage;
  const events = platform.events ?? (typeof window === 'undefined' ? undefined : window);
  const logger = createLogger(config.debug ?? false);
  const adapter = config.adapter ?? createHttpAdapter({ endpoint: config.endpoint ?? '' });
  const consentMode: ConsentMode = config.consent ?? 'implied';
  const emitter = createEmitter<ClientEvents>((error) => logger.warn('an event listener threw', error));

  const consentState = signal<ConsentState>(readConsentFlag(site, platform.storage));
  const allowed = computed(() => consentState.value === 'granted' || (consentMode === 'implied' && consentState.value !== 'denied'));

  const memoryOnly: StorageFactories = { indexedDb: createMemoryStore, localStorage: createMemoryStore, cookie: createMemoryStore };
  const persistence = createPersistence(site, allowed.value, platform.storage === 'memory' ? memoryOnly : (platform.storage ?? BROWSER_STORAGE), (store, error) =>
    logger.debug(`${store.kind} is unavailable, falling back`, error),
  );

  const visitor = signal<VisitorState | undefined>(undefined);
  const person = signal<Person | undefined>(undefined);
  const attribution = signal<Attribution | undefined>(undefined);
  const status = signal<ConnectionStatus>('idle');
  const openWidget = signal<WidgetName | undefined>(undefined);
  const outboxEntries = signal<OutboxEntry[]>([]);
  const thread = createChatThread(() => persistence.main);

  let visitorRecord: VisitorRecord | undefined;
  let personRecord: PersonRecord | undefined;
  let adapterStarted: Promise<void> | undefined;
  let destroyed = false;

  const report = (error: ThreadlineError) => {
    logger.warn(error.message, error);
    emitter.emit('error', { error });
  };
  const isoNow = () => new Date(now()).toISOString();
  const newId = () => createClientId(now());

  const sessionContext = (): SessionContext => ({
    site,
    visitorId: visitorRecord!.visitorId,
    sessionId: visitorRecord!.sessionId,
    ...(personRecord ? { person: personRecord.person } : {}),
    ...(personRecord?.hash ? { hash: personRecord.hash } : {}),
  });

  const ensureStarted = () => (adapterStarted ??= adapter.start(sessionContext()).catch((error: unknown) => {
    adapterStarted = undefined;
    throw error;
  }));

  const restartAdapter = () => {
    adapter.stop();
    adapterStarted = undefined;
  };

  const outbox = createOutbox({
    site,
    store: persistence.main,
    lock: createOutboxLock(platform.locks),
    now,
    random,
    canSend: () => !destroyed && allowed.value,
    deliver: async (mutation: Mutation) => {
      await ensureStarted();
      return adapter.send(mutation);
    },
    ...(adapter.beacon ? { beacon: (mutation: Mutation) => adapter.beacon!(mutation) } : {}),
    onAck(entry, result) {
      if (entry.kind === 'lead') emitter.emit('lead:sent', { clientId: entry.id, receipt: result as LeadReceipt | undefined });
      if (entry.kind === 'message') {
        const ack = result as MessageAck;
        thread.acknowledged(entry.id, ack);
        emitter.emit('message:sent', { clientId: entry.id, id: ack.id, seq: ack.seq });
      }
      if (entry.kind === 'identify' && personRecord) {
        personRecord = { ...personRecord, synced: true };
        void persistence.main.set(PERSON_KEY, personRecord).catch(() => {});
      }
    },
    onRejected(entry, error) {
      if (entry.kind === 'lead') emitter.emit('lead:failed', { clientId: entry.id, error });
      if (entry.kind === 'message') {
        thread.failed(entry.id, error);
        emitter.emit('message:failed', { clientId: entry.id, error });
      }
      report(error);
    },
    onRetry(entry, error) {
      logger.debug(`will retry ${entry.kind} ${entry.id} (attempt ${entry.attempts})`, error.message);
    },
    onChange(entries) {
      outboxEntries.value = entries;
    },
  });

  const saveVisitor = async (record: VisitorRecord) => {
    visitorRecord = record;
    visitor.value = { visitorId: record.visitorId, sessionId: record.sessionId, visitCount: record.visitCount, firstSeenAt: record.firstSeenAt, lastSeenAt: record.lastSeenAt };
    await writeVisitor(persistence.main, persistence.mirrors(), record).catch((error: unknown) => logger.debug('could not store the visitor', error));
  };

  const loadVisitor = async () => {
    const stored = await readVisitor(persistence.main, persistence.mirrors(), now());
    const record = stored ? touchVisitor(stored.sessionId ? stored : { ...stored, sessionId: newId() }, newId, now()) : createVisitorRecord(newId, now());
    await saveVisitor(record);
  };

  const loadPerson = async () => {
    personRecord = await persistence.main.get<PersonRecord>(PERSON_KEY).catch(() => undefined);
    person.value = personRecord?.person;
  };

  const activity = async () => {
    if (!visitorRecord) return;
    const touched = touchVisitor(visitorRecord, newId, now());
    const newSession = touched.sessionId !== visitorRecord.sessionId;
    await saveVisitor(touched);
    if (newSession) {
      tabs.post({ type: 'visitor', visitorId: touched.visitorId, sessionId: touched.sessionId });
      restartAdapter();
    }
  };

  const onIncoming = (event: IncomingEvent) => {
    switch (event.type) {
      case 'message:new':
        for (const message of thread.receive([event.message], openWidget.value === 'chat')) emitter.emit('message:new', { message });
        break;
      case 'typing':
        thread.agentTyping.value = event.typing ? (event.author ?? { kind: 'agent' }) : undefined;
        emitter.emit('typing', event.author ? { typing: event.typing, author: event.author } : { typing: event.typing });
        break;
      case 'read':
        thread.markReadByAgent(event.upToSeq);
        emitter.emit('read', { upToSeq: event.upToSeq });
        break;
      case 'presence':
        thread.agentsOnline.value = event.agentsOnline;
        emitter.emit('presence', { agentsOnline: event.agentsOnline });
        break;
      case 'session:merged':
        emitter.emit('session:merged', event.contactId ? { contactId: event.contactId } : {});
        break;
      case 'connection':
        if (status.value !== event.status) {
          status.value = event.status;
          emitter.emit('status', { status: event.status });
        }
        // A reconnect is the moment to deliver what waited.
        if (event.status === 'online') void outbox.wake();
        break;
    }
  };
  const stopListeningToAdapter = adapter.onEvent(onIncoming);

  const onTabMessage = (message: TabMessage) => {
    void (async () => {
      await ready;
      if (message.type === 'visitor' || message.type === 'reset') {
        const stored = await readVisitor(persistence.main, persistence.mirrors(), now());
        if (stored && stored.visitorId !== visitorRecord?.visitorId) restartAdapter();
        if (message.type === 'reset') thread.clear();
        if (stored) await saveVisitor(stored);
        await loadPerson();
        if (message.type === 'reset') emitter.emit('reset', { visitorId: visitorRecord!.visitorId });
      } else if (message.type === 'person') {
        await loadPerson();
        if (person.value) emitter.emit('identify', { person: person.value });
      } else if (message.type === 'consent') {
        await applyConsent(message.granted, false);
      } else {
        void outbox.drain();
      }
    })();
  };
  const tabs = createTabChannel(site, onTabMessage);

  const onOnline = () => void outbox.wake();
  const onOffline = () => onIncoming({ type: 'connection', status: 'offline' });
  const onVisibility = () => {
    if (typeof document !== 'undefined' && document.visibilityState === 'visible') void activity().then(() => outbox.drain());
  };
  const onPageHide = () => void outbox.beaconPending();
  const listeners: [string, () => void][] = [
    ['online', onOnline],
    ['offline', onOffline],
    ['visibilitychange', onVisibility],
    ['pagehide', onPageHide],
  ];
  const visibilityTarget = typeof document === 'undefined' ? events : document;
  for (const [name, listener] of listeners) (name === 'visibilitychange' ? visibilityTarget : events)?.addEventListener(name, listener);

  const ready: Promise<void> = (async () => {
    try {
      await loadVisitor();
      await loadPerson();
      const storedAttribution = await persistence.main.get<Attribution>(ATTRIBUTION_KEY).catch(() => undefined);
      const current = page();
      const pageContext: PageContext = { url: current.url, referrer: current.referrer ?? '' };
      attribution.value = updateAttribution(storedAttribution, pageContext, isoNow());
      await persistence.main.set(ATTRIBUTION_KEY, attribution.value).catch(() => {});
      await thread.load();
      outboxEntries.value = await outbox.list();
      emitter.emit('ready', { visitorId: visitorRecord!.visitorId });
      void outbox.drain();
      // Fetch the validation chunk while the page is idle, so that a visitor who
      // goes offline before the first interaction can still submit a lead.
      const preload = () => void loadValidators().catch(() => {});
      if (typeof requestIdleCallback === 'function') requestIdleCallback(preload, { timeout: 5000 });
      else setTimeout(preload, 0);
    } catch (caught) {
      report(new ThreadlineError('storage', 'could not start the client', { cause: caught }));
      visitorRecord ??= createVisitorRecord(newId, now());
    }
  })();

  async function applyConsent(granted: boolean, broadcast: boolean): Promise<void> {
    const state: ConsentState = granted ? 'granted' : 'denied';
    if (granted) {
      await persistence.makeDurable();
      writeConsentFlag(site, state);
      consentState.value = state;
      if (visitorRecord) await saveVisitor(visitorRecord);
      void outbox.drain();
    } else {
      consentState.value = state;
      await persistence.wipe();
      writeConsentFlag(site, state);
      restartAdapter();
    }
    if (broadcast) tabs.post({ type: 'consent', granted });
    emitter.emit('consent', { granted });
  }

  const guard = async <T>(work: () => Promise<Result<T>>): Promise<Result<T>> => {
    if (destroyed) return { ok: false, error: new ThreadlineError('destroyed', 'this client was destroyed') };
    await ready;
    try {
      return await work();
    } catch (caught) {
      const error = caught instanceof ThreadlineError ? caught : new ThreadlineError('storage', 'the SDK could not store this', { cause: caught });
      report(error);
      return { ok: false, error };
    }
  };

  async function resetVisitor(): Promise<void> {
    restartAdapter();
    personRecord = undefined;
    person.value = undefined;
    thread.clear();
    await persistence.main.del(PERSON_KEY).catch(() => {});
    await saveVisitor(createVisitorRecord(newId, now()));
  }

  const client = {
    /** Resolves once stored identity, attribution and the outbox are loaded. Never rejects. */
    ready,
    site,
    visitor: visitor as ReadonlySignal<VisitorState | undefined>,
    person: person as ReadonlySignal<Person | undefined>,
    attribution: attribution as ReadonlySignal<Attribution | undefined>,
    consentState: consentState as ReadonlySignal<ConsentState>,
    /** Whether the SDK may store and send now (depends on the consent mode and the visitor's choice). */
    storageAllowed: allowed,
    status: status as ReadonlySignal<ConnectionStatus>,
    openWidget: openWidget as ReadonlySignal<WidgetName | undefined>,
    /** Writes not yet acknowledged by the server: widgets show them as "will be sent". */
    pending: outboxEntries as ReadonlySignal<OutboxEntry[]>,

    /**
     * Attaches a known person to this visitor. `hash` (HMAC-SHA256 of the userId,
     * or of the e-mail, with the site secret) lets the server trust the claim.
     * Identifying a different userId than the current one first starts a new visitor.
     */
    identify(input: Person, options: IdentifyOptions = {}): Promise<Result<{ clientId: string | undefined }>> {
      return guard<{ clientId: string | undefined }>(async () => {
        const { validate, PersonSchema, IdentifyOptionsSchema } = await loadValidators();
        const checkedPerson = validate(PersonSchema, input);
        if (!checkedPerson.ok) return checkedPerson;
        const checkedOptions = validate(IdentifyOptionsSchema, options);
        if (!checkedOptions.ok) return checkedOptions;
        const next = checkedPerson.value;
        if (personRecord?.person.userId && next.userId && personRecord.person.userId !== next.userId) {
          await resetVisitor();
          tabs.post({ type: 'reset', visitorId: visitorRecord!.visitorId });
          emitter.emit('reset', { visitorId: visitorRecord!.visitorId });
        }
        const hash = checkedOptions.value.hash;
        const record: PersonRecord = { person: next, ...(hash ? { hash } : {}), synced: false };
        if (personRecord?.synced && JSON.stringify({ ...personRecord, synced: false }) === JSON.stringify(record)) return { ok: true, value: { clientId: undefined } };
        personRecord = record;
        person.value = next;
        await persistence.main.set(PERSON_KEY, record);
        restartAdapter();
        const clientId = newId();
        await outbox.enqueue('identify', clientId, {
          site,
          visitorId: visitorRecord!.visitorId,
          clientId,
          sessionId: visitorRecord!.sessionId,
          person: next,
          ...(hash ? { hash } : {}),
        });
        tabs.post({ type: 'person' });
        emitter.emit('identify', { person: next });
        return { ok: true, value: { clientId } };
      });
    },

    /** On logout: forgets the person and the local thread and starts a new anonymous visitor. Queued writes still go out. */
    reset(): Promise<Result<{ visitorId: string }>> {
      return guard(async () => {
        await resetVisitor();
        tabs.post({ type: 'reset', visitorId: visitorRecord!.visitorId });
        emitter.emit('reset', { visitorId: visitorRecord!.visitorId });
        return { ok: true, value: { visitorId: visitorRecord!.visitorId } };
      });
    },

    /** Records the visitor's storage consent. `true` starts storing and sending; `false` wipes what was stored. */
    consent(granted: boolean): Promise<Result<{ granted: boolean }>> {
      return guard(async () => {
        if (typeof granted !== 'boolean') return { ok: false, error: new ThreadlineError('invalid_input', 'granted must be a boolean', { field: 'granted' }) };
        await applyConsent(granted, true);
        return { ok: true, value: { granted } };
      });
    },

    /**
     * Queues a lead (callback request, form, left message). Resolves once the lead
     * is stored in the outbox, not when it reaches the server: listen to
     * `lead:sent`. A lead accepted here is delivered exactly once, even across
     * offline periods and reloads.
     */
    submitLead(input: LeadInput): Promise<Result<{ clientId: string }>> {
      return guard(async () => {
        const { validate, LeadInputSchema, LeadSchema } = await loadValidators();
        const checkedInput = validate(LeadInputSchema, input);
        if (!checkedInput.ok) return checkedInput;
        await activity();
        const clientId = newId();
        const lead = checkedInput.value;
        const payload = validate(LeadSchema, {
          ...lead,
          ...(lead.consent ? { consent: { ...lead.consent, at: lead.consent.at ?? isoNow() } } : {}),
          site,
          visitorId: visitorRecord!.visitorId,
          sessionId: visitorRecord!.sessionId,
          clientId,
          page: page(),
          ...(attribution.value ? { attribution: attribution.value } : {}),
          createdAt: isoNow(),
        });
        if (!payload.ok) return payload;
        await outbox.enqueue('lead', clientId, payload.value);
        emitter.emit('lead:queued', { clientId, lead: input });
        return { ok: true, value: { clientId } };
      });
    },

    /** Records a custom event on the visitor's timeline, e.g. `track('pricing:viewed', { plan: 'pro' })`. */
    track(name: string, properties?: Traits): Promise<Result<{ clientId: string }>> {
      return guard(async () => {
        const { validate, EventSchema } = await loadValidators();
        const clientId = newId();
        const payload = validate(EventSchema, {
          site,
          visitorId: visitorRecord!.visitorId,
          sessionId: visitorRecord!.sessionId,
          clientId,
          name,
          ...(properties === undefined ? {} : { properties }),
          page: page(),
          at: isoNow(),
        });
        if (!payload.ok) return payload;
        await outbox.enqueue('event', clientId, payload.value);
        return { ok: true, value: { clientId } };
      });
    },

    chat: {
      /** Every message of the thread this browser knows, oldest first, with delivery status. */
      messages: thread.messages as ReadonlySignal<ChatItem[]>,
      /** Business messages that arrived while the chat was closed. */
      unread: thread.unread as ReadonlySignal<number>,
      /** The agent who is typing now, if any. */
      agentTyping: thread.agentTyping as ReadonlySignal<Author | undefined>,
      agentsOnline: thread.agentsOnline as ReadonlySignal<number | undefined>,

      /** Sends a chat message through the outbox; it shows at once with status `sending`. */
      send(text: string): Promise<Result<{ clientId: string }>> {
        return guard(async () => {
          const { validate, MessageTextSchema, OutgoingMessageSchema } = await loadValidators();
          const checkedText = validate(MessageTextSchema, text, 'text');
          if (!checkedText.ok) return checkedText;
          await activity();
          const clientId = newId();
          const createdAt = isoNow();
          const payload = validate(OutgoingMessageSchema, { site, visitorId: visitorRecord!.visitorId, sessionId: visitorRecord!.sessionId, clientId, text: checkedText.value, page: page(), createdAt });
          if (!payload.ok) return payload;
          thread.addOwn(clientId, checkedText.value, createdAt);
          await outbox.enqueue('message', clientId, payload.value);
          emitter.emit('message:queued', { clientId, text: checkedText.value });
          return { ok: true, value: { clientId } };
        });
      },

      /** Sends a failed message again. */
      retry(clientId: string): Promise<Result<{ clientId: string }>> {
        return guard(async () => {
          thread.retrying(clientId);
          const found = await outbox.retry(clientId);
          return found ? { ok: true, value: { clientId } } : { ok: false, error: new ThreadlineError('not_found', `no queued message ${clientId}`, { field: 'clientId' }) };
        });
      },

      /** Fetches messages newer than the newest one this browser has (after a reconnect or reload). */
      loadHistory(): Promise<Result<{ added: number }>> {
        return guard(async () => {
          if (!adapter.history) return { ok: true, value: { added: 0 } };
          await ensureStarted();
          const history = await adapter.history(thread.latestSeq());
          const fresh = thread.receive(history.messages, openWidget.value === 'chat');
          return { ok: true, value: { added: fresh.length } };
        });
      },

      /** Tells the agent the visitor is typing (adapters without realtime ignore it). */
      typing(isTyping: boolean): void {
        if (!destroyed && allowed.value && adapterStarted) adapter.typing?.(isTyping);
      },

      /** Marks everything the visitor can see as read. */
      markRead(): void {
        thread.unread.value = 0;
        const latest = thread.latestSeq();
        if (!destroyed && allowed.value && adapterStarted && latest > 0) adapter.markRead?.(latest);
      },
    },

    /** Opens a widget (the widgets package renders it). */
    open(widget: WidgetName): Result<{ widget: WidgetName }> {
      if (widget !== 'chat' && widget !== 'callback' && widget !== 'form') {
        return { ok: false, error: new ThreadlineError('invalid_input', 'widget must be one of "chat", "callback", "form"', { field: 'widget' }) };
      }
      const previous = openWidget.value;
      batch(() => {
        openWidget.value = widget;
        if (widget === 'chat') thread.unread.value = 0;
      });
      if (previous && previous !== widget) emitter.emit('close', { widget: previous });
      if (previous !== widget) emitter.emit('open', { widget });
      return { ok: true, value: { widget } };
    },

    /** Closes the open widget, if any. */
    close(): void {
      const previous = openWidget.value;
      openWidget.value = undefined;
      if (previous) emitter.emit('close', { widget: previous });
    },

    /** Retries a write the server refused, or drops it for good. */
    outbox: {
      retry: (clientId: string) => guard(async () => ({ ok: true as const, value: { found: await outbox.retry(clientId) } })),
      discard: (clientId: string) => guard(async () => {
        await outbox.discard(clientId);
        return { ok: true as const, value: { clientId } };
      }),
      /** Tries to send everything waiting now, without waiting for the backoff. */
      flush: () => guard(async () => {
        await outbox.wake();
        return { ok: true as const, value: { pending: (await outbox.list()).length } };
      }),
    },

    /** Listens to a client event; returns the function that stops listening. */
    on<K extends keyof ClientEvents>(event: K, listener: (payload: ClientEvents[K]) => void): () => void {
      return emitter.on(event, listener);
    },

    /** Stops timers, listeners and connections. Stored data and queued writes stay for the next page. */
    destroy(): void {
      if (destroyed) return;
      destroyed = true;
      outbox.stop();
      for (const [name, listener] of listeners) (name === 'visibilitychange' ? visibilityTarget : events)?.removeEventListener(name, listener);
      tabs.close();
      stopListeningToAdapter();
      adapter.stop();
      emitter.clear();
    },
  };
  return client;
}

/** The client `createClient` returns. */
export type ThreadlineClient = ReturnType<typeof createClient>;
export type { MutationKind };
