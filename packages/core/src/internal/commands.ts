// The client's commands, loaded as one lazy chunk together with the checks they
// validate with (./checks: zod's twins, no zod in the browser). Keeping them out of
// the eager bundle is what lets a page load the client for ~8 KB gzip (see
// docs/benchmarks.md).
import type { ClientEvents, ConsentState, Result } from '../client-types';
import { ThreadlineError } from '../errors';
import type { Attribution, Traits } from '../schemas/common';
import { ATTRIBUTION_KEY, updateAttribution } from './attribution';
import type { IdentifyOptions, Person } from '../schemas/identify';
import type { LeadInput } from '../schemas/lead';
import { runCheck } from './checks/check';
import { event } from './checks/event';
import { lead as leadCheck, leadInput } from './checks/lead';
import { messageText, outgoingMessage } from './checks/message';
import { identifyOptions, person as personCheck } from './checks/person';
import type { IncomingEvent, Messenger, MessengerLink } from '../adapter';
import type { MessageAck } from '../schemas/message';
import { createChatThread } from './chat-thread';
import { PERSON_KEY, type ClientRuntime, type PersonRecord } from './client-runtime';
import { createVisitorRecord } from './identity';
import type { TabMessage } from './tab-channel';
import { ENTRY_PREFIX } from './outbox';
import { discardEntry, retryEntry } from './outbox-repair';
import { consentFlagKey } from './storage/consent-flag';
import { moveToDurable, wipeDurable } from './storage/consent-storage';

/** Builds the commands; resolves once the cached thread is loaded. */
export async function createCommands(runtime: ClientRuntime<ClientEvents>) {
  const { site, persistence, outbox, emitter, tabs } = runtime;
  const thread = createChatThread(() => persistence.main, runtime.chat);
  await thread.load();
  await rescueStrandedEntries();
  // Messages still on their way at the last reload are shown again, as sending.
  for (const entry of await outbox.list()) {
    const payload = entry.payload as { text?: string; createdAt?: string };
    if (entry.kind === 'message' && payload.text && !runtime.chat.messages.value.some((item) => item.clientId === entry.id)) {
      thread.addOwn(entry.id, payload.text, payload.createdAt ?? runtime.isoNow());
      if (entry.status === 'failed') thread.failed(entry.id, new ThreadlineError(entry.error?.code ?? 'rejected', entry.error?.message ?? 'refused'));
    }
  }
  const stored = await persistence.main.get<Attribution>(ATTRIBUTION_KEY).catch(() => undefined);
  runtime.attribution.value = updateAttribution(stored, { url: runtime.landing.url, referrer: runtime.landing.referrer ?? '' }, runtime.landing.at);
  await persistence.main.set(ATTRIBUTION_KEY, runtime.attribution.value).catch(() => {});

  const context = () => {
    const visitor = runtime.visitor();
    return { site, visitorId: visitor.visitorId, sessionId: visitor.sessionId };
  };

  async function resetVisitor(): Promise<string> {
    runtime.restartAdapter();
    runtime.setPersonRecord(undefined);
    thread.clear();
    await persistence.main.del(PERSON_KEY).catch(() => {});
    await runtime.saveVisitor(createVisitorRecord(runtime.newId, runtime.now()));
    const { visitorId } = runtime.visitor();
    tabs.post({ type: 'reset', visitorId });
    emitter.emit('reset', { visitorId });
    return visitorId;
  }

  // A page on which IndexedDB failed wrote its outbox to localStorage; a later page
  // whose IndexedDB works must still send those entries.
  async function rescueStrandedEntries(): Promise<void> {
    if (persistence.main.kind !== 'indexeddb') return;
    const local = persistence.local;
    const keys = await local.keys().catch((): string[] => []);
    let moved = 0;
    for (const key of keys.filter((name) => name.startsWith(ENTRY_PREFIX))) {
      const entry = await local.get(key);
      if (entry && !(await persistence.main.get(key))) await persistence.main.set(key, entry);
      await local.del(key);
      moved++;
    }
    if (moved > 0) void outbox.drain();
  }

  async function applyConsent(granted: boolean, broadcast: boolean): Promise<void> {
    const state: ConsentState = granted ? 'granted' : 'denied';
    if (granted) {
      await moveToDurable(persistence);
      runtime.consentState.value = state;
      await runtime.saveVisitor(runtime.visitor());
    } else {
      runtime.consentState.value = state;
      await wipeDurable(persistence, site);
      runtime.restartAdapter();
    }
    // Remembering the choice, refusal included, is what the visitor expects; see docs/storage.md.
    try {
      if (!runtime.memoryOnly) localStorage.setItem(consentFlagKey(site), JSON.stringify(state));
    } catch {
      // Blocked storage: the choice lasts for this page only.
    }
    if (broadcast) tabs.post({ type: 'consent', granted });
    emitter.emit('consent', { granted });
    // Sends what waited (granted) and refreshes `pending` from the store now in use (both).
    void outbox.drain();
  }

  return {
    applyConsent,

    /** Follows what another tab of the same site did. */
    async fromOtherTab(message: TabMessage): Promise<void> {
      if (message.type === 'consent') return applyConsent(message.granted, false);
      const before = runtime.visitor().visitorId;
      await runtime.loadStored();
      if (runtime.visitor().visitorId !== before) runtime.restartAdapter();
      if (message.type === 'reset') {
        thread.clear();
        emitter.emit('reset', { visitorId: runtime.visitor().visitorId });
      }
      const person = runtime.person.value;
      if (message.type === 'person' && person) emitter.emit('identify', { person });
    },

    async consent(granted: boolean): Promise<Result<{ granted: boolean }>> {
      if (typeof granted !== 'boolean') return { ok: false, error: new ThreadlineError('invalid_input', 'granted must be a boolean', { field: 'granted' }) };
      await applyConsent(granted, true);
      return { ok: true, value: { granted } };
    },

    async identify(input: Person, options: IdentifyOptions = {}): Promise<Result<{ clientId: string | undefined }>> {
      const checkedPerson = runCheck(personCheck, input);
      if (!checkedPerson.ok) return checkedPerson;
      const checkedOptions = runCheck(identifyOptions, options);
      if (!checkedOptions.ok) return checkedOptions;
      const person = checkedPerson.value;
      const current = runtime.personRecord();
      // A different logged-in user on the same browser must not inherit the previous one's visitor and thread.
      if (current?.person.userId && person.userId && current.person.userId !== person.userId) await resetVisitor();
      const hash = checkedOptions.value.hash;
      const record: PersonRecord = { person, ...(hash ? { hash } : {}), synced: false };
      const previous = runtime.personRecord();
      if (previous?.synced && JSON.stringify({ ...previous, synced: false }) === JSON.stringify(record)) return { ok: true, value: { clientId: undefined } };
      runtime.setPersonRecord(record);
      await persistence.main.set(PERSON_KEY, record);
      runtime.restartAdapter();
      const clientId = runtime.newId();
      await outbox.enqueue('identify', clientId, { ...context(), clientId, person, ...(hash ? { hash } : {}) });
      tabs.post({ type: 'person' });
      emitter.emit('identify', { person });
      return { ok: true, value: { clientId } };
    },

    async reset(): Promise<Result<{ visitorId: string }>> {
      return { ok: true, value: { visitorId: await resetVisitor() } };
    },

    async submitLead(input: LeadInput): Promise<Result<{ clientId: string }>> {
      const checkedInput = runCheck(leadInput, input);
      if (!checkedInput.ok) return checkedInput;
      await runtime.activity();
      const clientId = runtime.newId();
      const lead = checkedInput.value;
      const attribution = runtime.attribution.value;
      const payload = runCheck(leadCheck, {
        ...lead,
        ...(lead.consent ? { consent: { ...lead.consent, at: lead.consent.at ?? runtime.isoNow() } } : {}),
        ...context(),
        clientId,
        page: runtime.page(),
        ...(attribution ? { attribution } : {}),
        createdAt: runtime.isoNow(),
      });
      if (!payload.ok) return payload;
      await outbox.enqueue('lead', clientId, payload.value);
      emitter.emit('lead:queued', { clientId, lead: input });
      return { ok: true, value: { clientId } };
    },

    async track(name: string, properties?: Traits): Promise<Result<{ clientId: string }>> {
      const clientId = runtime.newId();
      const payload = runCheck(event, {
        ...context(),
        clientId,
        name,
        ...(properties === undefined ? {} : { properties }),
        page: runtime.page(),
        at: runtime.isoNow(),
      });
      if (!payload.ok) return payload;
      await outbox.enqueue('event', clientId, payload.value);
      return { ok: true, value: { clientId } };
    },

    async send(text: string): Promise<Result<{ clientId: string }>> {
      const checkedText = runCheck(messageText, text, 'text');
      if (!checkedText.ok) return checkedText;
      await runtime.activity();
      const clientId = runtime.newId();
      const createdAt = runtime.isoNow();
      const payload = runCheck(outgoingMessage, { ...context(), clientId, text: checkedText.value, page: runtime.page(), createdAt });
      if (!payload.ok) return payload;
      thread.addOwn(clientId, checkedText.value, createdAt);
      await outbox.enqueue('message', clientId, payload.value);
      emitter.emit('message:queued', { clientId, text: checkedText.value });
      return { ok: true, value: { clientId } };
    },

    async retry(clientId: string): Promise<Result<{ clientId: string }>> {
      thread.retrying(clientId);
      if (await retryEntry(persistence.main, outbox, clientId)) return { ok: true, value: { clientId } };
      const error = new ThreadlineError('not_found', `no queued write ${clientId}`, { field: 'clientId' });
      // A discarded message cannot be sent again: say so instead of showing "sending" forever.
      thread.failed(clientId, error);
      return { ok: false, error };
    },

    /** Applies what the backend pushed: messages, typing, read receipts, presence. */
    incoming(event: Exclude<IncomingEvent, { type: 'connection' }>): void {
      if (event.type === 'message:new') {
        for (const message of thread.receive([event.message], runtime.chatOpen())) emitter.emit('message:new', { message });
      } else if (event.type === 'typing') {
        thread.typing(event.typing ? (event.author ?? { kind: 'agent' }) : undefined);
        emitter.emit('typing', event);
      } else if (event.type === 'read') {
        thread.markReadByAgent(event.upToSeq);
        emitter.emit('read', event);
      } else if (event.type === 'presence') {
        thread.presence(event.agentsOnline);
        emitter.emit('presence', event);
      } else {
        emitter.emit('session:merged', event);
      }
    },

    messageAcknowledged(clientId: string, ack: MessageAck): void {
      thread.acknowledged(clientId, ack);
      emitter.emit('message:sent', { clientId, id: ack.id, seq: ack.seq });
    },

    messageRejected(clientId: string, error: ThreadlineError): void {
      thread.failed(clientId, error);
      emitter.emit('message:failed', { clientId, error });
    },

    async discard(clientId: string): Promise<Result<{ clientId: string }>> {
      await discardEntry(persistence.main, outbox, clientId);
      return { ok: true, value: { clientId } };
    },

    latestSeq: () => thread.latestSeq(),

    async loadHistory(): Promise<Result<{ added: number }>> {
      if (!runtime.allowed()) return { ok: false, error: new ThreadlineError('consent_required', 'reading the thread needs consent(true)') };
      if (!runtime.adapter.history) return { ok: true, value: { added: 0 } };
      await runtime.ensureStarted();
      const history = await runtime.adapter.history(thread.latestSeq());
      return { ok: true, value: { added: thread.receive(history.messages, runtime.chatOpen()).length } };
    },

    async messengerLink(messenger: Messenger): Promise<Result<MessengerLink>> {
      if (!runtime.allowed()) return { ok: false, error: new ThreadlineError('consent_required', 'a messenger link needs consent(true)') };
      if (!runtime.adapter.messengerLink) return { ok: false, error: new ThreadlineError('unsupported', `this backend offers no ${messenger} link`) };
      await runtime.ensureStarted();
      return { ok: true, value: await runtime.adapter.messengerLink(messenger) };
    },
  };
}

export type Commands = Awaited<ReturnType<typeof createCommands>>;
