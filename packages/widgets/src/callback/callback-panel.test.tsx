import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { createClient, createMemoryAdapter, SiteConfigSchema, type Locale, type MemoryAdapter, type SiteConfigInput } from '@threadline/core';
import { afterEach, expect, test, vi } from 'vitest';
import en from '../locales/en/callback';
import ru from '../locales/ru/callback';
import type { PanelProps } from '../panel-props';
import { CallbackPanel } from './callback-panel';

const STRINGS: Partial<Record<Locale, Record<string, string>>> = { en, ru };
// Monday to Friday, 09:00–18:00 in Kyiv.
const KYIV_OFFICE_HOURS = {
  timeZone: 'Europe/Kyiv',
  days: { mon: [{ from: '09:00', to: '18:00' }], tue: [{ from: '09:00', to: '18:00' }], wed: [{ from: '09:00', to: '18:00' }], thu: [{ from: '09:00', to: '18:00' }], fri: [{ from: '09:00', to: '18:00' }] },
};

let clients: { destroy(): void }[] = [];
afterEach(() => {
  cleanup();
  for (const client of clients) client.destroy();
  clients = [];
  vi.useRealTimers();
});

function renderPanel(options: { config?: Partial<SiteConfigInput>; locale?: Locale; now?: () => number; backend?: MemoryAdapter } = {}) {
  const backend = options.backend ?? createMemoryAdapter();
  const client = createClient({ site: 'demo', adapter: backend, platform: { storage: 'memory' } });
  clients.push(client);
  const locale = options.locale ?? 'en';
  const strings = STRINGS[locale]!;
  const props: PanelProps = {
    client,
    config: SiteConfigSchema.parse({ site: 'demo', ...options.config }),
    locale,
    t: (key, params) => (strings[key] ?? key).replace(/\{(\w+)\}/g, (_, name: string) => String(params?.[name])),
    now: options.now ?? Date.now,
    close: () => {},
  };
  render(<CallbackPanel {...props} />);
  return { backend, client };
}

/** What a screen reader reads after the control's name: the texts aria-describedby points to. */
function description(element: HTMLElement): string {
  const ids = element.getAttribute('aria-describedby')?.split(' ') ?? [];
  return ids.map((id) => document.getElementById(id)?.textContent ?? '').join(' ');
}

// Polls with setTimeout: waitFor polls with setInterval, which the countdown test fakes.
async function delivered(backend: MemoryAdapter) {
  for (let tries = 0; tries < 100 && backend.received.lead.length === 0; tries++) await new Promise((resolve) => setTimeout(resolve, 50));
  expect(backend.received.lead).toHaveLength(1);
}

function typePhone(value: string, label = 'Phone number') {
  fireEvent.input(screen.getByLabelText(label), { target: { value } });
}

test('explains a phone number with too few digits and sends nothing', async () => {
  const { backend } = renderPanel({ config: { callback: { defaultCountry: 'UA' } } });
  const phone = screen.getByRole('textbox', { name: 'Phone number' });
  expect(phone.getAttribute('placeholder')).toBe('067 123 45 67');
  typePhone('12-34');
  fireEvent.click(screen.getByRole('button', { name: 'Call me back' }));

  await waitFor(() => expect(phone.getAttribute('aria-invalid')).toBe('true'));
  expect(description(phone)).toContain('Enter a phone number with 7 to 15 digits, for example 067 123 45 67.');
  expect(document.activeElement).toBe(phone);
  expect(backend.received.lead).toHaveLength(0);
});

test('asks for a phone number when the field is left empty', async () => {
  renderPanel();
  fireEvent.click(screen.getByRole('button', { name: 'Call me back' }));
  const phone = screen.getByRole('textbox', { name: 'Phone number' });
  await waitFor(() => expect(description(phone)).toContain('Enter your phone number.'));
});

test('sends the number as typed and counts down to the promised call while the business is open', async () => {
  vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
  let clock = Date.parse('2026-11-23T10:00:00Z'); // a Monday, 12:00 in Kyiv
  const { backend } = renderPanel({ config: { businessHours: KYIV_OFFICE_HOURS, callback: { answerWithinSeconds: 30 } }, now: () => clock });
  expect(await screen.findByText('We are open: we will call you within 30 s.')).toBeTruthy();
  fireEvent.input(screen.getByRole('textbox', { name: 'Your name (optional)' }), { target: { value: 'Olena' } });
  typePhone('+380 (67) 123-45-67');
  fireEvent.click(screen.getByRole('button', { name: 'Call me back' }));

  const status = await screen.findByRole('status', {}, { timeout: 5000 });
  expect(status.textContent).toContain('We will call +380 (67) 123-45-67 within 30\u00a0seconds.');
  await delivered(backend);
  expect((await screen.findByRole('timer')).textContent).toBe('0:30');
  expect(backend.received.lead[0]).toMatchObject({ kind: 'callback', phone: '+380 (67) 123-45-67', name: 'Olena' });
  expect(backend.received.lead[0]!.preferredTime).toBeUndefined();

  clock += 12_000;
  vi.advanceTimersByTime(12_000);
  await waitFor(() => expect(screen.getByRole('timer').textContent).toBe('0:18'));
  // The polite status region is not rewritten on each tick; only the end is announced.
  expect(status.textContent).not.toContain('We are calling you now.');

  clock += 18_000;
  vi.advanceTimersByTime(18_000);
  await waitFor(() => expect(status.textContent).toContain('We are calling you now.'));
  expect(screen.queryByRole('timer')).toBeNull();
});

test('offers slots inside the next business hours when closed and sends the chosen one as the preferred time', async () => {
  const saturdayNoon = Date.parse('2026-11-28T10:00:00Z'); // Saturday 12:00 in Kyiv: closed until Monday 09:00
  const { backend } = renderPanel({ config: { businessHours: KYIV_OFFICE_HOURS }, now: () => saturdayNoon });
  const picker = await screen.findByRole('combobox', { name: 'We are closed now. When should we call you?' });
  const options = screen.getAllByRole('option');
  expect(options).toHaveLength(8);
  // Labels are in the visitor's own time zone.
  const visitorFormat = new Intl.DateTimeFormat('en', { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
  expect(options[0]!.textContent).toBe(visitorFormat.formatRange(new Date('2026-11-30T07:00:00Z'), new Date('2026-11-30T08:00:00Z')));
  expect(description(picker)).toContain(`Times are shown in your time zone (${new Intl.DateTimeFormat().resolvedOptions().timeZone}).`);

  fireEvent.change(picker, { target: { value: '2' } });
  typePhone('050 111 22 33');
  fireEvent.click(screen.getByRole('button', { name: 'Call me back' }));

  await delivered(backend);
  expect(backend.received.lead[0]!.preferredTime).toEqual({ from: '2026-11-30T09:00:00.000Z', to: '2026-11-30T10:00:00.000Z' });
  expect(screen.getByRole('status').textContent).toContain(`We will call 050 111 22 33 at ${options[2]!.textContent}.`);
  expect(screen.queryByRole('timer')).toBeNull();
});

test("offers the slots the server computed while its closed answer holds, whatever the page's clock says", async () => {
  // The page's clock says Monday noon in Kyiv, inside the office hours: only the server's answer closes the business.
  const mondayNoon = Date.parse('2026-11-23T10:00:00Z');
  const reopens = Date.parse('2026-11-23T12:00:00Z');
  const hour = 3_600_000;
  const { backend } = renderPanel({
    config: { businessHours: KYIV_OFFICE_HOURS, openNow: { open: false, changesAt: reopens, slots: [{ from: reopens, to: reopens + hour }, { from: reopens + hour, to: reopens + 2 * hour }] } },
    now: () => mondayNoon,
  });
  const picker = screen.getByRole('combobox', { name: 'We are closed now. When should we call you?' });
  expect(screen.getAllByRole('option')).toHaveLength(2);
  fireEvent.change(picker, { target: { value: '1' } });
  typePhone('050 111 22 33');
  fireEvent.click(screen.getByRole('button', { name: 'Call me back' }));
  await delivered(backend);
  expect(backend.received.lead[0]!.preferredTime).toEqual({ from: '2026-11-23T13:00:00.000Z', to: '2026-11-23T14:00:00.000Z' });
});

test('blocks the request until the required consent is ticked, then stores its text and version', async () => {
  const text = 'I agree that Acme calls me about my order.';
  const { backend, client } = renderPanel({ config: { consent: { mode: 'required', text, version: '2026-11' } } });
  typePhone('050 111 22 33');
  fireEvent.click(screen.getByRole('button', { name: 'Call me back' }));
  const box = screen.getByRole('checkbox', { name: text });
  await waitFor(() => expect(description(box)).toContain('Tick this box so that we may call you.'));
  expect(document.activeElement).toBe(box);

  fireEvent.click(box);
  fireEvent.click(screen.getByRole('button', { name: 'Call me back' }));
  await delivered(backend);
  expect(backend.received.lead[0]!.consent).toMatchObject({ given: true, text, version: '2026-11' });
  expect(client.consentState.value).toBe('granted');
});

test('shows no consent box when the site asks for none', () => {
  renderPanel();
  expect(screen.queryByRole('checkbox')).toBeNull();
});

test('hides the honeypot from people and screen readers but passes what a bot typed to the server', async () => {
  const { backend } = renderPanel();
  expect(screen.queryByRole('textbox', { name: 'Leave this field empty' })).toBeNull();
  const trap = screen.getByLabelText('Leave this field empty');
  expect(trap.tabIndex).toBe(-1);
  fireEvent.input(trap, { target: { value: 'http://spam.example' } });
  typePhone('050 111 22 33');
  fireEvent.click(screen.getByRole('button', { name: 'Call me back' }));
  await delivered(backend);
  expect(backend.received.lead[0]!.honeypot).toBe('http://spam.example');
});

test('tells an offline visitor the request will be sent later, and starts the countdown once it is sent', async () => {
  const backend = createMemoryAdapter({ offline: true });
  const { client } = renderPanel({ backend });
  typePhone('050 111 22 33');
  fireEvent.click(screen.getByRole('button', { name: 'Call me back' }));
  const status = await screen.findByRole('status', {}, { timeout: 5000 });
  await waitFor(() => expect(status.textContent).toContain('will be sent as soon as you are back online'));
  // No promise of a call, nor a countdown to it, that the business cannot know about yet.
  expect(status.textContent).not.toContain('We will call');
  expect(screen.queryByRole('timer')).toBeNull();

  backend.setOffline(false);
  await client.outbox.flush();
  await delivered(backend);
  await waitFor(() => expect(status.textContent).not.toContain('will be sent'));
  expect(status.textContent).toContain('We will call 050 111 22 33 within 30\u00a0seconds.');
  expect((await screen.findByRole('timer')).textContent).toBe('0:30');
});

test('speaks Russian to a Russian-speaking visitor', async () => {
  renderPanel({ locale: 'ru', config: { callback: { defaultCountry: 'UA' } } });
  typePhone('123', 'Номер телефона');
  fireEvent.click(screen.getByRole('button', { name: 'Перезвоните мне' }));
  const phone = screen.getByRole('textbox', { name: 'Номер телефона' });
  await waitFor(() => expect(description(phone)).toContain('Введите номер телефона из 7–15 цифр, например 067 123 45 67.'));
});
