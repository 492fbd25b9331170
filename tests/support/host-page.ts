// A website that embeds Threadline, on its own origin (another port than the
// Threadline server), so that every request the tag makes is cross-origin as on a
// customer's site. Pages are registered per test with their HTML and headers.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HostPage {
  html: string;
  headers?: Record<string, string>;
}

export interface HostSite {
  /** e.g. `http://127.0.0.1:40123` */
  origin: string;
  /** Serves `html` at `path` (and at any path below it, as an SPA's server would). */
  page(path: string, page: HostPage): string;
  close(): Promise<void>;
}

/** Starts the host site on a free port. */
export async function startHostSite(): Promise<HostSite> {
  const pages = new Map<string, HostPage>();
  const server: Server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://host').pathname;
    const match = [...pages.keys()].sort((a, b) => b.length - a.length).find((prefix) => path === prefix || path.startsWith(prefix.endsWith('/') ? prefix : `${prefix}/`));
    const page = match === undefined ? undefined : pages.get(match);
    if (!page) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', ...page.headers }).end(page.html);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    page(path, page) {
      pages.set(path, page);
      return `${origin}${path}`;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** The tag a site owner pastes, pointing at `server`. */
export const scriptTag = (server: string, site = 'demo'): string => `<script async src="${server}/threadline.js" data-site="${site}"></script>`;

/** A minimal HTML document around `body`. */
export const htmlPage = (body: string, head = ''): string => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Host site</title>${head}</head><body>${body}</body></html>`;
