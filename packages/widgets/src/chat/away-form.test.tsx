import { fireEvent, waitFor } from '@testing-library/preact';
import { createMemoryAdapter } from '@threadline/core';
import { afterEach, expect, test } from 'vitest';
import { mountTestWidgets, type MountedWidgets, type TestMountOptions } from '../../test/widget-harness';

let mounted: MountedWidgets | undefined;
afterEach(() => {
  mounted?.unmount();
  mounted = undefined;
});

async function openChat(options: TestMountOptions = {}) {
  mounted = await mountTestWidgets({ ...options, config: { widgets: { callback: false, form: false }, ...options.config } });
  fireEvent.click(mounted.view.getByRole('button', { name: 'Contact us' }));
  await mounted.view.findByRole('dialog', { name: 'Chat with us' });
  return mounted;
}

const fill = (view: MountedWidgets['view'], label: string, value: string) => fireEvent.input(view.getByRole('textbox', { name: label }), { target: { value } });

test('turns the chat into "leave a message" when no agent is online, and sends it as a lead', async () => {
  const { view, backend, client } = await openChat();
  await waitFor(() => expect(client.status.value).toBe('online'));
  backend.push({ type: 'presence', agentsOnline: 0 });
  await view.findByRole('textbox', { name: 'Phone or e-mail' });
  expect(view.queryByRole('textbox', { name: 'Your message' })).toBeNull();

  fill(view, 'Your name (optional)', 'Olga');
  fill(view, 'Phone or e-mail', 'olga@example.com');
  fill(view, 'Message', 'Please send me the price list.');
  fireEvent.click(view.getByRole('button', { name: 'Send message' }));

  await waitFor(() => expect(view.getByRole('status').textContent).toBe('Thank you! We will get back to you soon.'));
  await waitFor(() => expect(backend.received.lead).toHaveLength(1));
  expect(backend.received.lead[0]).toMatchObject({ kind: 'offline-message', name: 'Olga', email: 'olga@example.com', message: 'Please send me the price list.' });
});

test('moves the focus from the chat\'s composer into "leave a message" when the form takes its place', async () => {
  const { view, backend, client, root } = await openChat();
  const composer = await view.findByRole('textbox', { name: 'Your message' });
  await waitFor(() => expect(root.activeElement).toBe(composer));
  await waitFor(() => expect(client.status.value).toBe('online'));
  backend.push({ type: 'presence', agentsOnline: 0 });
  const name = await view.findByRole('textbox', { name: 'Your name (optional)' });
  await waitFor(() => expect(root.activeElement).toBe(name));
});

test('offers "leave a message" outside business hours', async () => {
  // 2026-11-22 is a Sunday; the site opens on weekdays only.
  const sunday = Date.parse('2026-11-22T12:00:00Z');
  const weekdays = [{ from: '09:00', to: '18:00' }];
  const { view } = await openChat({
    now: () => sunday,
    config: { businessHours: { timeZone: 'Europe/London', days: { mon: weekdays, tue: weekdays, wed: weekdays, thu: weekdays, fri: weekdays } } },
  });
  expect(await view.findByRole('textbox', { name: 'Message' })).toBeTruthy();
});

test("takes the server's word that the business is closed, and opens the chat once that answer ran out", async () => {
  // The hours themselves say open around the clock: only the server's openNow can close the chat.
  const always = [{ from: '00:00', to: '24:00' }];
  let clock = Date.parse('2026-11-23T12:00:00Z');
  const { view } = await openChat({
    now: () => clock,
    config: {
      businessHours: { timeZone: 'Europe/Kyiv', days: { mon: always, tue: always, wed: always, thu: always, fri: always, sat: always, sun: always } },
      openNow: { open: false, changesAt: clock + 300 },
    },
  });
  expect(await view.findByRole('textbox', { name: 'Message' })).toBeTruthy();
  expect(view.queryByRole('textbox', { name: 'Your message' })).toBeNull();

  clock += 3_600_000;
  fireEvent.click(view.getByRole('button', { name: 'Close' }));
  fireEvent.click(view.getByRole('button', { name: 'Contact us' }));
  expect(await view.findByRole('textbox', { name: 'Your message' })).toBeTruthy();
});

test('names the field to fix and sends nothing while the contact is not a phone or an e-mail', async () => {
  const { view, backend, client } = await openChat();
  await waitFor(() => expect(client.status.value).toBe('online'));
  backend.push({ type: 'presence', agentsOnline: 0 });
  await view.findByRole('textbox', { name: 'Phone or e-mail' });
  fill(view, 'Phone or e-mail', 'call me maybe');
  fireEvent.click(view.getByRole('button', { name: 'Send message' }));

  const contact = view.getByRole('textbox', { name: 'Phone or e-mail' });
  expect(contact.getAttribute('aria-invalid')).toBe('true');
  expect(contact.getAttribute('aria-describedby') && mounted!.root.getElementById(contact.getAttribute('aria-describedby')!)?.textContent).toBe(
    'Enter a phone number (for example +44 20 7946 0958) or an e-mail address.',
  );
  expect(view.getByRole('textbox', { name: 'Message' }).getAttribute('aria-invalid')).toBe('true');
  expect(mounted!.root.activeElement).toBe(contact);
  expect(backend.received.lead).toHaveLength(0);
});

test('tells a visitor who is offline that the message is kept and will be sent', async () => {
  const { view, backend, client } = await openChat();
  await waitFor(() => expect(client.status.value).toBe('online'));
  backend.push({ type: 'presence', agentsOnline: 0 });
  await view.findByRole('textbox', { name: 'Phone or e-mail' });
  backend.setOffline(true);
  fill(view, 'Phone or e-mail', '+48 22 123 45 67');
  fill(view, 'Message', 'Call me after 5.');
  fireEvent.click(view.getByRole('button', { name: 'Send message' }));
  await waitFor(() => expect(view.getAllByRole('status').map((status) => status.textContent)).toContain('Thank you! Your message is saved and will be sent when you are back online.'));

  backend.setOffline(false);
  await waitFor(() => expect(backend.received.lead).toHaveLength(1), { timeout: 5000 });
  expect(backend.received.lead[0]).toMatchObject({ kind: 'offline-message', phone: '+48 22 123 45 67' });
});

/** Opens the chat, lets an agent answer the visitor's question, and leaves the visitor typing the next one. */
async function chatWithAgent(options: TestMountOptions = {}) {
  const widgets = await openChat(options);
  const { view, backend, client } = widgets;
  await waitFor(() => expect(client.status.value).toBe('online'));
  backend.push({ type: 'presence', agentsOnline: 1 });
  const composer = view.getByRole('textbox', { name: 'Your message' }) as HTMLTextAreaElement;
  fireEvent.input(composer, { target: { value: 'Do you have it in blue?' } });
  fireEvent.keyDown(composer, { key: 'Enter' });
  await waitFor(() => expect(backend.received.message).toHaveLength(1));
  backend.reply('Yes, in blue and in red.', { kind: 'agent', name: 'Anna' });
  await view.findByText('Yes, in blue and in red.');
  composer.focus();
  fireEvent.input(composer, { target: { value: 'And the price' } });
  return { ...widgets, composer };
}

test('keeps the conversation, the typed text and the focus when the last agent leaves, and says nobody can answer now', async () => {
  const { view, backend, composer, root } = await chatWithAgent();
  backend.push({ type: 'presence', agentsOnline: 0 });

  expect(await view.findByText('Nobody can answer right now. Leave a message and we will get back to you.')).toBeTruthy();
  expect(view.getByText('Do you have it in blue?')).toBeTruthy();
  expect(view.getByText('Yes, in blue and in red.')).toBeTruthy();
  expect(view.getByRole('textbox', { name: 'Your message' })).toBe(composer);
  expect(composer.value).toBe('And the price');
  expect(root.activeElement).toBe(composer);

  // The notice goes when an agent is back; the composer still has the visitor.
  backend.push({ type: 'presence', agentsOnline: 1 });
  await waitFor(() => expect(view.queryByText(/Nobody can answer/)).toBeNull());
  expect(root.activeElement).toBe(composer);
  expect(composer.value).toBe('And the price');
});

test('keeps a message sent offline in view once the reconnect delivers it, though nobody can answer by then', async () => {
  const { view, backend, composer } = await chatWithAgent();
  backend.setOffline(true);
  fireEvent.keyDown(composer, { key: 'Enter' });
  await view.findByText('Will be sent when you are back online');
  backend.setOffline(false);
  backend.push({ type: 'presence', agentsOnline: 0 });

  await view.findByText(/Nobody can answer/);
  await waitFor(() => expect(view.getAllByRole('listitem').map((item) => item.textContent)).toContain('You: And the priceSent'));
  expect(backend.received.message.map((message) => message.text)).toEqual(['Do you have it in blue?', 'And the price']);
});

test('stores what a visitor writes while nobody can answer in the thread, and shows the team\'s later reply', async () => {
  const { view, backend, composer } = await chatWithAgent();
  backend.push({ type: 'presence', agentsOnline: 0 });
  await view.findByText(/Nobody can answer/);
  fireEvent.keyDown(composer, { key: 'Enter' });
  await waitFor(() => expect(backend.received.message.map((message) => message.text)).toEqual(['Do you have it in blue?', 'And the price']));

  backend.reply('It is 480 EUR.', { kind: 'agent', name: 'Anna' });
  expect(await view.findByText('It is 480 EUR.')).toBeTruthy();
});

test('asks a visitor in a conversation once for a phone or e-mail the answer can reach, and attaches it to them', async () => {
  const { view, backend, client } = await chatWithAgent();
  backend.push({ type: 'presence', agentsOnline: 0 });
  const contact = await view.findByRole('textbox', { name: 'Phone or e-mail for our answer' });
  fireEvent.input(contact, { target: { value: 'next week' } });
  fireEvent.click(view.getByRole('button', { name: 'Save' }));
  expect(contact.getAttribute('aria-invalid')).toBe('true');
  expect(backend.received.identify).toHaveLength(0);

  fireEvent.input(contact, { target: { value: 'olga@example.com' } });
  fireEvent.click(view.getByRole('button', { name: 'Save' }));
  await waitFor(() => expect(backend.received.identify.map((identify) => identify.person)).toEqual([{ email: 'olga@example.com' }]));
  expect(client.person.value).toEqual({ email: 'olga@example.com' });
  expect(view.getAllByRole('status').map((status) => status.textContent)).toContain('Thank you! We will get back to you soon.');
  expect(view.queryByRole('textbox', { name: 'Phone or e-mail for our answer' })).toBeNull();
  // The history stays on screen throughout.
  expect(view.getByText('Yes, in blue and in red.')).toBeTruthy();
});

test('does not ask for a contact the site already told us, and still shows the chat rather than the form', async () => {
  const { view, backend, client } = await openChat();
  await client.identify({ userId: 'u_42', name: 'Olga' });
  await waitFor(() => expect(client.status.value).toBe('online'));
  backend.push({ type: 'presence', agentsOnline: 0 });
  expect(await view.findByText(/Nobody can answer/)).toBeTruthy();
  expect(view.getByRole('textbox', { name: 'Your message' })).toBeTruthy();
  expect(view.queryByRole('textbox', { name: /Phone or e-mail/ })).toBeNull();
});

test('shows the history and when the business opens to a returning visitor while it is closed', async () => {
  const backend = createMemoryAdapter();
  backend.reply('We will ship your order on Monday.', { kind: 'agent', name: 'Anna' });
  const sunday = Date.parse('2026-11-22T20:00:00Z');
  const { view } = await openChat({ backend, now: () => sunday, config: { openNow: { open: false, changesAt: Date.parse('2026-11-23T07:00:00Z') } } });

  expect(await view.findByText('We will ship your order on Monday.')).toBeTruthy();
  expect((await view.findByText(/Nobody can answer/)).textContent).toMatch(/^Nobody can answer right now\. Leave a message and we will get back to you\. We open Mon \d{1,2}:00\s[AP]M\.$/);
  expect(view.getByRole('textbox', { name: 'Your message' })).toBeTruthy();
  expect(view.queryByRole('textbox', { name: 'Message' })).toBeNull();
});

test('keeps the form the visitor is typing in when an agent comes online', async () => {
  const { view, backend, client, root } = await openChat();
  await waitFor(() => expect(client.status.value).toBe('online'));
  backend.push({ type: 'presence', agentsOnline: 0 });
  const message = await view.findByRole('textbox', { name: 'Message' });
  message.focus();
  fill(view, 'Message', 'Call me about the invoice');
  backend.push({ type: 'presence', agentsOnline: 2 });
  await waitFor(() => expect(client.chat.agentsOnline.value).toBe(2));

  expect(view.getByRole('textbox', { name: 'Message' })).toBe(message);
  expect((message as HTMLTextAreaElement).value).toBe('Call me about the invoice');
  expect(root.activeElement).toBe(message);
});

test('shows the team\'s reply to a left message, and counts the next one on the launcher while the chat is closed', async () => {
  const { view, backend, client } = await openChat();
  await waitFor(() => expect(client.status.value).toBe('online'));
  backend.push({ type: 'presence', agentsOnline: 0 });
  await view.findByRole('textbox', { name: 'Phone or e-mail' });
  fill(view, 'Phone or e-mail', 'olga@example.com');
  fill(view, 'Message', 'Is the shop open on Saturday?');
  fireEvent.click(view.getByRole('button', { name: 'Send message' }));
  await waitFor(() => expect(backend.received.lead).toHaveLength(1));

  backend.reply('Yes, from 10 to 16.', { kind: 'agent', name: 'Anna' });
  expect(await view.findByText('Yes, from 10 to 16.')).toBeTruthy();
  expect(view.getByRole('textbox', { name: 'Your message' })).toBeTruthy();

  fireEvent.click(view.getByRole('button', { name: 'Close' }));
  backend.reply('See you then!', { kind: 'agent', name: 'Anna' });
  const launcher = await view.findByRole('button', { name: 'Contact us, 1 unread message' });
  fireEvent.click(launcher);
  expect(await view.findByText('See you then!')).toBeTruthy();
  expect(view.getByText('Yes, from 10 to 16.')).toBeTruthy();
});
