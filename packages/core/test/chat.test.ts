import { expect, test, vi } from 'vitest';
import { createClient, createMemoryAdapter, ThreadlineError } from '../src/index.ts';
import { nextEvent, uniqueSite } from './helpers.ts';

test('a message shows at once as sending, then sent with the server sequence, then read', async () => {
  const backend = createMemoryAdapter({ latencyMs: 20 });
  const client = createClient({ site: uniqueSite(), adapter: backend });
  client.open('chat');
  const result = await client.chat.send('  Hello, is the blue one in stock?  ');
  expect(result.ok).toBe(true);
  expect(client.chat.messages.value).toEqual([expect.objectContaining({ text: 'Hello, is the blue one in stock?', status: 'sending', author: { kind: 'visitor' } })]);
  await vi.waitFor(() => expect(client.chat.messages.value[0]).toMatchObject({ status: 'sent', seq: 1, id: expect.any(String) }));
  backend.push({ type: 'read', upToSeq: 1 });
  await vi.waitFor(() => expect(client.chat.messages.value[0]!.status).toBe('read'));
  client.destroy();
});

test('agent replies count as unread while the chat is closed and clear when it opens', async () => {
  const backend = createMemoryAdapter();
  const client = createClient({ site: uniqueSite(), adapter: backend });
  await client.chat.send('Hi');
  await vi.waitFor(() => expect(client.chat.messages.value[0]?.status).toBe('sent'));
  const arrived = nextEvent(client, 'message:new');
  backend.push({ type: 'typing', typing: true, author: { kind: 'agent', name: 'Iryna' } });
  await vi.waitFor(() => expect(client.chat.agentTyping.value).toEqual({ kind: 'agent', name: 'Iryna' }));
  backend.reply('Yes, we have it.', { kind: 'agent', name: 'Iryna' });
  expect((await arrived).message.text).toBe('Yes, we have it.');
  expect(client.chat.unread.value).toBe(1);
  expect(client.chat.agentTyping.value).toBeUndefined();
  expect(client.chat.messages.value.map((item) => [item.author.kind, item.text])).toEqual([
    ['visitor', 'Hi'],
    ['agent', 'Yes, we have it.'],
  ]);
  client.open('chat');
  expect(client.chat.unread.value).toBe(0);
  client.destroy();
});

test('the thread comes back after a reload, and history fills what arrived meanwhile', async () => {
  const site = uniqueSite();
  const backend = createMemoryAdapter();
  const first = createClient({ site, adapter: backend });
  await first.chat.send('Question');
  await vi.waitFor(() => expect(first.chat.messages.value[0]?.status).toBe('sent'));
  backend.reply('Answer');
  await vi.waitFor(() => expect(first.chat.messages.value).toHaveLength(2));
  first.destroy();
  backend.reply('A follow-up while you were away');

  const second = createClient({ site, adapter: backend });
  await vi.waitFor(() => expect(second.chat.messages.value.map((item) => item.text)).toEqual(['Question', 'Answer']));
  expect(await second.chat.loadHistory()).toEqual({ ok: true, value: { added: 1 } });
  expect(second.chat.messages.value.map((item) => item.seq)).toEqual([1, 2, 3]);
  second.destroy();
});

test('a refused message is marked failed with the reason and can be retried', async () => {
  const backend = createMemoryAdapter();
  backend.failNext(1, new ThreadlineError('rejected', 'message blocked by a filter', { status: 403 }));
  const client = createClient({ site: uniqueSite(), adapter: backend });
  const failed = nextEvent(client, 'message:failed');
  await client.chat.send('buy cheap watches');
  const { clientId } = await failed;
  await vi.waitFor(() => expect(client.chat.messages.value[0]).toMatchObject({ status: 'failed', error: { message: 'message blocked by a filter' } }));
  expect(await client.chat.retry(clientId)).toEqual({ ok: true, value: { clientId } });
  await vi.waitFor(() => expect(client.chat.messages.value[0]!.status).toBe('sent'));
  expect(backend.received.message).toHaveLength(1);
  client.destroy();
});

test('refuses an empty or over-long message with the field', async () => {
  const client = createClient({ site: uniqueSite(), adapter: createMemoryAdapter() });
  expect(await client.chat.send('   ')).toMatchObject({ ok: false, error: { field: 'text', message: 'text must not be empty' } });
  expect(await client.chat.send('x'.repeat(4001))).toMatchObject({ ok: false, error: { field: 'text', message: 'text must be at most 4000 characters' } });
  expect(client.chat.messages.value).toEqual([]);
  client.destroy();
});

test('open and close announce the widget and refuse an unknown one', () => {
  const client = createClient({ site: uniqueSite(), adapter: createMemoryAdapter() });
  const seen: string[] = [];
  client.on('open', ({ widget }) => seen.push(`open ${widget}`));
  client.on('close', ({ widget }) => seen.push(`close ${widget}`));
  client.open('callback');
  client.open('chat');
  client.close();
  expect(client.open('popup' as never)).toMatchObject({ ok: false, error: { field: 'widget' } });
  expect(seen).toEqual(['open callback', 'close callback', 'open chat', 'close chat']);
  expect(client.openWidget.value).toBeUndefined();
  client.destroy();
});

test('calls after destroy answer with an error instead of throwing', async () => {
  const client = createClient({ site: uniqueSite(), adapter: createMemoryAdapter() });
  client.destroy();
  expect(await client.submitLead({ kind: 'callback', phone: '+380671234567' })).toMatchObject({ ok: false, error: { code: 'destroyed' } });
});
