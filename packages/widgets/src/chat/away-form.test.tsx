import { fireEvent, waitFor } from '@testing-library/preact';
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

test("takes the server's word that the business is closed, and returns to the chat when that answer runs out", async () => {
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
  expect(await view.findByRole('textbox', { name: 'Your message' }, { timeout: 3000 })).toBeTruthy();
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
