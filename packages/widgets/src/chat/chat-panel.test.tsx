import { fireEvent, waitFor, within } from '@testing-library/preact';
import { createMemoryAdapter, ThreadlineError } from '@threadline/core';
import { afterEach, expect, test } from 'vitest';
import { mountTestWidgets, type MountedWidgets, type TestMountOptions } from '../../test/widget-harness';

let mounted: MountedWidgets[] = [];
afterEach(() => {
  for (const widgets of mounted) widgets.unmount();
  mounted = [];
});

/** Mounts the chat-only widgets and opens the chat as a visitor would. */
async function openChat(options: TestMountOptions = {}) {
  const widgets = await mountTestWidgets({ ...options, config: { widgets: { callback: false, form: false }, ...options.config } });
  mounted.push(widgets);
  fireEvent.click(widgets.view.getByRole('button', { name: /^Contact us/ }));
  await widgets.view.findByRole('dialog', { name: 'Chat with us' });
  // The chat panel comes in its own chunk.
  await widgets.view.findByRole('textbox', { name: 'Your message' });
  const messages = () => widgets.view.getAllByRole('listitem').map((item) => item.textContent);
  const type = (text: string) => fireEvent.input(widgets.view.getByRole('textbox', { name: 'Your message' }), { target: { value: text } });
  const send = (text: string) => {
    type(text);
    fireEvent.keyDown(widgets.view.getByRole('textbox', { name: 'Your message' }), { key: 'Enter' });
  };
  return { ...widgets, messages, type, send };
}

test('greets the visitor with the configured greeting', async () => {
  const { messages } = await openChat({ config: { appearance: { greeting: 'Hi, I am Ann from sales.' } } });
  expect(messages()).toEqual(['Hi, I am Ann from sales.']);
});

test('shows a sent message as sent, then as read once the agent has seen it', async () => {
  const { messages, send, backend } = await openChat();
  send('Do you ship to Norway?');
  await waitFor(() => expect(messages()[1]).toBe('You: Do you ship to Norway?Sent'));
  expect(backend.received.message.map((message) => message.text)).toEqual(['Do you ship to Norway?']);
  backend.push({ type: 'read', upToSeq: 1 });
  await waitFor(() => expect(messages()[1]).toBe('You: Do you ship to Norway?Read'));
});

test('offers a retry for a message the server refused and sends it again', async () => {
  const { view, messages, send, backend } = await openChat();
  backend.failNext(1, new ThreadlineError('server', 'refused', { retryable: false, status: 500 }));
  send('Is this in stock?');
  const retry = await view.findByRole('button', { name: 'Send again' });
  expect(messages()[1]).toBe('You: Is this in stock?Not sentSend again');
  fireEvent.click(retry);
  await waitFor(() => expect(messages()[1]).toBe('You: Is this in stock?Sent'));
  expect(view.queryByRole('button', { name: 'Send again' })).toBeNull();
  expect(backend.received.message).toHaveLength(1);
});

test('tells an offline visitor that the message will be sent, and sends it when back online', async () => {
  const { view, messages, send, backend, client } = await openChat();
  await waitFor(() => expect(client.status.value).toBe('online'));
  backend.setOffline(true);
  await waitFor(() => expect(view.getAllByRole('status').map((status) => status.textContent)).toContain('You are offline. Your messages will be sent when the connection is back.'));
  send('Call me tomorrow');
  await waitFor(() => expect(messages()[1]).toBe('You: Call me tomorrowWill be sent when you are back online'));
  backend.setOffline(false);
  await waitFor(() => expect(messages()[1]).toBe('You: Call me tomorrowSent'), { timeout: 5000 });
  expect(backend.received.message.map((message) => message.text)).toEqual(['Call me tomorrow']);
});

test('shows who is answering, with their initials, and when they are typing', async () => {
  const { view, messages, backend } = await openChat();
  backend.push({ type: 'typing', typing: true, author: { kind: 'agent', name: 'Anna Smith' } });
  await waitFor(() => expect(view.getAllByRole('status').map((status) => status.textContent)).toContain('Anna Smith is typing…'));
  backend.reply('Yes, we do.', { kind: 'agent', name: 'Anna Smith' });
  backend.reply('Delivery takes 3 days.', { kind: 'agent', name: 'Anna Smith' });
  await waitFor(() => expect(messages().slice(1)).toEqual(['ASAnna SmithYes, we do.', 'Anna Smith: Delivery takes 3 days.']));
  expect(view.getAllByRole('status').map((status) => status.textContent)).not.toContain('Anna Smith is typing…');
});

test('tells the agent while the visitor types, and stops when the message is sent', async () => {
  const backend = createMemoryAdapter();
  const typing: boolean[] = [];
  backend.typing = (isTyping) => void typing.push(isTyping);
  const { type, send, client } = await openChat({ backend });
  await waitFor(() => expect(client.status.value).toBe('online'));
  type('Hel');
  type('Hello');
  expect(typing).toEqual([true]);
  send('Hello there');
  await waitFor(() => expect(typing).toEqual([true, false]));
});

test('shows what anyone typed as text, never as markup', async () => {
  const { root, messages, send, backend } = await openChat();
  send('<b>bold</b><img src=x onerror="alert(1)">');
  await waitFor(() => expect(messages()[1]).toMatch(/Sent$/));
  backend.reply('<script>alert(2)</script>');
  await waitFor(() => expect(messages().slice(1)).toEqual(['You: <b>bold</b><img src=x onerror="alert(1)">Sent', 'AAgent<script>alert(2)</script>']));
  expect(root.querySelector('b, img, script')).toBeNull();
});

test('turns web addresses into links that open safely in a new tab', async () => {
  const { view, backend } = await openChat();
  backend.reply('See https://example.com/docs?page=2. Or javascript:alert(1)');
  const link = await view.findByRole('link', { name: 'https://example.com/docs?page=2' });
  expect(link.getAttribute('href')).toBe('https://example.com/docs?page=2');
  expect(link.getAttribute('rel')).toBe('noopener noreferrer');
  expect(link.getAttribute('target')).toBe('_blank');
  expect(view.getAllByRole('link')).toHaveLength(1);
});

test('shows the conversation again after a reload', async () => {
  const backend = createMemoryAdapter();
  const before = await openChat({ backend });
  before.send('Where is my order?');
  await waitFor(() => expect(before.messages()[1]).toBe('You: Where is my order?Sent'));
  backend.reply('It left the warehouse today.', { kind: 'agent', name: 'Li' });
  await waitFor(() => expect(before.messages()).toHaveLength(3));
  before.unmount();
  mounted = [];

  const after = await openChat({ backend });
  await waitFor(() => expect(after.messages().slice(1)).toEqual(['You: Where is my order?Sent', 'LLiIt left the warehouse today.']));
});

test('marks agent messages read when the visitor opens the chat', async () => {
  const { view, backend, client } = await openChat();
  fireEvent.click(view.getByRole('button', { name: 'Close' }));
  backend.reply('Anything else?');
  await view.findByRole('button', { name: 'Contact us, 1 unread message' });
  fireEvent.click(view.getByRole('button', { name: /^Contact us/ }));
  const log = await view.findByRole('list', { name: 'Messages' });
  expect(within(log).getAllByRole('listitem').at(-1)?.textContent).toBe('AAgentAnything else?');
  expect(client.chat.unread.value).toBe(0);
  expect(view.getByRole('button', { name: 'Contact us' })).toBeTruthy();
});
