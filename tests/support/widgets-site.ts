// The widgets as a site owner ships them: the real server (PGlite, socket.io) serving
// the built script tag, a host site on another origin that pastes it, and the agent
// API to check what arrived. Sites for the widget specs are added here, each with
// the config a spec needs.
import { expect, type Page } from '@playwright/test';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildEmbed } from '../../packages/embed/src/build.ts';
import { createSocketLayer, createThreadlineServer, seedDemo, upsertSite, type ThreadlineServer } from '../../packages/server/src/index.ts';
import { servePages } from '../../packages/server/src/pages.ts';
import { connectAgent } from './agent.ts';
import { htmlPage, scriptTag, startHostSite, type HostSite } from './host-page.ts';

const AGENT_PASSWORD = 'e2e-pass-1';

/** A lead as the agent API shows it in a thread. */
export interface LeadItem {
  type: 'lead';
  payload: { kind: string; phone?: string; name?: string; email?: string; message?: string; preferredTime?: { from: string; to: string }; fields?: Record<string, unknown>; consent?: { given: boolean; text: string; version: string } };
}

export interface WidgetsSite {
  server: ThreadlineServer;
  url: string;
  host: HostSite;
  /** Opens a host page that pastes the tag for `site`, in `lang`, and waits for the launcher. */
  visit(page: Page, site: string, options?: { lang?: string; path?: string }): Promise<void>;
  /** Every lead item of the thread the agent inbox finds for `query` (a phone, e-mail or name). */
  leadsFor(query: string): Promise<LeadItem[]>;
  /** An agent online over the /agent socket (the chat is live while one is); `offline()` leaves. */
  agentOnline(): Promise<{ reply(visitorText: string, text: string): Promise<void>; offline(): void }>;
  close(): Promise<void>;
}

/** Sites with one config each; a site's config is written once, when it is created. */
export async function startWidgetsSite(sites: Record<string, Record<string, unknown>>): Promise<WidgetsSite> {
  const dir = await mkdtemp(join(tmpdir(), 'tl-widgets-'));
  await buildEmbed(dir);
  const server = await createThreadlineServer({ routes: (app) => servePages(app, dir), realtime: (context) => createSocketLayer(context) });
  const url = await server.listen();
  const host = await startHostSite();
  await seedDemo(server.db, { origins: [url, host.origin], adminPassword: AGENT_PASSWORD });
  for (const [id, config] of Object.entries(sites)) {
    await upsertSite(server.db, { id, name: id, allowedOrigins: [host.origin], secret: `${id}-secret-0123456789`, defaultCountry: 'UA', config });
  }
  let token: string | undefined;
  const agentToken = async () => {
    if (token) return token;
    const response = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'admin@threadline.local', password: AGENT_PASSWORD }) });
    token = ((await response.json()) as { token: string }).token;
    return token;
  };
  return {
    server,
    url,
    host,
    async visit(page, site, options = {}) {
      const path = options.path ?? `/${site}-${options.lang ?? 'en'}`;
      const body = `<main><h1>Bike shop</h1><p>Road, gravel and city bikes.</p></main>${scriptTag(url, site)}`;
      // A phone renders at device width only with the viewport meta tag every mobile site has.
      const html = htmlPage(body, '<meta name="viewport" content="width=device-width, initial-scale=1">').replace('lang="en"', `lang="${options.lang ?? 'en'}"`);
      await page.goto(host.page(path, { html }));
      // The loader's own launcher (English) until the widgets replace it with theirs.
      await expect(page.getByRole('button', { name: /^(Contact us|Связаться с нами)$/ })).toBeVisible();
    },
    async leadsFor(query) {
      const headers = { authorization: `Bearer ${await agentToken()}` };
      const found = (await (await fetch(`${url}/api/v1/threads?query=${encodeURIComponent(query)}`, { headers })).json()) as { items: { id: string }[] };
      if (found.items.length !== 1) return [];
      const detail = (await (await fetch(`${url}/api/v1/threads/${found.items[0]!.id}`, { headers })).json()) as { items: { type: string }[] };
      return detail.items.filter((item): item is LeadItem => item.type === 'lead');
    },
    async agentOnline() {
      const socket = await connectAgent(url, await agentToken());
      return {
        // Answers in the newest thread whose visitor wrote `visitorText` (the list is newest first).
        async reply(visitorText, text) {
          const headers = { authorization: `Bearer ${await agentToken()}` };
          const threads = (await (await fetch(`${url}/api/v1/threads?limit=20`, { headers })).json()) as { items: { id: string }[] };
          for (const thread of threads.items) {
            const detail = (await (await fetch(`${url}/api/v1/threads/${thread.id}`, { headers })).json()) as { items: { text: string | null }[] };
            if (!detail.items.some((item) => item.text === visitorText)) continue;
            await fetch(`${url}/api/v1/threads/${thread.id}/messages`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify({ text }) });
            return;
          }
          throw new Error(`no thread has the visitor's message "${visitorText}"`);
        },
        offline: () => socket.close(),
      };
    },
    async close() {
      await host.close();
      await server.close();
    },
  };
}

/** Today and tomorrow as UTC dates (YYYY-MM-DD): closing them makes a site closed now, open the day after. */
export function closedTodayAndTomorrow(now = Date.now()): string[] {
  return [0, 1].map((days) => new Date(now + days * 86_400_000).toISOString().slice(0, 10));
}

/** Open around the clock in UTC (closedDates decide the closed days). */
export const ROUND_THE_CLOCK = {
  timeZone: 'UTC',
  days: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((day) => [day, [{ from: '00:00', to: '24:00' }]])),
};
