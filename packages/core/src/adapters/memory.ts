import type { BackendAdapter, HistoryPage, IncomingEvent, MessengerLink, Mutation, MutationKind, MutationTypes, SessionContext } from '../adapter';
import { ThreadlineError } from '../errors';
import type { Lead, LeadReceipt } from '../schemas/lead';
import type { Author, ChatMessage } from '../schemas/message';

/** Options of the in-memory backend. */
export interface MemoryAdapterOptions {
  /** Simulated round trip, in milliseconds (default 0). */
  latencyMs?: number;
  /** Start offline (`send` rejects with a retryable network error). */
  offline?: boolean;
  /** How long a messenger link stays valid, in milliseconds (default 15 minutes, as the reference server). */
  messengerLinkTtlMs?: number;
}

/** The in-memory backend plus the handles a test or demo uses to play the server's part. */
export interface MemoryAdapter extends BackendAdapter {
  /** Every write the "server" accepted, once per client id. */
  readonly received: { [K in MutationKind]: MutationTypes[K]['payload'][] };
  /** How many requests arrived in all, replays included. */
  readonly requestCount: number;
  /** Every messenger link handed out, oldest first. */
  readonly messengerLinks: MessengerLink[];
  setOffline(offline: boolean): void;
  /** Makes the next `count` sends fail with `error` (a retryable server error by default). */
  failNext(count: number, error?: ThreadlineError): void;
  /** Plays an agent's reply into the thread. */
  reply(text: string, author?: Author): ChatMessage;
  /** Pushes any incoming event (typing, read, presence...). */
  push(event: IncomingEvent): void;
}

/**
 * A complete backend in memory: idempotent by client id, with a thread, typing and
 * read receipts. For tests, demos and the headless example.
 * @example
 * const backend = createMemoryAdapter();
 * const client = createClient({ site: 'demo', adapter: backend });
 * backend.reply('Hi! How can we help?');
 */
export function createMemoryAdapter(options: MemoryAdapterOptions = {}): MemoryAdapter {
  const listeners = new Set<(event: IncomingEvent) => void>();
  const received: MemoryAdapter['received'] = { lead: [], message: [], identify: [], event: [] };
  const results = new Map<string, unknown>();
  const thread: ChatMessage[] = [];
  let offline = options.offline ?? false;
  let failures: { count: number; error: ThreadlineError } = { count: 0, error: new ThreadlineError('server', 'simulated failure', { retryable: true, status: 500 }) };
  let requestCount = 0;
  const messengerLinks: MessengerLink[] = [];
  let context: SessionContext | undefined;
  let counter = 0;

  const emit = (event: IncomingEvent) => {
    for (const listener of listeners) listener(event);
  };
  const wait = () => new Promise((resolve) => setTimeout(resolve, options.latencyMs ?? 0));
  const nextId = (prefix: string) => `${prefix}_${++counter}`;

  const append = (text: string, author: Author, clientId?: string): ChatMessage => {
    const message: ChatMessage = {
      id: nextId('msg'),
      seq: thread.length + 1,
      text,
      author,
      channel: 'web',
      createdAt: new Date().toISOString(),
      threadId: 'thread_1',
      ...(clientId ? { clientId } : {}),
    };
    thread.push(message);
    return message;
  };

  const accept = (mutation: Mutation): unknown => {
    switch (mutation.kind) {
      case 'lead': {
        received.lead.push(mutation.payload as Lead);
        return { leadId: nextId('lead'), contactId: 'contact_1', threadId: 'thread_1' } satisfies LeadReceipt;
      }
      case 'message': {
        received.message.push(mutation.payload);
        const message = append(mutation.payload.text, { kind: 'visitor' }, mutation.clientId);
        return { id: message.id, seq: message.seq, threadId: 'thread_1', createdAt: message.createdAt };
      }
      case 'identify':
        received.identify.push(mutation.payload);
        return { contactId: 'contact_1' };
      default:
        received.event.push(mutation.payload);
        return {};
    }
  };

  return {
    name: 'memory',
    received,
    get requestCount() {
      return requestCount;
    },
    async start(next) {
      context = next;
      emit({ type: 'connection', status: offline ? 'offline' : 'online' });
    },
    async send<K extends MutationKind>(mutation: Mutation<K>): Promise<MutationTypes[K]['result']> {
      await wait();
      if (offline) throw new ThreadlineError('network', 'the server could not be reached', { retryable: true });
      requestCount++;
      if (failures.count > 0) {
        failures.count--;
        throw failures.error;
      }
      if (!results.has(mutation.clientId)) results.set(mutation.clientId, accept(mutation));
      return results.get(mutation.clientId) as MutationTypes[K]['result'];
    },
    messengerLinks,
    // A failure set with failNext or offline applies here too, as a server's would.
    async messengerLink(messenger): Promise<MessengerLink> {
      await wait();
      if (offline) throw new ThreadlineError('network', 'the server could not be reached', { retryable: true });
      requestCount++;
      if (failures.count > 0) {
        failures.count--;
        throw failures.error;
      }
      const link = { url: `https://t.me/threadline_${messenger}_bot?start=link_${++counter}`, expiresAt: new Date(Date.now() + (options.messengerLinkTtlMs ?? 15 * 60_000)).toISOString() };
      messengerLinks.push(link);
      return link;
    },
    async history(afterSeq): Promise<HistoryPage> {
      await wait();
      if (offline) throw new ThreadlineError('network', 'the server could not be reached', { retryable: true });
      return { messages: thread.filter((message) => message.seq > afterSeq), latestSeq: thread.length };
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    stop() {
      context = undefined;
    },
    setOffline(next) {
      offline = next;
      if (context) emit({ type: 'connection', status: next ? 'offline' : 'online' });
    },
    failNext(count, error) {
      failures = { count, error: error ?? failures.error };
    },
    reply(text, author = { kind: 'agent', name: 'Agent' }) {
      const message = append(text, author);
      emit({ type: 'message:new', message });
      return message;
    },
    push: emit,
  };
}
