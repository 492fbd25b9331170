// msw handlers that play a Threadline server's HTTP contract (DESIGN.md,
// docs/core.md) for unit tests of the SDK: idempotent by clientId, recording
// every request, with failures injected per test. The real server replaces them
// in end-to-end tests.
import { http, HttpResponse } from 'msw';
import { LeadSchema, validate } from '../../packages/core/src/index.ts';

export interface RecordedRequest {
  path: string;
  method: string;
  idempotencyKey: string | null;
  contentType: string | null;
  body: Record<string, unknown>;
  at: number;
}

type Failure = { status: number; retryAfter?: string } | 'network';

export function createContractBackend(endpoint = 'https://api.threadline.test') {
  const requests: RecordedRequest[] = [];
  const leads = new Map<string, { leadId: string; contactId: string; threadId: string; body: Record<string, unknown> }>();
  const messages = new Map<string, { id: string; seq: number }>();
  const failures: Failure[] = [];

  const record = async (request: Request): Promise<RecordedRequest> => {
    const text = await request.text();
    const entry = {
      path: new URL(request.url).pathname,
      method: request.method,
      idempotencyKey: request.headers.get('Idempotency-Key'),
      contentType: request.headers.get('Content-Type'),
      body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
      at: Date.now(),
    };
    requests.push(entry);
    return entry;
  };

  const injectedFailure = () => {
    const failure = failures.shift();
    if (!failure) return undefined;
    if (failure === 'network') return HttpResponse.error();
    return HttpResponse.json(
      { error: { code: failure.status === 429 ? 'rate_limited' : 'server', message: `injected ${failure.status}` } },
      { status: failure.status, headers: failure.retryAfter ? { 'Retry-After': failure.retryAfter } : {} },
    );
  };

  const tokenFor = (visitorId: unknown) => `token-for-${String(visitorId)}`;

  const handlers = [
    http.post(`${endpoint}/api/v1/sessions`, async ({ request }) => {
      const { body } = await record(request);
      return HttpResponse.json({ visitorId: body.visitorId, visitorToken: tokenFor(body.visitorId) });
    }),
    http.get(`${endpoint}/api/v1/messages`, ({ request }) => {
      const visitorId = new URL(request.url).searchParams.get('visitorId');
      // Like the real server: a token only reads the history of the visitor it was issued for.
      if (request.headers.get('Authorization') !== `Bearer ${tokenFor(visitorId)}`) return HttpResponse.json({ error: { code: 'unauthorized', message: 'wrong visitor token' } }, { status: 401 });
      return HttpResponse.json({ messages: [], latestSeq: 0 });
    }),
    http.post(`${endpoint}/api/v1/leads`, async ({ request }) => {
      const { body } = await record(request);
      const failure = injectedFailure();
      if (failure) return failure;
      const checked = validate(LeadSchema, body);
      if (!checked.ok) return HttpResponse.json({ error: checked.error.toJSON() }, { status: 400 });
      const clientId = checked.value.clientId;
      const existing = leads.get(clientId);
      if (existing) return HttpResponse.json({ leadId: existing.leadId, contactId: existing.contactId, threadId: existing.threadId }, { status: 200 });
      const receipt = { leadId: `lead_${leads.size + 1}`, contactId: 'contact_1', threadId: 'thread_1' };
      leads.set(clientId, { ...receipt, body });
      return HttpResponse.json({ ...receipt, visitorToken: tokenFor(body.visitorId) }, { status: 201 });
    }),
    http.post(`${endpoint}/api/v1/messages`, async ({ request }) => {
      const { body } = await record(request);
      const failure = injectedFailure();
      if (failure) return failure;
      const clientId = String(body.clientId);
      if (!messages.has(clientId)) messages.set(clientId, { id: `msg_${messages.size + 1}`, seq: messages.size + 1 });
      return HttpResponse.json({ ...messages.get(clientId), threadId: 'thread_1' });
    }),
    http.post(`${endpoint}/api/v1/identify`, async ({ request }) => {
      await record(request);
      return injectedFailure() ?? HttpResponse.json({ contactId: 'contact_1' });
    }),
    http.post(`${endpoint}/api/v1/events`, async ({ request }) => {
      await record(request);
      return injectedFailure() ?? HttpResponse.json({});
    }),
  ];

  return {
    endpoint,
    handlers,
    requests,
    /** Distinct leads the "server" stored, in arrival order. */
    leads: () => [...leads.values()],
    failNext(...next: Failure[]) {
      failures.push(...next);
    },
  };
}
