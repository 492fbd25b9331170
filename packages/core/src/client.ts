import { batch, computed, signal, type ReadonlySignal } from '@preact/signals-core';
import type { BackendAdapter, ConnectionStatus, IncomingEvent, Messenger, Mutation } from './adapter';
import { createHttpAdapter } from './adapters/http';
import type { ClientConfig, ClientEvents, ClientPlatform, ConsentState, Result, VisitorState, WidgetName } from './client-types';
import { ThreadlineError } from './errors';
import { createChatSignals, type ReadonlyChatSignals } from './internal/chat-signals';
import { assertClientConfig } from './internal/check-client-config';
import { PERSON_KEY, type ClientRuntime, type PersonRecord } from './internal/client-runtime';
import type { Commands } from './internal/commands';
import { createEmitter } from './internal/emitter';
import { createVisitorRecord, readVisitor, touchVisitor, writeVisitor, type VisitorRecord } from './internal/identity';
import { loadCommands } from './internal/load-commands';
import { createOutboxLock } from './internal/locks';
import { createLogger } from './internal/logger';
import { createOutbox, type OutboxEntry } from './internal/outbox';
import { createMemoryStore } from './internal/storage/memory-store';
import { consentFlagKey } from './internal/storage/consent-flag';
import { BROWSER_STORAGE, createPersistence, type StorageFactories } from './internal/storage/persistence';
import { createTabChannel, type TabMessage } from './internal/tab-channel';
import { createClientId } from './internal/uuid';
import type { Attribution, Page, Traits } from './schemas/common';
import type { IdentifyOptions, Person } from './schemas/identify';
import type { LeadInput, LeadReceipt } from './schemas/lead';
import type { MessageAck } from './schemas/message';

function browserPage(): Page {
  if (typeof location === 'undefined') return { url: '' };
  return {
    url: location.href.slice(0, 2048),
    ...(document.referrer ? { referrer: document.referrer.slice(0, 2048) } : {}),
    ...(document.title ? { title: document.title.slice(0, 512) } : {}),
  };
}

// The consent choice itself is kept in localStorage: reading it writes nothing,
// and remembering a refusal is what the visitor expects (ePrivacy treats it as
// strictly necessary). See docs/storage.md.
function readConsentFlag(site: string): ConsentState {
  try {
    const value = localStorage.getItem(consentFlagKey(site));
    return value === '"granted"' ? 'granted' : value === '"denied"' ? 'denied' : 'unknown';
  } catch {
    return 'unknown';
  }
}

const MEMORY_ONLY: StorageFactories = { indexedDb: createMemoryStore, localStorage: createMemoryStore, cookie: createMemoryStore };

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
export function createClient(config: ClientConfig): ThreadlineClient {
  assertClientConfig(config);
  return createClientWithoutConfigCheck(config);
}

/**
 * `createClient` without its config check, for a host whose config is made of values a
 * Threadline server already accepted: the script tag starts only once the server answered
 * the site's config, so the site key is known and the endpoint reachable. Skipping the
 * check keeps it out of that host's bundle (≈350 B gzip on the script tag's chat path).
 * A bad config here fails later, at the server, instead of at once.
 * @example
 * const client = createClientWithoutConfigCheck({ site: context.site, endpoint: context.endpoint, adapter });
 */
export function createClientWithoutConfigCheck(config: ClientConfig) {
  const { site } = config;
  const platform: ClientPlatform = config.platform ?? {};
  const now = platform.now ?? Date.now;
  const page = platform.page ?? browserPage;
  const events = platform.events ?? (typeof window === 'undefined' ? undefined : window);
  const logger = createLogger(config.debug ?? false);
  const adapter: BackendAdapter = config.adapter ?? createHttpAdapter({ endpoint: config.endpoint ?? '' });
  const emitter = createEmitter<ClientEvents>((error) => logger.warn('a listener threw', error));
  const memoryOnly = platform.storage === 'memory';

  const consentState = signal<ConsentState>(memoryOnly ? 'unknown' : readConsentFlag(site));
  const allowed = computed(() => consentState.value === 'granted' || (config.consent !== 'required' && consentState.value !== 'denied'));
  const persistence = createPersistence(site, allowed.value, memoryOnly ? MEMORY_ONLY : (platform.storage as StorageFactories | undefined) ?? BROWSER_STORAGE, (store, error) =>
    logger.debug(`${store.kind} unavailable`, error),
  );

  const visitor = signal<VisitorState | undefined>(undefined);
  const person = signal<Person | undefined>(undefined);
  const attribution = signal<Attribution | undefined>(undefined);
  // The page this client started on; the commands chunk turns it into attribution (first/last touch).
  const landing = { ...page(), at: new Date(now()).toISOString() };
  const status = signal<ConnectionStatus>('idle');
  const openWidget = signal<WidgetName | undefined>(undefined);
  const pending = signal<OutboxEntry[]>([]);
  const chat = createChatSignals();

  let visitorRecord!: VisitorRecord;
  let personRecord: PersonRecord | undefined;
  let adapterStarted: Promise<void> | undefined;
  let destroyed = false;
  let commands: Promise<Commands> | undefined;

  const report = (caught: unknown) => {
    const error = caught instanceof ThreadlineError ? caught : new ThreadlineError('network', 'a background request failed', { retryable: true, cause: caught });
    logger.warn(error.message, error);
    emitter.emit('error', { error });
  };
  const newId = () => createClientId(now());

  const ensureStarted = () =>
    (adapterStarted ??= adapter
      .start({
        site,
        visitorId: visitorRecord.visitorId,
        sessionId: visitorRecord.sessionId,
        ...(personRecord ? { person: personRecord.person } : {}),
        ...(personRecord?.hash ? { hash: personRecord.hash } : {}),
      })
      .catch((error: unknown) => {
        adapterStarted = undefined;
        throw error;
      }));

  const restartAdapter = () => {
    adapter.stop();
    adapterStarted = undefined;
    // An open chat must keep hearing the agent: start again, as the new visitor/session.
    if (openWidget.value === 'chat') withCommands((commands) => void commands.loadHistory().catch(report));
  };

  const outbox = createOutbox({
    site,
    store: persistence.main,
    lock: createOutboxLock(platform.locks),
    now,
    random: platform.random ?? Math.random,
    // Offline, a send can only fail (and print a network error in the page's console): the `online` event wakes the outbox.
    canSend: () => !destroyed && allowed.value && globalThis.navigator?.onLine !== false,
    deliver: async (mutation: Mutation) => {
      await ensureStarted();
      return adapter.send(mutation);
    },
    ...(adapter.beacon ? { beacon: (mutation: Mutation) => adapter.beacon!(mutation) } : {}),
    onAck(entry, result) {
      const clientId = entry.id;
      if (entry.kind === 'lead') emitter.emit('lead:sent', { clientId, receipt: result as LeadReceipt | undefined });
      if (entry.kind === 'message') withCommands((commands) => commands.messageAcknowledged(clientId, result as MessageAck));
      if (entry.kind === 'identify' && personRecord) {
        personRecord = { ...personRecord, synced: true };
        void persistence.main.set(PERSON_KEY, personRecord).catch(() => {});
      }
    },
    onRejected(entry, error) {
      const clientId = entry.id;
      if (entry.kind === 'lead') emitter.emit('lead:failed', { clientId, error });
      if (entry.kind === 'message') withCommands((commands) => commands.messageRejected(clientId, error));
      report(error);
    },
    onRetry(entry, error) {
      logger.debug(`retry ${entry.kind} ${entry.id} #${entry.attempts}`, error.message);
    },
    onChange(entries) {
      pending.value = entries;
    },
  });

  const saveVisitor = async (record: VisitorRecord) => {
    visitorRecord = record;
    const { visitorId, sessionId, visitCount, firstSeenAt, lastSeenAt } = record;
    visitor.value = { visitorId, sessionId, visitCount, firstSeenAt, lastSeenAt };
    await writeVisitor(persistence.main, persistence.mirrors(), record).catch((error: unknown) => logger.debug('visitor not stored', error));
  };

  const loadStored = async () => {
    const stored = await readVisitor(persistence.main, persistence.mirrors(), now());
    await saveVisitor(stored ? touchVisitor(stored.sessionId ? stored : { ...stored, sessionId: newId() }, newId, now()) : createVisitorRecord(newId, now()));
    personRecord = await persistence.main.get<PersonRecord>(PERSON_KEY).catch(() => undefined);
    person.value = personRecord?.person;
  };

  const activity = async () => {
    const touched = touchVisitor(visitorRecord, newId, now());
    const newSession = touched.sessionId !== visitorRecord.sessionId;
    await saveVisitor(touched);
    if (newSession) {
      tabs.post({ type: 'visitor', visitorId: touched.visitorId, sessionId: touched.sessionId });
      restartAdapter();
    }
  };

  const onIncoming = (event: IncomingEvent) => {
    if (event.type !== 'connection') withCommands((commands) => commands.incoming(event));
    else {
      const previous = status.value;
      if (previous === event.status) return;
      status.value = event.status;
      emitter.emit('status', { status: event.status });
      // (Re)connecting is the moment to deliver what waited; a server's Retry-After
      // pause survives the wake (OutboxEntry.notBefore).
      if (event.status === 'online') void outbox.wake();
    }
  };
  const stopListeningToAdapter = adapter.onEvent(onIncoming);

  // Another tab changed identity, consent or the outbox: the commands chunk reconciles.
  const tabs = createTabChannel(site, (message: TabMessage) => void ready.then(() => withCommands((commands) => void commands.fromOtherTab(message))));

  const listeners: [Pick<EventTarget, 'addEventListener' | 'removeEventListener'> | undefined, string, () => void][] = [
    [events, 'online', () => void outbox.wake()],
    [events, 'offline', () => onIncoming({ type: 'connection', status: 'offline' })],
    // A beacon cannot leave a browser that knows it is offline; the next page sends the lead.
    [events, 'pagehide', () => void (navigator.onLine === false || outbox.beaconPending())],
    [
      typeof document === 'undefined' ? undefined : document,
      'visibilitychange',
      () => {
        if (document.visibilityState === 'visible') void ready.then(activity).then(() => outbox.drain(), report);
      },
    ],
  ];
  for (const [target, name, listener] of listeners) target?.addEventListener(name, listener);

  const runtime: ClientRuntime<ClientEvents> = {
    site,
    adapter,
    persistence,
    outbox,
    chat,
    emitter,
    tabs,
    person,
    attribution,
    landing,
    consentState,
    chatOpen: () => openWidget.value === 'chat',
    allowed: () => allowed.value,
    memoryOnly,
    visitor: () => visitorRecord,
    personRecord: () => personRecord,
    setPersonRecord(record) {
      personRecord = record;
      person.value = record?.person;
    },
    saveVisitor,
    loadStored,
    activity,
    ensureStarted,
    restartAdapter,
    newId,
    now,
    isoNow: () => new Date(now()).toISOString(),
    page,
    report,
  };
  const loadClientCommands = (): Promise<Commands> => (commands ??= loadCommands().then(({ createCommands }) => createCommands(runtime)).catch((error: unknown) => {
    commands = undefined;
    throw new ThreadlineError('network', 'could not load the SDK commands', { retryable: true, cause: error });
  }));

  const ready: Promise<void> = (async () => {
    try {
      await loadStored();
      pending.value = await outbox.list();
      emitter.emit('ready', { visitorId: visitorRecord.visitorId });
      void outbox.drain();
      // Fetch the commands chunk while the page is idle, so that a visitor who goes
      // offline before the first interaction can still leave a lead.
      const preload = () => void loadClientCommands().catch(() => {});
      if (typeof requestIdleCallback === 'function') requestIdleCallback(preload, { timeout: 5000 });
      else setTimeout(preload, 0);
    } catch (error) {
      visitorRecord ??= createVisitorRecord(newId, now());
      report(new ThreadlineError('storage', 'could not load stored state', { cause: error }));
    }
  })();

  /** For work that needs the lazily loaded commands but has no caller to answer. */
  function withCommands(work: (commands: Commands) => void): void {
    void loadClientCommands().then(work, (error: unknown) => report(error as ThreadlineError));
  }

  /** Runs a command once the client is ready; never throws or rejects. */
  const run = async <T>(command: (commands: Commands) => Promise<Result<T>>): Promise<Result<T>> => {
    if (destroyed) return { ok: false, error: new ThreadlineError('destroyed', 'this client was destroyed') };
    try {
      await ready;
      return await command(await loadClientCommands());
    } catch (caught) {
      const error = caught instanceof ThreadlineError ? caught : new ThreadlineError('storage', 'could not store this', { cause: caught });
      report(error);
      return { ok: false, error };
    }
  };

  return {
    /** Resolves once the stored identity and the outbox are loaded. Never rejects. */
    ready,
    site,
    visitor: visitor as ReadonlySignal<VisitorState | undefined>,
    person: person as ReadonlySignal<Person | undefined>,
    /** First- and last-touch campaign data; filled at idle (or by the first SDK call). */
    attribution: attribution as ReadonlySignal<Attribution | undefined>,
    consentState: consentState as ReadonlySignal<ConsentState>,
    /** Whether the SDK may store and send now (depends on the consent mode and the visitor's choice). */
    storageAllowed: allowed as ReadonlySignal<boolean>,
    status: status as ReadonlySignal<ConnectionStatus>,
    openWidget: openWidget as ReadonlySignal<WidgetName | undefined>,
    /** Writes not yet acknowledged by the server: widgets show them as "will be sent". */
    pending: pending as ReadonlySignal<OutboxEntry[]>,

    /**
     * Attaches a known person to this visitor. `hash` (HMAC-SHA256 of the userId,
     * or of the e-mail, with the site secret) lets the server trust the claim.
     * Identifying a different userId than the current one first starts a new visitor.
     */
    identify: (input: Person, options?: IdentifyOptions) => run((commands) => commands.identify(input, options)),

    /** On logout: forgets the person and the local thread and starts a new anonymous visitor. Queued writes still go out. */
    reset: () => run((commands) => commands.reset()),

    /** Records the visitor's storage consent. `true` starts storing and sending; `false` wipes what was stored. */
    consent: (granted: boolean) => run((commands) => commands.consent(granted)),

    /**
     * Queues a lead (callback request, form, left message). Resolves once the lead
     * is stored in the outbox, not when it reaches the server: listen to
     * `lead:sent`. A lead accepted here is delivered exactly once, even across
     * offline periods and reloads.
     */
    submitLead: (input: LeadInput) => run((commands) => commands.submitLead(input)),

    /**
     * A fresh one-time link that continues this conversation in a messenger
     * (`https://t.me/<bot>?start=<token>`): opened there, it joins the two as one verified customer.
     */
    messengerLink: (messenger: Messenger) => run((commands) => commands.messengerLink(messenger)),

    /** Records a custom event on the visitor's timeline, e.g. `track('pricing:viewed', { plan: 'pro' })`. */
    track: (name: string, properties?: Traits) => run((commands) => commands.track(name, properties)),

    chat: {
      ...(chat as ReadonlyChatSignals),
      /** Sends a chat message through the outbox; it shows at once with status `sending`. */
      send: (text: string) => run((commands) => commands.send(text)),
      /** Sends a failed message again. */
      retry: (clientId: string) => run((commands) => commands.retry(clientId)),
      /** Fetches messages newer than the newest one this browser has (after a reconnect or reload). */
      loadHistory: () => run((commands) => commands.loadHistory()),
      /** Tells the agent the visitor is typing (adapters without realtime ignore it). */
      typing(isTyping: boolean): void {
        if (!destroyed && allowed.value && adapterStarted) adapter.typing?.(isTyping);
      },
      /** Marks everything the visitor can see as read. */
      markRead(): void {
        chat.unread.value = 0;
        withCommands((commands) => {
          const latest = commands.latestSeq();
          if (!destroyed && allowed.value && adapterStarted && latest > 0) adapter.markRead?.(latest);
        });
      },
    },

    /** Opens a widget (the widgets package renders it). */
    open(widget: WidgetName): Result<{ widget: WidgetName }> {
      if (!['chat', 'callback', 'form'].includes(widget)) return { ok: false, error: new ThreadlineError('invalid_input', 'widget must be chat, callback or form', { field: 'widget' }) };
      const previous = openWidget.value;
      batch(() => {
        openWidget.value = widget;
        if (widget === 'chat') chat.unread.value = 0;
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

    /** Retries a write the server refused, drops it for good, or sends everything waiting now. */
    outbox: {
      retry: (clientId: string) => run((commands) => commands.retry(clientId)),
      discard: (clientId: string) => run((commands) => commands.discard(clientId)),
      flush: () =>
        run(async () => {
          await outbox.wake();
          return { ok: true as const, value: { pending: pending.value.length } };
        }),
    },

    /** Listens to a client event; returns the function that stops listening. */
    on: <K extends keyof ClientEvents>(event: K, listener: (payload: ClientEvents[K]) => void): (() => void) => emitter.on(event, listener),

    /** Stops timers, listeners and connections. Stored data and queued writes stay for the next page. */
    destroy(): void {
      if (destroyed) return;
      destroyed = true;
      outbox.stop();
      for (const [target, name, listener] of listeners) target?.removeEventListener(name, listener);
      tabs.close();
      stopListeningToAdapter();
      adapter.stop();
      emitter.clear();
    },
  };
}

/** The client `createClient` returns. */
export type ThreadlineClient = ReturnType<typeof createClientWithoutConfigCheck>;
