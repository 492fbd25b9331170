import type { BackendAdapter, HistoryPage, IncomingEvent, Mutation, MutationKind, MutationTypes, SessionContext } from '../adapter';
import { ThreadlineError } from '../errors';
import type { SiteConfig } from '../schemas/site-config';
import type { HttpTransport } from './http-transport';
import { loadHttpTransport } from './load-http-transport';

/** Options of the HTTP adapter. */
export interface HttpAdapterOptions {
  /** Base URL of a server implementing Threadline's HTTP contract, e.g. `https://chat.example.com`. Empty for same origin. */
  endpoint?: string;
  /**
   * A plain webhook that receives leads only (Zapier, Make, your own route).
   * Leads are POSTed there as JSON; any 2xx is an acknowledgement.
   */
  leadsUrl?: string;
  /** Extra headers for every request (not sent with beacons, which cannot carry headers). */
  headers?: Record<string, string>;
  fetch?: typeof fetch;
  now?: () => number;
}

/**
 * The BackendAdapter over fetch. Every write carries its client id as the
 * `Idempotency-Key` header (and in the body), so a retried request has one effect.
 * The request code loads on the first request, so a page that never sends pays
 * only for this shell.
 * @example
 * const adapter = createHttpAdapter({ endpoint: 'https://chat.example.com' });
 * const formsOnly = createHttpAdapter({ leadsUrl: 'https://hooks.example.com/leads' });
 */
export function createHttpAdapter(options: HttpAdapterOptions = {}): BackendAdapter {
  const listeners = new Set<(event: IncomingEvent) => void>();
  let context: SessionContext | undefined;
  let transport: HttpTransport | undefined;

  const emit = (event: IncomingEvent) => {
    for (const listener of listeners) listener(event);
  };
  const load = async () => (transport ??= (await loadHttpTransport()).createHttpTransport(options, emit));
  const started = () => context ?? Promise.reject(new ThreadlineError('unsupported', 'the adapter was not started'));

  return {
    name: 'http',
    async start(next) {
      context = next;
    },
    async send<K extends MutationKind>(mutation: Mutation<K>) {
      return (await load()).send(mutation) as Promise<MutationTypes[K]['result']>;
    },
    // Synchronous by necessity (pagehide); anything queued was sent before, so the code is loaded.
    beacon: (mutation) => transport?.beacon(mutation) ?? false,
    history: async (afterSeq): Promise<HistoryPage> => (await load()).history(await started(), afterSeq),
    siteConfig: async (): Promise<SiteConfig> => (await load()).siteConfig(await started()),
    messengerLink: async (messenger) => (await load()).messengerLink(await started(), messenger),
    onEvent(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    stop() {
      context = undefined;
      transport?.forget();
    },
  };
}
