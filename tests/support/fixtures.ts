import { test as base, expect, type BrowserContext, type Page } from '@playwright/test';
import type { ClientEvents, ConsentMode, Lead, LeadInput } from '../../packages/core/src/index';
import { createContractServer, type ContractServer, type RecordedRequest } from './contract-server';
import type { RecordedEvent } from './harness-globals';

/** How a spec wants its in-page client made. */
export interface ClientOptions {
  site?: string;
  consent?: ConsentMode;
  /**
   * Injects `random: () => 0`, so a retry that has no Retry-After goes out at
   * once instead of after up to 1 s of jitter: keeps specs fast, changes no rule.
   */
  noJitter?: boolean;
  debug?: boolean;
}

/** Drives the harness page and the client in it. */
export interface Harness {
  /** Opens a harness page (`/harness.html` unless `path` says otherwise), starts a client, and resolves with its visitor id once ready. */
  open(page: Page, options?: ClientOptions & { path?: string }): Promise<string>;
  /** Starts a client in a page that already shows the harness (after a reload, say). */
  start(page: Page, options?: ClientOptions): Promise<string>;
  /** Submits a callback request through `client.submitLead` and resolves with its client id. */
  submitLead(page: Page, input?: LeadInput): Promise<string>;
  /** The events the page's client emitted so far, oldest first; errors in them come back as plain objects with their fields. */
  events<K extends keyof ClientEvents>(page: Page, name: K): Promise<RecordedEvent<K>[]>;
  /** Resolves once the page's client emitted `name` (for the write `clientId`, when given). */
  waitForEvent(page: Page, name: keyof ClientEvents, clientId?: string): Promise<void>;
  /** The visitor id the page's client holds now. */
  visitorId(page: Page): Promise<string | undefined>;
  /** How many writes the page's outbox still holds. */
  pendingCount(page: Page): Promise<number>;
  /**
   * Serves the harness pages and core's chunks from the test process, so that they
   * load while the context is offline, as a service worker's app shell would.
   * Without it an offline reload shows Chromium's error page, and core's lazy
   * chunks (commands, HTTP transport) fail to load if not fetched yet. The API
   * stays unreachable until `context.setOffline(false)`.
   */
  serveShellOffline(context: BrowserContext): Promise<void>;
}

/** What Threadline left in the browser's storage, as a page of the origin sees it. */
export interface StorageSnapshot {
  /** IndexedDB databases of the origin. */
  databases: string[];
  /** localStorage keys that start with `threadline:`. */
  localStorageKeys: string[];
  /** Names of cookies that start with `tl_`. */
  cookies: string[];
}

/** Reads what Threadline stored, from inside the page (IndexedDB, localStorage, cookies). */
export function storageSnapshot(page: Page): Promise<StorageSnapshot> {
  return page.evaluate(async () => ({
    databases: (await indexedDB.databases()).map((database) => database.name ?? ''),
    localStorageKeys: Object.keys(localStorage).filter((key) => key.startsWith('threadline:')),
    cookies: document.cookie
      .split('; ')
      .map((pair) => pair.split('=')[0] ?? '')
      .filter((name) => name.startsWith('tl_')),
  }));
}

const CLIENT_EVENTS = [
  'ready',
  'identify',
  'reset',
  'consent',
  'lead:queued',
  'lead:sent',
  'lead:failed',
  'message:queued',
  'message:sent',
  'message:failed',
  'message:new',
  'typing',
  'read',
  'presence',
  'session:merged',
  'open',
  'close',
  'status',
  'error',
] as const satisfies readonly (keyof ClientEvents)[];

// Fails the typecheck when core adds an event the recorder would miss.
const everyEventRecorded: Exclude<keyof ClientEvents, (typeof CLIENT_EVENTS)[number]> extends never ? true : never = true;
void everyEventRecorded;

/** A callback request as a visitor would type it. */
export const CALLBACK_LEAD: LeadInput = { kind: 'callback', name: 'Ann Example', phone: '+44 20 7946 0958' };

/** The POSTs of one lead (by client id) the server saw, whatever their answer. */
export function leadRequests(server: ContractServer, clientId: string): RecordedRequest[] {
  return server.requests().filter((request) => request.method === 'POST' && request.path === '/api/v1/leads' && (request.body as Partial<Lead> | undefined)?.clientId === clientId);
}

/** How many distinct leads with this client id the server accepted. */
export function acceptedCount(server: ContractServer, clientId: string): number {
  return server.received().filter((lead) => lead.clientId === clientId).length;
}

function createHarness(server: ContractServer): Harness {
  const start: Harness['start'] = async (page, options = {}) => {
    await page.waitForFunction(() => window.tl !== undefined);
    return page.evaluate(
      async ({ endpoint, options, eventNames }) => {
        const client = window.tl.createClient({
          site: options.site ?? 'demo',
          endpoint,
          ...(options.consent ? { consent: options.consent } : {}),
          ...(options.debug ? { debug: true } : {}),
          ...(options.noJitter ? { platform: { random: () => 0 } } : {}),
        });
        window.client = client;
        window.clientEvents = [];
        // Errors are copied field by field: Playwright would bring back only their message and stack.
        const plain = (value: unknown): unknown => {
          if (value instanceof Error) {
            const { code, field, status, retryable, retryAfterMs } = value as Error & Record<string, unknown>;
            return { name: value.name, message: value.message, code, field, status, retryable, retryAfterMs };
          }
          if (Array.isArray(value)) return value.map(plain);
          if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, plain(item)]));
          return value;
        };
        for (const name of eventNames) {
          client.on(name, (payload: unknown) => window.clientEvents.push({ name, payload: plain(payload), at: Date.now() } as RecordedEvent));
        }
        // A readable state for failure screenshots.
        const state = document.getElementById('state');
        const render = () => {
          if (state) {
            state.textContent = JSON.stringify(
              { visitor: client.visitor.value, person: client.person.value, status: client.status.value, consent: client.consentState.value, pending: client.pending.value.map((entry) => `${entry.kind} ${entry.id} ${entry.status} attempts=${entry.attempts}`) },
              null,
              2,
            );
          }
        };
        for (const value of [client.visitor, client.person, client.status, client.consentState, client.pending]) value.subscribe(render);
        await client.ready;
        return client.visitor.value?.visitorId ?? '';
      },
      { endpoint: server.url, options, eventNames: CLIENT_EVENTS },
    );
  };

  return {
    async open(page, { path, ...options } = {}) {
      await page.goto(server.pageUrl(path));
      return start(page, options);
    },
    start,
    async submitLead(page, input = CALLBACK_LEAD) {
      const result = await page.evaluate(async (lead) => {
        const submitted = await window.client.submitLead(lead);
        return submitted.ok ? { ok: true as const, clientId: submitted.value.clientId } : { ok: false as const, message: submitted.error.message };
      }, input);
      if (!result.ok) throw new Error(`submitLead failed in the page: ${result.message}`);
      return result.clientId;
    },
    events<K extends keyof ClientEvents>(page: Page, name: K) {
      return page.evaluate((wanted) => window.clientEvents.filter((event) => event.name === wanted), name) as Promise<RecordedEvent<K>[]>;
    },
    async waitForEvent(page, name, clientId) {
      await page.waitForFunction(
        ({ name, clientId }) =>
          window.clientEvents.some((event) => event.name === name && (clientId === undefined || (event.payload as { clientId?: string }).clientId === clientId)),
        { name, clientId },
      );
    },
    visitorId: (page) => page.evaluate(() => window.client.visitor.value?.visitorId),
    pendingCount: (page) => page.evaluate(() => window.client.pending.value.length),
    async serveShellOffline(context) {
      // A document Playwright fulfils has no IP address, so Chromium counts it as
      // public and would refuse its requests to the loopback API (Local Network
      // Access) unless the origin holds the permission.
      await context.grantPermissions(['local-network-access'], { origin: server.pageOrigin });
      await context.route(`${server.pageOrigin}/**`, async (route) => {
        // Node's fetch is not subject to the browser's offline emulation.
        const response = await fetch(route.request().url());
        await route.fulfill({ status: response.status, headers: Object.fromEntries(response.headers), body: Buffer.from(await response.arrayBuffer()) });
      });
    },
  };
}

/** The specs' `test`: a fresh contract server per test (port 0) and the harness driver. */
export const test = base.extend<{ server: ContractServer; harness: Harness }>({
  server: async ({}, use) => {
    const server = await createContractServer();
    await use(server);
    await server.close();
  },
  harness: async ({ server }, use) => {
    await use(createHarness(server));
  },
});

export { expect };
