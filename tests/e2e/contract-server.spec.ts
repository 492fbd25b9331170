// The in-memory server the browser specs talk to must keep Threadline's HTTP
// contract, or those specs prove nothing. Checked here without a browser.
import { expect, test } from '../support/fixtures';

const lead = {
  kind: 'callback',
  phone: '+44 20 7946 0958',
  site: 'demo',
  visitorId: '01a1f0c2-7c1e-7000-8000-000000000001',
  clientId: '01a1f0c2-7c1e-7000-8000-000000000002',
};

test('answers a lead 201 and its replay 200 with the same ids, also as text/plain', async ({ request, server }) => {
  const first = await request.post(`${server.url}/api/v1/leads`, { data: lead, headers: { 'Idempotency-Key': lead.clientId } });
  expect(first.status()).toBe(201);
  const receipt = await first.json();
  expect(receipt).toEqual({ leadId: expect.any(String), contactId: expect.any(String), threadId: expect.any(String) });

  const replay = await request.post(`${server.url}/api/v1/leads`, { data: JSON.stringify(lead), headers: { 'Content-Type': 'text/plain;charset=UTF-8' } });
  expect(replay.status()).toBe(200);
  expect(await replay.json()).toEqual(receipt);
  expect(server.received()).toHaveLength(1);
});

test('refuses a lead that breaks LeadSchema with 400 naming the field', async ({ request, server }) => {
  const response = await request.post(`${server.url}/api/v1/leads`, { data: { ...lead, phone: undefined } });
  expect(response.status()).toBe(400);
  expect(await response.json()).toEqual({ error: { code: 'invalid_input', field: 'phone', message: expect.stringContaining('phone') } });
  expect(server.received()).toEqual([]);
});

test('lets only the harness origin read its answers, Retry-After included', async ({ request, server }) => {
  const preflight = await request.fetch(`${server.url}/api/v1/leads`, {
    method: 'OPTIONS',
    headers: { Origin: server.pageOrigin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type,idempotency-key' },
  });
  expect(preflight.status()).toBe(204);
  expect(preflight.headers()['access-control-allow-origin']).toBe(server.pageOrigin);
  expect(preflight.headers()['access-control-allow-headers']).toMatch(/Idempotency-Key/i);

  server.failNext(1, { status: 429, retryAfter: 7 });
  const limited = await request.post(`${server.url}/api/v1/leads`, { data: lead, headers: { Origin: server.pageOrigin } });
  expect(limited.status()).toBe(429);
  expect(limited.headers()['retry-after']).toBe('7');
  expect(limited.headers()['access-control-expose-headers']).toMatch(/Retry-After/i);

  const stranger = await request.post(`${server.url}/api/v1/leads`, { data: lead, headers: { Origin: 'https://elsewhere.example' } });
  expect(stranger.headers()['access-control-allow-origin']).toBeUndefined();
});
