import type { BackendAdapter, HistoryPage, IncomingEvent, Mutation, MutationKind, MutationTypes, SessionContext } from '../adapter';
import { ThreadlineError } from '../errors';
import type { SiteConfig } from '../schemas/site-config';
import { errorFromResponse } from './http-errors';

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

const PATHS: Record<MutationKind, string> = {
  lead: '/api/v1/leads',
  message: '/api/v1/messages',
  identify: '/api/v1/identify',
  event: '/api/v1/events',
};

/**
 * The BackendAdapter over fetch. Every write carries its client id as the
 * `Idempotency-Key` header (and in the body), so a retried request has one effect.
 * @example
 * const adapter = createHttpAdapter({ endpoint: 'https://chat.example.com' });
 * const formsOnly = createHttpAdapter({ leadsUrl: 'https://hooks.example.com/leads' });
 */
export function createHttpAdapter(options: HttpAdapterOptions = {}): BackendAdapter {
  const base = (options.endpoint ?? '').replace(/\/+$/, '');
  const now = options.now ?? Date.now;
  const listeners = new Set<(event: IncomingEvent) => void>();
  let context: SessionContext | undefined;
  let visitorToken: string | undefined;

  const doFetch = (input: string, init: RequestInit) => (options.fetch ?? fetch)(input, init);
  const urlFor = (kind: MutationKind) => (kind === 'lead' && options.leadsUrl ? options.leadsUrl : base + PATHS[kind]);

  const emit = (event: IncomingEvent) => {
    for (const listener of listeners) listener(event);
  };

  const request = async (url: string, init: RequestInit): Promise<unknown> => {
    let response: Response;
    try {
      response = await doFetch(url, init);
    } catch (cause) {
      emit({ type: 'connection', status: 'offline' });
      throw new ThreadlineError('network', 'the server could not be reached', { retryable: true, cause });
    }
    emit({ type: 'connection', status: 'online' });
    if (!response.ok) throw await errorFromResponse(response, now());
    const text = await response.text();
    if (!text) return {};
    try {
      const body = JSON.parse(text) as Record<string, unknown>;
      if (typeof body.visitorToken === 'string') visitorToken = body.visitorToken;
      return body;
    } catch {
      // A plain webhook may answer "OK": the 2xx status is the acknowledgement.
      return {};
    }
  };

  const headers = (extra: Record<string, string> = {}) => ({
    ...options.headers,
    ...(visitorToken ? { Authorization: `Bearer ${visitorToken}` } : {}),
    ...extra,
  });

  return {
    name: 'http',
    async start(next) {
      context = next;
    },
    async send<K extends MutationKind>(mutation: Mutation<K>): Promise<MutationTypes[K]['result']> {
      if (options.leadsUrl && !options.endpoint && mutation.kind !== 'lead') {
        if (mutation.kind === 'message') throw new ThreadlineError('unsupported', 'chat needs a Threadline server; this adapter only posts leads to a webhook');
        // Identify and events have no place in a lead webhook; each lead carries the visitor instead.
        return {} as MutationTypes[K]['result'];
      }
      const body = await request(urlFor(mutation.kind), {
        method: 'POST',
        headers: headers({ 'Content-Type': 'application/json', 'Idempotency-Key': mutation.clientId }),
        body: JSON.stringify(mutation.payload),
        keepalive: true,
      });
      return body as MutationTypes[K]['result'];
    },
    beacon(mutation) {
      if (typeof navigator === 'undefined' || typeof navigator.sendBeacon !== 'function') return false;
      // text/plain keeps the beacon a CORS "simple" request (no preflight, which a
      // closing page cannot wait for); the server accepts JSON sent as text/plain.
      const blob = new Blob([JSON.stringify(mutation.payload)], { type: 'text/plain;charset=UTF-8' });
      try {
        return navigator.sendBeacon(urlFor(mutation.kind), blob);
      } catch {
        return false;
      }
    },
    async history(afterSeq): Promise<HistoryPage> {
      if (!context) throw new ThreadlineError('unsupported', 'history needs a started session');
      const query = new URLSearchParams({ site: context.site, visitorId: context.visitorId, after: String(afterSeq) });
      return (await request(`${base}/api/v1/messages?${query}`, { headers: headers() })) as HistoryPage;
    },
    async siteConfig(): Promise<SiteConfig> {
      if (!context) throw new ThreadlineError('unsupported', 'site config needs a started session');
      return (await request(`${base}/api/v1/sites/${encodeURIComponent(context.site)}/config`, { headers: headers() })) as SiteConfig;
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
  };
}
