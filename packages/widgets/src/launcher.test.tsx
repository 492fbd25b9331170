import { fireEvent, waitFor } from '@testing-library/preact';
import { afterEach, expect, test, vi } from 'vitest';
import { mountTestWidgets, type MountedWidgets, type TestMountOptions } from '../test/widget-harness';

let mounted: MountedWidgets | undefined;
const mount = async (options?: TestMountOptions) => (mounted = await mountTestWidgets(options));
const chatOnly = { widgets: { callback: false, form: false } };

afterEach(() => {
  mounted?.unmount();
  mounted = undefined;
  document.documentElement.removeAttribute('lang');
  document.documentElement.removeAttribute('dir');
  document.title = '';
});

test('opens the chat from the launcher and moves the focus into it', async () => {
  const { view, root } = await mount({ config: chatOnly });
  fireEvent.click(view.getByRole('button', { name: 'Contact us' }));
  await view.findByRole('dialog', { name: 'Chat with us' });
  await waitFor(() => expect(root.activeElement).toBe(view.getByRole('textbox', { name: 'Your message' })));
});

test('closes on Escape and gives the focus back to the launcher', async () => {
  const { view, root, client } = await mount({ config: chatOnly });
  const launcher = view.getByRole('button', { name: 'Contact us' });
  fireEvent.click(launcher);
  const input = await view.findByRole('textbox', { name: 'Your message' });
  await waitFor(() => expect(root.activeElement).toBe(input));
  fireEvent.keyDown(input, { key: 'Escape' });
  expect(view.queryByRole('dialog')).toBeNull();
  expect(client.openWidget.value).toBeUndefined();
  await waitFor(() => expect(root.activeElement).toBe(launcher));
  expect(launcher.getAttribute('aria-expanded')).toBe('false');
});

test('still closes on Escape when the chat turned into "leave a message" under the focus', async () => {
  const { view, backend, client } = await mount({ config: chatOnly });
  fireEvent.click(view.getByRole('button', { name: 'Contact us' }));
  await view.findByRole('dialog', { name: 'Chat with us' });
  await waitFor(() => expect(client.status.value).toBe('online'));
  backend.push({ type: 'presence', agentsOnline: 0 });
  await view.findByRole('textbox', { name: 'Phone or e-mail' });
  // The chat's composer held the focus and is gone: the focus is back on the page.
  (mounted!.root.activeElement as HTMLElement | null)?.blur();
  fireEvent.keyDown(document.body, { key: 'Escape' });
  await waitFor(() => expect(view.queryByRole('dialog')).toBeNull());
});

test('keeps Tab inside the open panel', async () => {
  const { view, root } = await mount({ config: chatOnly });
  fireEvent.click(view.getByRole('button', { name: 'Contact us' }));
  const send = await view.findByRole('button', { name: 'Send' });
  const close = view.getByRole('button', { name: 'Close' });
  send.focus();
  fireEvent.keyDown(send, { key: 'Tab' });
  expect(root.activeElement).toBe(close);
  fireEvent.keyDown(close, { key: 'Tab', shiftKey: true });
  expect(root.activeElement).toBe(send);
});

test('offers every enabled widget in a keyboard-operable menu', async () => {
  const { view, root } = await mount();
  const launcher = view.getByRole('button', { name: 'Contact us' });
  expect(launcher.getAttribute('aria-haspopup')).toBe('menu');
  fireEvent.click(launcher);
  const menu = await view.findByRole('menu', { name: 'How would you like to contact us?' });
  const items = view.getAllByRole('menuitem');
  expect(items.map((item) => item.textContent)).toEqual(['Chat with us', 'Request a call back', 'Send us a message']);
  await waitFor(() => expect(root.activeElement).toBe(items[0]));
  fireEvent.keyDown(menu, { key: 'ArrowDown' });
  expect(root.activeElement).toBe(items[1]);
  fireEvent.keyDown(menu, { key: 'ArrowUp' });
  fireEvent.keyDown(menu, { key: 'ArrowUp' });
  expect(root.activeElement).toBe(items[2]);
  fireEvent.keyDown(menu, { key: 'Escape' });
  expect(view.queryByRole('menu')).toBeNull();
  expect(root.activeElement).toBe(launcher);
});

test('loads the callback panel from the menu', async () => {
  const { view } = await mount();
  fireEvent.click(view.getByRole('button', { name: 'Contact us' }));
  fireEvent.click(await view.findByRole('menuitem', { name: 'Request a call back' }));
  expect(await view.findByRole('dialog', { name: 'Request a call back' })).toBeTruthy();
  expect(await view.findByRole('textbox', { name: /Phone number/ })).toBeTruthy();
});

test('has the chat ready by the click when the visitor points at the launcher first: no “Loading…” in between', async () => {
  const { view } = await mount({ config: chatOnly });
  const launcher = view.getByRole('button', { name: 'Contact us' });
  fireEvent.pointerEnter(launcher);
  await vi.dynamicImportSettled();
  // The download's promise callbacks run on the next task.
  await new Promise((resolve) => setTimeout(resolve));
  fireEvent.click(launcher);
  expect(view.getByRole('textbox', { name: 'Your message' })).toBeTruthy();
  expect(view.queryByText('Loading…')).toBeNull();
});

test('counts unread messages on the launcher and blinks the page title until the chat opens', async () => {
  document.title = 'Pricing';
  const { view, backend } = await mount({ config: chatOnly });
  backend.reply('Are you still there?', { kind: 'agent', name: 'Anna' });
  const launcher = await view.findByRole('button', { name: 'Contact us, 1 unread message' });
  // The badge: visible digits, while the launcher's name carries the count for screen readers.
  expect(launcher.textContent).toBe('1');
  await waitFor(() => expect(document.title).toBe('(1) New message'));
  backend.reply('We are here to help.', { kind: 'agent', name: 'Anna' });
  await view.findByRole('button', { name: 'Contact us, 2 unread messages' });
  await waitFor(() => expect(document.title).toBe('(2) New messages'));

  fireEvent.click(launcher);
  await view.findByRole('dialog', { name: 'Chat with us' });
  await waitFor(() => expect(document.title).toBe('Pricing'));
  expect(view.getByRole('button', { name: 'Contact us' })).toBe(launcher);
});

test('plays a tone on a new message while the chat is closed when the site config turns the sound on', async () => {
  const tones: number[] = [];
  // happy-dom has no Web Audio: a stand-in that records the tone the widget plays.
  class FakeAudioContext {
    currentTime = 0;
    destination = {};
    createGain = () => ({ gain: { value: 0 }, connect: (next: unknown) => next });
    createOscillator = () => ({ frequency: { value: 0 }, connect: (next: unknown) => next, start() { tones.push(this.frequency.value); }, stop() {} });
    close = () => Promise.resolve();
  }
  vi.stubGlobal('AudioContext', FakeAudioContext);
  try {
    const quiet = await mount({ config: chatOnly });
    quiet.backend.reply('Hello?');
    await quiet.view.findByRole('button', { name: 'Contact us, 1 unread message' });
    quiet.unmount();
    const { view, backend } = await mount({ config: { ...chatOnly, appearance: { sound: true } } });
    backend.reply('Hello?');
    await view.findByRole('button', { name: 'Contact us, 1 unread message' });
    await waitFor(() => expect(tones).toEqual([880]));
  } finally {
    vi.unstubAllGlobals();
  }
});

test('restores the page title when the widgets are destroyed mid-blink', async () => {
  document.title = 'Home';
  const { backend, handle } = await mount({ config: chatOnly });
  backend.reply('Hello?');
  await waitFor(() => expect(document.title).toBe('(1) New message'));
  handle.destroy();
  await waitFor(() => expect(document.title).toBe('Home'));
});

test('shows a proactive message as text that opens the chat', async () => {
  const { view, handle } = await mount();
  handle.showMessage('<b>Need help</b> with pricing?');
  fireEvent.click(await view.findByRole('button', { name: '<b>Need help</b> with pricing?' }));
  expect(await view.findByRole('dialog', { name: 'Chat with us' })).toBeTruthy();
  expect(view.queryByRole('button', { name: '<b>Need help</b> with pricing?' })).toBeNull();
});

test('takes the place of the loader’s static launcher', async () => {
  const { view } = await mount({ loaderMarkup: '<button data-threadline-loader aria-label="Contact us"></button>' });
  expect(view.getAllByRole('button', { name: 'Contact us' })).toHaveLength(1);
  expect(view.getByRole('button', { name: 'Contact us' }).hasAttribute('data-threadline-loader')).toBe(false);
});

test('removes its nodes and stylesheets on destroy', async () => {
  const { root, handle } = await mount({ loaderMarkup: '<span id="mine"></span>' });
  expect(root.adoptedStyleSheets.length).toBeGreaterThan(0);
  handle.destroy();
  expect(root.adoptedStyleSheets).toHaveLength(0);
  expect([...root.childNodes].map((node) => (node as Element).id)).toEqual(['mine']);
});

test('speaks the page’s language when it is one of the bundled locales', async () => {
  document.documentElement.lang = 'ru-RU';
  const { view, backend } = await mount({ config: chatOnly });
  backend.reply('Добрый день');
  backend.reply('Чем помочь?');
  fireEvent.click(await view.findByRole('button', { name: 'Связаться с нами, 2 непрочитанных сообщения' }));
  expect(await view.findByRole('dialog', { name: 'Чат с нами' })).toBeTruthy();
  expect(await view.findByRole('textbox', { name: 'Ваше сообщение' })).toBeTruthy();
  expect(view.getByRole('button', { name: 'Закрыть' })).toBeTruthy();
});

test('uses the locale it is given over the page’s language', async () => {
  document.documentElement.lang = 'en';
  const { view } = await mount({ locale: 'pl', config: chatOnly });
  expect(view.getByRole('button', { name: 'Skontaktuj się z nami' })).toBeTruthy();
});

test('keeps an English panel left-to-right on a right-to-left page', async () => {
  document.documentElement.dir = 'rtl';
  const { view } = await mount({ config: chatOnly });
  const root = view.getByRole('button', { name: 'Contact us' }).closest('[dir]');
  expect(root?.getAttribute('dir')).toBe('ltr');
  expect(root?.getAttribute('lang')).toBe('en');
});

test('shows the configured launcher text, and the site’s own wording over the bundled one', async () => {
  const { view } = await mount({ config: { ...chatOnly, appearance: { launcherText: 'Questions?' }, texts: { en: { 'chat.title': 'Talk to Ann' } } } });
  const launcher = view.getByRole('button', { name: 'Questions?' });
  expect(launcher.textContent).toBe('Questions?');
  fireEvent.click(launcher);
  expect(await view.findByRole('dialog', { name: 'Talk to Ann' })).toBeTruthy();
});

test('shows nothing when the site switches every widget off', async () => {
  const { view } = await mount({ config: { widgets: { chat: false, callback: false, form: false } } });
  expect(view.queryAllByRole('button')).toHaveLength(0);
});
