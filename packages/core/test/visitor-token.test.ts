import { expect, test } from 'vitest';
import { isRetryable, requestVisitorToken } from '../src/index.ts';

const visitor = { site: 'demo', visitorId: '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b' };

test("asks the server's sessions route for the visitor's token", async () => {
  const requests: { url: string; body: unknown }[] = [];
  const token = await requestVisitorToken(
    {
      endpoint: 'https://chat.example.com',
      fetch: async (url, init) => {
        requests.push({ url: String(url), body: JSON.parse(String(init?.body)) });
        return Response.json({ visitorToken: 'token-1' }, { status: 201 });
      },
    },
    visitor,
  );
  expect(token).toBe('token-1');
  expect(requests).toEqual([{ url: 'https://chat.example.com/api/v1/sessions', body: visitor }]);
});

test('says whether a refused token request is worth retrying, with the wait the server asked for', async () => {
  const answer = (response: Response) => requestVisitorToken({ endpoint: '', fetch: async () => response, now: () => 0 }, visitor).catch((error: unknown) => error);
  const busy = await answer(new Response(null, { status: 429, headers: { 'Retry-After': '5' } }));
  expect(busy).toMatchObject({ code: 'rate_limited', retryAfterMs: 5000 });
  expect(isRetryable(busy)).toBe(true);
  const forbidden = await answer(Response.json({ error: { code: 'forbidden_origin', message: 'this origin may not use site demo' } }, { status: 403 }));
  expect(forbidden).toMatchObject({ code: 'unauthorized', message: 'this origin may not use site demo', status: 403 });
  expect(isRetryable(forbidden)).toBe(false);
  expect(isRetryable(await answer(Response.json({}, { status: 200 })))).toBe(true);
});

test('reports an unreachable server as a retryable network error', async () => {
  const error = await requestVisitorToken({ endpoint: '', fetch: () => Promise.reject(new TypeError('Failed to fetch')) }, visitor).catch((failure: unknown) => failure);
  expect(error).toMatchObject({ name: 'ThreadlineError', code: 'network' });
  expect(isRetryable(error)).toBe(true);
});
