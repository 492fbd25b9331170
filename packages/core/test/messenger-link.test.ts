import { expect, test } from 'vitest';
import { createClient, createHttpAdapter } from '../src/index.ts';

// The HTTP adapter's "Continue in Telegram" link, through the client, against a fetch that
// plays the reference server (docs/api.md: POST /api/v1/channels/telegram/:site/link).
function serverPlaying(link: unknown) {
  const requests: { method: string; url: string; authorization: string | null; body: unknown }[] = [];
  const fetch: typeof globalThis.fetch = async (url, init) => {
    const headers = new Headers(init?.headers);
    requests.push({ method: init?.method ?? 'GET', url: String(url), authorization: headers.get('authorization'), body: init?.body ? JSON.parse(String(init.body)) : undefined });
    if (String(url).endsWith('/api/v1/sessions')) return Response.json({ visitorToken: 'token-1' }, { status: 200 });
    return Response.json(link, { status: 201 });
  };
  const client = createClient({ site: 'demo', adapter: createHttpAdapter({ endpoint: 'https://chat.example.com', fetch }), platform: { storage: 'memory' } });
  return { client, requests };
}

test('asks for the visitor token first, then for this visitor’s Telegram link with it', async () => {
  const link = { url: 'https://t.me/shop_bot?start=AbCdEfGhIjKlMnOpQrStUv', expiresAt: '2026-11-23T10:15:00.000Z' };
  const { client, requests } = serverPlaying(link);
  const result = await client.messengerLink('telegram');
  expect(result).toEqual({ ok: true, value: link });
  const visitorId = client.visitor.value!.visitorId;
  expect(requests).toEqual([
    { method: 'POST', url: 'https://chat.example.com/api/v1/sessions', authorization: null, body: { site: 'demo', visitorId } },
    { method: 'POST', url: 'https://chat.example.com/api/v1/channels/telegram/demo/link', authorization: 'Bearer token-1', body: { visitorId } },
  ]);
  client.destroy();
});

test('refuses a link that is not https, so that a page never renders a javascript: address', async () => {
  const { client } = serverPlaying({ url: 'javascript:alert(1)', expiresAt: '2026-11-23T10:15:00.000Z' });
  const result = await client.messengerLink('telegram');
  expect(result).toMatchObject({ ok: false, error: { code: 'server' } });
  client.destroy();
});
