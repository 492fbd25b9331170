import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import {
  EventSchema,
  IdentifyRequestSchema,
  LeadSchema,
  OutgoingMessageSchema,
  SiteConfigSchema,
  validate,
  type Lead,
  type LeadReceipt,
} from '../../packages/core/src/index';
import { CORE_BUILD_DIR } from './build-harness';

/** One request the server saw on `/api/v1/*`, as the browser sent it. */
export interface RecordedRequest {
  /** `Date.now()` when the request line arrived, in milliseconds. */
  at: number;
  method: string;
  path: string;
  /** The parsed JSON body, or the raw text when it is not JSON; undefined without a body. */
  body: unknown;
  contentType: string | undefined;
  idempotencyKey: string | undefined;
  origin: string | undefined;
  headers: Record<string, string | string[] | undefined>;
  /** The status the server answered with. */
  status: number;
  /** The JSON body the server answered with, if any. */
  response: unknown;
}

/** How the next writes fail: an HTTP status, with `Retry-After` in seconds if given. */
export interface FailureOptions {
  status: number;
  retryAfter?: number;
  /** Fail only writes to this path (e.g. `/api/v1/leads`); every write when absent. */
  path?: string;
}

/** A Threadline server held in memory, for end-to-end specs. */
export interface ContractServer {
  /** Base URL of the API, `http://localhost:<port>`: another origin than the pages, as on a real site. */
  readonly url: string;
  /** Origin of the harness pages, `http://127.0.0.1:<port>`. */
  readonly pageOrigin: string;
  /** Absolute URL of a harness page, e.g. `pageUrl('/other.html')`. */
  pageUrl(path?: string): string;
  /** Answers the next `count` writes (POST on `/api/v1/*`, preflights excluded) with an error. */
  failNext(count: number, options: FailureOptions): void;
  /** Every distinct lead the server accepted, in order of acceptance. */
  received(): Lead[];
  /** Every request on `/api/v1/*`, preflights included, in order of arrival. */
  requests(): RecordedRequest[];
  close(): Promise<void>;
}

const API_PREFIX = '/api/v1/';
const BODY_LIMIT_BYTES = 1024 * 1024;

const MIME: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
};

// The page every spec drives: it loads the browser build of core like a host
// site would and hands its exports to the spec through `window.tl`.
const HARNESS_HTML = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Threadline harness</title></head>
<body>
<h1>Threadline harness</h1>
<pre id="state" aria-label="client state"></pre>
<script type="module">
import { createClient, createHttpAdapter, createMemoryAdapter, isRetryable, isThreadlineError, ThreadlineError } from '/core/index.js';
window.tl = { createClient, createHttpAdapter, createMemoryAdapter, isRetryable, isThreadlineError, ThreadlineError };
</script>
</body>
</html>
`;

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/**
 * Starts an in-memory server that speaks Threadline's HTTP contract on 127.0.0.1
 * and a free port: leads are idempotent by `clientId` (201 the first time, 200
 * with the same ids after), bodies are checked with core's own schemas, JSON
 * sent as `text/plain` (sendBeacon) is accepted. It also serves the harness
 * pages and the browser build of core.
 */
export async function createContractServer(): Promise<ContractServer> {
  const recorded: RecordedRequest[] = [];
  const failures: FailureOptions[] = [];
  const leads = new Map<string, { lead: Lead; receipt: LeadReceipt }>();
  const contacts = new Map<string, { contactId: string; threadId: string }>();
  const messages = new Map<string, { id: string; seq: number; threadId: string }>();
  let pageOrigin = '';

  const contactFor = (visitorId: string) => {
    let contact = contacts.get(visitorId);
    if (!contact) {
      contact = { contactId: `contact_${randomUUID()}`, threadId: `thread_${randomUUID()}` };
      contacts.set(visitorId, contact);
    }
    return contact;
  };

  const sendJson = (response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    response.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...headers });
    response.end(JSON.stringify(body));
  };

  const readBody = (request: IncomingMessage) =>
    new Promise<string>((resolve, reject) => {
      let size = 0;
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > BODY_LIMIT_BYTES) reject(new HttpError(413, 'invalid_input', 'the body is larger than 1 MB'));
        else chunks.push(chunk);
      });
      request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      request.on('error', reject);
    });

  const parseJson = (text: string, contentType: string | undefined): unknown => {
    const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
    // sendBeacon can only send a CORS-safelisted type without a preflight, so the
    // SDK posts JSON as text/plain from a closing page; anything else is refused.
    if (type !== 'application/json' && type !== 'text/plain') throw new HttpError(415, 'invalid_input', 'the body must be JSON (application/json or text/plain)');
    try {
      return JSON.parse(text);
    } catch {
      throw new HttpError(400, 'invalid_input', 'the body is not valid JSON');
    }
  };

  const check = <T>(result: { ok: true; value: T } | { ok: false; error: { toJSON(): { code: string; field?: string; message: string } } }): T => {
    if (result.ok) return result.value;
    const { code, field, message } = result.error.toJSON();
    throw new HttpError(400, code, message, field);
  };

  const checkIdempotencyKey = (key: string | undefined, clientId: string) => {
    // Beacons cannot carry headers; when the header is there it must name the same write.
    if (key !== undefined && key !== clientId) throw new HttpError(400, 'invalid_input', 'Idempotency-Key must equal the body clientId', 'clientId');
  };

  const routeWrite = (path: string, body: unknown, key: string | undefined): { status: number; body: unknown } => {
    switch (path) {
      case '/api/v1/leads': {
        const lead = check(validate(LeadSchema, body));
        checkIdempotencyKey(key, lead.clientId);
        const known = leads.get(lead.clientId);
        if (known) return { status: 200, body: known.receipt };
        const contact = contactFor(lead.visitorId);
        const receipt: LeadReceipt = { leadId: `lead_${randomUUID()}`, contactId: contact.contactId, threadId: contact.threadId };
        leads.set(lead.clientId, { lead, receipt });
        return { status: 201, body: receipt };
      }
      case '/api/v1/identify': {
        const identify = check(validate(IdentifyRequestSchema, body));
        checkIdempotencyKey(key, identify.clientId);
        return { status: 200, body: { contactId: contactFor(identify.visitorId).contactId } };
      }
      case '/api/v1/messages': {
        const message = check(validate(OutgoingMessageSchema, body));
        checkIdempotencyKey(key, message.clientId);
        let ack = messages.get(message.clientId);
        if (!ack) {
          ack = { id: `message_${randomUUID()}`, seq: messages.size + 1, threadId: contactFor(message.visitorId).threadId };
          messages.set(message.clientId, ack);
        }
        return { status: 200, body: ack };
      }
      case '/api/v1/events': {
        const event = check(validate(EventSchema, body));
        checkIdempotencyKey(key, event.clientId);
        return { status: 200, body: {} };
      }
      default:
        throw new HttpError(404, 'not_found', `no route POST ${path}`);
    }
  };

  const corsHeaders = (origin: string | undefined): Record<string, string> =>
    origin === pageOrigin
      ? {
          'Access-Control-Allow-Origin': origin,
          'Access-Control-Allow-Credentials': 'true',
          // Without this the SDK cannot read Retry-After across origins.
          'Access-Control-Expose-Headers': 'Retry-After',
          Vary: 'Origin',
        }
      : {};

  const handleApi = async (request: IncomingMessage, response: ServerResponse, path: string, record: RecordedRequest) => {
    const cors = corsHeaders(record.origin);
    const answer = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      record.status = status;
      record.response = body;
      sendJson(response, status, body, { ...cors, ...headers });
    };
    if (request.method === 'OPTIONS') {
      record.status = 204;
      response.writeHead(204, {
        ...cors,
        'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
        'Access-Control-Allow-Headers': 'Content-Type, Idempotency-Key, Authorization',
        'Access-Control-Max-Age': '600',
      });
      response.end();
      return;
    }
    try {
      const text = await readBody(request);
      if (text) {
        try {
          record.body = JSON.parse(text);
        } catch {
          record.body = text;
        }
      }
      if (request.method === 'GET') {
        const site = /^\/api\/v1\/sites\/([^/]+)\/config$/.exec(path)?.[1];
        if (!site) throw new HttpError(404, 'not_found', `no route GET ${path}`);
        answer(200, check(validate(SiteConfigSchema, { site: decodeURIComponent(site) })));
        return;
      }
      if (request.method !== 'POST') throw new HttpError(405, 'rejected', `${request.method} is not allowed here`);
      const failureIndex = failures.findIndex((failure) => failure.path === undefined || failure.path === path);
      if (failureIndex >= 0) {
        const [failure] = failures.splice(failureIndex, 1);
        const code = failure!.status === 429 ? 'rate_limited' : failure!.status >= 500 ? 'server' : 'invalid_input';
        answer(failure!.status, { error: { code, message: `failing on purpose with ${failure!.status}` } }, failure!.retryAfter === undefined ? {} : { 'Retry-After': String(failure!.retryAfter) });
        return;
      }
      const result = routeWrite(path, parseJson(text, record.contentType), record.idempotencyKey);
      answer(result.status, result.body);
    } catch (caught) {
      const error = caught instanceof HttpError ? caught : new HttpError(500, 'server', caught instanceof Error ? caught.message : 'internal error');
      answer(error.status, { error: { code: error.code, ...(error.field ? { field: error.field } : {}), message: error.message } });
    }
  };

  const handleStatic = async (response: ServerResponse, path: string) => {
    if (path === '/harness.html' || path === '/other.html') {
      response.writeHead(200, { 'Content-Type': MIME['.html']!, 'Cache-Control': 'no-store' });
      response.end(HARNESS_HTML);
      return;
    }
    if (path === '/favicon.ico') {
      response.writeHead(204);
      response.end();
      return;
    }
    if (path.startsWith('/core/')) {
      const file = normalize(join(CORE_BUILD_DIR, decodeURIComponent(path.slice('/core/'.length))));
      if (file.startsWith(CORE_BUILD_DIR.endsWith(sep) ? CORE_BUILD_DIR : CORE_BUILD_DIR + sep)) {
        try {
          const content = await readFile(file);
          response.writeHead(200, { 'Content-Type': MIME[extname(file)] ?? 'application/octet-stream', 'Cache-Control': 'no-store' });
          response.end(content);
          return;
        } catch {
          // Falls through to 404.
        }
      }
    }
    response.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
    response.end('not found');
  };

  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (!path.startsWith(API_PREFIX)) {
      void handleStatic(response, path);
      return;
    }
    const header = (name: string) => {
      const value = request.headers[name];
      return Array.isArray(value) ? value.join(', ') : value;
    };
    const record: RecordedRequest = {
      at: Date.now(),
      method: request.method ?? 'GET',
      path,
      body: undefined,
      contentType: header('content-type'),
      idempotencyKey: header('idempotency-key'),
      origin: header('origin'),
      headers: { ...request.headers },
      status: 0,
      response: undefined,
    };
    recorded.push(record);
    void handleApi(request, response, path, record);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  pageOrigin = `http://127.0.0.1:${port}`;

  return {
    url: `http://localhost:${port}`,
    pageOrigin,
    pageUrl: (path = '/harness.html') => pageOrigin + path,
    failNext(count, options) {
      for (let index = 0; index < count; index++) failures.push({ ...options });
    },
    received: () => [...leads.values()].map((entry) => entry.lead),
    requests: () => recorded.map((entry) => ({ ...entry })),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
