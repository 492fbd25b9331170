import { fireEvent, waitFor } from '@testing-library/preact';
import { createMemoryAdapter } from '@threadline/core';
import { afterEach, expect, test, vi } from 'vitest';
import { mountTestWidgets, type MountedWidgets, type TestMountOptions } from '../../test/widget-harness';

let mounted: MountedWidgets[] = [];
afterEach(() => {
  for (const widgets of mounted) widgets.unmount();
  mounted = [];
  vi.useRealTimers();
});

const TELEGRAM = { messengers: { telegram: { username: 'shop_bot' } } };

/** Mounts the chat-only widgets and opens the chat as a visitor would. */
async function openChat(options: TestMountOptions = {}) {
  const widgets = await mountTestWidgets({ ...options, config: { widgets: { callback: false, form: false }, ...options.config } });
  mounted.push(widgets);
  fireEvent.click(widgets.view.getByRole('button', { name: /^(Contact us|Зв'язатися з нами)/ }));
  await widgets.view.findByRole('dialog');
  return widgets;
}

test('offers Continue in Telegram as a link to the one-time URL the backend handed out, opening in a new tab', async () => {
  const { view, backend } = await openChat({ config: TELEGRAM });
  const link = await view.findByRole('link', { name: 'Continue in Telegram' });
  expect(backend.messengerLinks).toHaveLength(1);
  expect(link.getAttribute('href')).toBe(backend.messengerLinks[0]!.url);
  expect(link.getAttribute('target')).toBe('_blank');
  expect(link.getAttribute('rel')).toBe('noopener');
});

test('offers no Telegram link, and asks for none, when the site has no Telegram bot', async () => {
  const { view, backend } = await openChat();
  await view.findByRole('textbox', { name: 'Your message' });
  expect(view.queryByRole('link', { name: 'Continue in Telegram' })).toBeNull();
  expect(backend.messengerLinks).toEqual([]);
});

test('swaps in a fresh link before the one shown expires', async () => {
  vi.useFakeTimers({ shouldAdvanceTime: true });
  const backend = createMemoryAdapter({ messengerLinkTtlMs: 5 * 60_000 });
  const { view } = await openChat({ backend, config: TELEGRAM });
  const first = await view.findByRole('link', { name: 'Continue in Telegram' });
  expect(first.getAttribute('href')).toBe(backend.messengerLinks[0]!.url);
  await vi.advanceTimersByTimeAsync(3 * 60_000);
  expect(backend.messengerLinks).toHaveLength(1);
  // In the last minute of the five, the link is replaced.
  await vi.advanceTimersByTimeAsync(90_000);
  await waitFor(() => expect(backend.messengerLinks).toHaveLength(2));
  await waitFor(() => expect(view.getByRole('link', { name: 'Continue in Telegram' }).getAttribute('href')).toBe(backend.messengerLinks[1]!.url));
  expect(backend.messengerLinks[1]!.url).not.toBe(backend.messengerLinks[0]!.url);
});

test('says the Telegram link could not be fetched and gets it on Try again', async () => {
  const backend = createMemoryAdapter();
  backend.failNext(1);
  const { view } = await openChat({ backend, config: TELEGRAM });
  const alert = await view.findByRole('alert');
  expect(alert.textContent).toContain('Could not get the Telegram link. Check your connection and try again.');
  expect(view.queryByRole('link', { name: 'Continue in Telegram' })).toBeNull();
  fireEvent.click(view.getByRole('button', { name: 'Try again' }));
  const link = await view.findByRole('link', { name: 'Continue in Telegram' });
  expect(link.getAttribute('href')).toBe(backend.messengerLinks[0]!.url);
  expect(view.queryByRole('alert')).toBeNull();
});

test('keeps the chat usable for an offline visitor, with the reason the link is missing', async () => {
  const { view, client } = await openChat({ backend: createMemoryAdapter({ offline: true }), config: TELEGRAM });
  expect((await view.findByRole('alert')).textContent).toContain('Could not get the Telegram link');
  fireEvent.input(view.getByRole('textbox', { name: 'Your message' }), { target: { value: 'Are you open on Sunday?' } });
  fireEvent.keyDown(view.getByRole('textbox', { name: 'Your message' }), { key: 'Enter' });
  await waitFor(() => expect(client.chat.messages.value.map((item) => item.text)).toEqual(['Are you open on Sunday?']));
});

test('offers Continue in Telegram above the leave-a-message form when nobody is online', async () => {
  const backend = createMemoryAdapter();
  const { view } = await openChat({ backend, config: TELEGRAM });
  backend.push({ type: 'presence', agentsOnline: 0 });
  await view.findByRole('button', { name: 'Send message' });
  expect(view.queryByRole('textbox', { name: 'Your message' })).toBeNull();
  const link = await view.findByRole('link', { name: 'Continue in Telegram' });
  expect(link.getAttribute('href')).toBe(backend.messengerLinks.at(-1)!.url);
});

test('speaks the visitor’s language', async () => {
  const { view } = await openChat({ config: TELEGRAM, locale: 'uk' });
  expect(await view.findByRole('link', { name: 'Продовжити в Telegram' })).toBeTruthy();
});
