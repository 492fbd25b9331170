import { createClient } from '@threadline/core';
import { afterEach, expect, test, vi } from 'vitest';
import { createChatAdapter } from '../src/internal/chat-adapter.ts';
import type { SocketConnector } from '../src/socket-adapter.ts';

// What createSocketAdapter does, with the connector's loader (the wire client's by
// default) counted instead of run: a visitor who only asks for a call back, fills a
// form, is identified or tracked must never download it (size entry core-socket-adapter.ts).
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

function visit() {
  const loads = vi.fn((): Promise<SocketConnector> => Promise.reject(new Error('the connector is not available in this test')));
  const answer = async () => Response.json({ leadId: 'lead-1', contactId: 'contact-1', threadId: 'thread-1' }, { status: 201 });
  const client = createClient({ site: 'demo', adapter: createChatAdapter({ endpoint: 'https://chat.example.com', fetch: answer }, loads), platform: { storage: 'memory' } });
  cleanups.push(() => client.destroy());
  return { client, loads };
}

test('leaves the socket connector unloaded for callbacks, forms, identify and track', async () => {
  const { client, loads } = visit();
  const delivered = new Promise((resolve) => {
    let sent = 0;
    client.on('lead:sent', () => {
      sent += 1;
      if (sent === 2) resolve(sent);
    });
  });

  expect(await client.submitLead({ kind: 'callback', phone: '+380 67 123 45 67' })).toMatchObject({ ok: true });
  expect(await client.submitLead({ kind: 'form', email: 'ann@example.com', fields: { topic: 'pricing' } })).toMatchObject({ ok: true });
  expect(await client.identify({ userId: 'u_42' })).toMatchObject({ ok: true });
  expect(await client.track('pricing:viewed')).toMatchObject({ ok: true });
  await delivered;
  await vi.waitFor(() => expect(client.pending.value).toEqual([]));

  expect(loads).not.toHaveBeenCalled();
});

test('loads the socket connector when the visitor first sends a chat message', async () => {
  const { client, loads } = visit();

  await client.chat.send('Do you deliver on Saturdays?');

  await vi.waitFor(() => expect(loads).toHaveBeenCalledTimes(1));
});
