// The HTTP adapter's request code, loaded on the first request (see http.ts).
import type { HistoryPage, IncomingEvent, Messenger, MessengerLink, Mutation, MutationKind, SessionContext } from '../adapter';
import { isThreadlineError, ThreadlineError } from '../errors';
import type { SiteConfig } from '../schemas/site-config';
import { errorFromResponse } from './http-errors';
import type { HttpAdapterOptions } from './http';
import { requestVisitorToken } from './visitor-token';

// Under `<endpoint>/api/v1/`.
const PATHS: Record<MutationKind, string> = { lead: 'leads', message: 'messages', identify: 'identify', event: 'events' };

export function createHttpTransport(options: HttpAdapterOptions, emit: (event: IncomingEvent) => void) {
  const base = (options.endpoint ?? '').replace(/\/+$/, '');
  const now = options.now ?? Date.now;
  let visitorToken: string | undefined;

  const urlFor = (kind: MutationKind) => (kind === 'lead' && options.leadsUrl ? options.leadsUrl : `${base}/api/v1/${PATHS[kind]}`);

  const headers = (extra?: Record<string, string>) => ({
    ...options.headers,
    ...(visitorToken ? { Authorization: `Bearer ${visitorToken}` } : {}),
    ...extra,
  });

  // Every request goes through here, so the client's status follows what the network says.
  const reach: typeof fetch = async (url, init) => {
    let response: Response;
    try {
      response = await (options.fetch ?? fetch)(url, init);
    } catch (cause) {
      emit({ type: 'connection', status: 'offline' });
      throw new ThreadlineError('network', 'the server could not be reached', { retryable: true, cause });
    }
    emit({ type: 'connection', status: 'online' });
    return response;
  };

  const request = async (url: string, init: RequestInit): Promise<unknown> => {
    const response = await reach(url, init);
    if (!response.ok) throw await errorFromResponse(response, now());
    const text = await response.text();
    try {
      const { visitorToken: token, ...body } = JSON.parse(text) as Record<string, unknown>;
      // The token is the adapter's credential, not part of any answer the page sees.
      if (typeof token === 'string') visitorToken = token;
      return body;
    } catch {
      // A plain webhook may answer "OK" or nothing: the 2xx status is the acknowledgement.
      return {};
    }
  };

  /** Runs a call that needs this visitor's token, asking for one first when the browser has none. */
  const asVisitor = async (context: SessionContext, call: () => Promise<unknown>): Promise<unknown> => {
    const openSession = async () => {
      visitorToken = await requestVisitorToken({ endpoint: base, fetch: reach, headers: headers(), now }, context);
    };
    if (!visitorToken) await openSession();
    try {
      return await call();
    } catch (error) {
      // A token answered for an earlier visitor (a write queued before reset) is refused: get this visitor's and try again.
      if (!isThreadlineError(error) || error.status !== 401) throw error;
      visitorToken = undefined;
      await openSession();
      return call();
    }
  };

  return {
    /** A new visitor (reset, another user, new session) must not carry the previous one's token. */
    forget(): void {
      visitorToken = undefined;
    },
    async send(mutation: Mutation): Promise<unknown> {
      if (options.leadsUrl && !options.endpoint && mutation.kind !== 'lead') {
        if (mutation.kind === 'message') throw new ThreadlineError('unsupported', 'chat needs a Threadline server, not a leads webhook');
        // Identify and events have no place in a lead webhook; each lead carries the visitor instead.
        return {};
      }
      return request(urlFor(mutation.kind), {
        method: 'POST',
        headers: headers({ 'Content-Type': 'application/json', 'Idempotency-Key': mutation.clientId }),
        body: JSON.stringify(mutation.payload),
        keepalive: true,
      });
    },
    beacon(mutation: Mutation): boolean {
      // A plain webhook cannot de-duplicate a beacon (it carries no Idempotency-Key header)
      // against the same lead resent by the next page: leave such leads to the next page.
      if (options.leadsUrl && mutation.kind === 'lead') return false;
      // text/plain keeps the beacon a CORS "simple" request (no preflight, which a
      // closing page cannot wait for); the server accepts JSON sent as text/plain.
      const blob = new Blob([JSON.stringify(mutation.payload)], { type: 'text/plain;charset=UTF-8' });
      try {
        return navigator.sendBeacon(urlFor(mutation.kind), blob);
      } catch {
        return false;
      }
    },
    async history(context: SessionContext, afterSeq: number): Promise<HistoryPage> {
      const query = new URLSearchParams({ site: context.site, visitorId: context.visitorId, after: String(afterSeq) });
      return (await asVisitor(context, () => request(`${base}/api/v1/messages?${query}`, { headers: headers() }))) as HistoryPage;
    },
    async messengerLink(context: SessionContext, messenger: Messenger): Promise<MessengerLink> {
      const link = (await asVisitor(context, () =>
        request(`${base}/api/v1/channels/${messenger}/${encodeURIComponent(context.site)}/link`, {
          method: 'POST',
          headers: headers({ 'Content-Type': 'application/json' }),
          body: JSON.stringify({ visitorId: context.visitorId }),
        }),
      )) as Partial<MessengerLink>;
      // The page renders it as a link's href: nothing but https (no javascript: from a confused server).
      if (typeof link.url !== 'string' || !link.url.startsWith('https://') || typeof link.expiresAt !== 'string') throw new ThreadlineError('server', 'the server answered without a messenger link', { retryable: true });
      return { url: link.url, expiresAt: link.expiresAt };
    },
    async siteConfig(context: SessionContext): Promise<SiteConfig> {
      return (await request(`${base}/api/v1/sites/${encodeURIComponent(context.site)}/config`, { headers: headers() })) as SiteConfig;
    },
  };
}

export type HttpTransport = ReturnType<typeof createHttpTransport>;
