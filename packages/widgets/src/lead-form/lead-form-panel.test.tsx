import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { createClient, createMemoryAdapter, SiteConfigSchema, type Locale, type MemoryAdapter, type SiteConfigInput } from '@threadline/core';
import { afterEach, expect, test } from 'vitest';
import en from '../locales/en/form';
import ru from '../locales/ru/form';
import type { PanelProps } from '../panel-props';
import { LeadFormPanel } from './lead-form-panel';

const STRINGS: Partial<Record<Locale, Record<string, string>>> = { en, ru };

// The schema asks a field's label in every shipped locale.
const QUOTE_FORM: SiteConfigInput['form'] = {
  fields: [
    { name: 'name', type: 'name', required: true },
    { name: 'email', type: 'email', required: false },
    { name: 'phone', type: 'phone', required: false },
    { name: 'size', type: 'select', required: true, label: { en: 'Apartment size', ru: 'Площадь квартиры', uk: 'Площа квартири', pl: 'Powierzchnia mieszkania' }, options: ['Studio', '2 rooms', '3+ rooms'] },
    { name: 'newsletter', type: 'checkbox', label: { en: 'Send me offers', ru: 'Присылайте предложения', uk: 'Надсилайте пропозиції', pl: 'Przysyłajcie mi oferty' } },
    { name: 'terms', type: 'checkbox', required: true, label: { en: 'I accept the terms of service', ru: 'Я принимаю условия', uk: 'Я приймаю умови', pl: 'Akceptuję regulamin' } },
    { name: 'message', type: 'message' },
  ],
};

let clients: { destroy(): void }[] = [];
afterEach(() => {
  cleanup();
  for (const client of clients) client.destroy();
  clients = [];
});

function renderForm(options: { config?: Partial<SiteConfigInput>; locale?: Locale; backend?: MemoryAdapter } = {}) {
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
    now: Date.now,
    close: () => {},
  };
  render(<LeadFormPanel {...props} />);
  return { backend, client };
}

/** What a screen reader reads after the control's name: the texts aria-describedby points to. */
function description(element: HTMLElement): string {
  const ids = element.getAttribute('aria-describedby')?.split(' ') ?? [];
  return ids.map((id) => document.getElementById(id)?.textContent ?? '').join(' ');
}

const delivered = (backend: MemoryAdapter) => waitFor(() => expect(backend.received.lead).toHaveLength(1), { timeout: 5000 });
const type = (element: HTMLElement, value: string) => fireEvent.input(element, { target: { value } });

test('marks every problem on submit, moves focus to the first one and sends nothing', async () => {
  const { backend } = renderForm({ config: { form: QUOTE_FORM } });
  type(screen.getByRole('textbox', { name: 'E-mail' }), 'anna@example');
  fireEvent.click(screen.getByRole('button', { name: 'Send' }));

  const name = screen.getByRole('textbox', { name: 'Your name (required)' });
  await waitFor(() => expect(document.activeElement).toBe(name));
  expect(description(name)).toBe('Fill in this field.');
  expect(description(screen.getByRole('textbox', { name: 'E-mail' }))).toBe('Enter an e-mail address like name@example.com.');
  expect(description(screen.getByRole('combobox', { name: 'Apartment size (required)' }))).toBe('Choose one of the options.');
  expect(description(screen.getByRole('checkbox', { name: 'I accept the terms of service (required)' }))).toBe('Tick this box to continue.');
  const newsletter = screen.getByRole('checkbox', { name: 'Send me offers' });
  expect(newsletter.getAttribute('aria-invalid')).toBeNull();
  expect(backend.received.lead).toHaveLength(0);
});

test('checks a field when the visitor leaves it, and clears the message once it is fixed', async () => {
  renderForm({ config: { form: QUOTE_FORM } });
  const phone = screen.getByRole('textbox', { name: 'Phone number' });
  type(phone, '12');
  fireEvent.blur(phone);
  await waitFor(() => expect(description(phone)).toBe('Enter a phone number with 7 to 15 digits.'));
  expect(phone.getAttribute('aria-invalid')).toBe('true');
  type(phone, '+48 512 345 678');
  await waitFor(() => expect(phone.getAttribute('aria-invalid')).toBeNull());

  // Leaving an empty required field is not yet a mistake.
  const name = screen.getByRole('textbox', { name: 'Your name (required)' });
  fireEvent.blur(name);
  expect(name.getAttribute('aria-invalid')).toBeNull();
});

test('asks for a phone or an e-mail when both are left empty', async () => {
  renderForm({ config: { form: QUOTE_FORM } });
  fireEvent.click(screen.getByRole('button', { name: 'Send' }));
  await waitFor(() => expect(description(screen.getByRole('textbox', { name: 'E-mail' }))).toBe('Leave a phone number or an e-mail so that we can answer.'));
});

test('sends the contact fields and the custom select and checkboxes with the lead', async () => {
  const { backend } = renderForm({ config: { form: QUOTE_FORM } });
  type(screen.getByRole('textbox', { name: 'Your name (required)' }), '  Anna Kowalska ');
  type(screen.getByRole('textbox', { name: 'E-mail' }), 'anna@example.com');
  fireEvent.change(screen.getByRole('combobox', { name: 'Apartment size (required)' }), { target: { value: '2 rooms' } });
  fireEvent.click(screen.getByRole('checkbox', { name: 'I accept the terms of service (required)' }));
  type(screen.getByRole('textbox', { name: 'Message' }), 'Is Saturday possible?');
  fireEvent.click(screen.getByRole('button', { name: 'Send' }));

  await delivered(backend);
  expect(backend.received.lead[0]).toMatchObject({
    kind: 'form',
    name: 'Anna Kowalska',
    email: 'anna@example.com',
    message: 'Is Saturday possible?',
    fields: { size: '2 rooms', newsletter: false, terms: true },
  });
  expect(backend.received.lead[0]!.phone).toBeUndefined();
  const status = screen.getByRole('status');
  expect(status.textContent).toContain('We have your request and will get back to you soon.');
  expect(document.activeElement).toBe(screen.getByRole('heading', { name: 'Thank you!' }));
});

test('stores the consent text and version the visitor agreed to', async () => {
  const { backend } = renderForm({ config: { consent: { mode: 'required', text: 'I agree to the privacy policy.', version: 'v3' } } });
  type(screen.getByRole('textbox', { name: 'Phone number (required)' }), '050 111 22 33');
  fireEvent.click(screen.getByRole('button', { name: 'Send' }));
  const box = screen.getByRole('checkbox', { name: 'I agree to the privacy policy.' });
  await waitFor(() => expect(document.activeElement).toBe(box));
  expect(description(box)).toBe('Tick this box so that we may answer you.');

  fireEvent.click(box);
  fireEvent.click(screen.getByRole('button', { name: 'Send' }));
  await delivered(backend);
  expect(backend.received.lead[0]!.consent).toMatchObject({ given: true, text: 'I agree to the privacy policy.', version: 'v3' });
});

test('versions a consent text the site gave no version for by its wording', async () => {
  const { backend } = renderForm({ config: { consent: { text: 'You may e-mail me news.' } } });
  type(screen.getByRole('textbox', { name: 'Phone number (required)' }), '050 111 22 33');
  // Optional consent: the lead goes out unticked and says so.
  fireEvent.click(screen.getByRole('button', { name: 'Send' }));
  await delivered(backend);
  expect(backend.received.lead[0]!.consent).toMatchObject({ given: false, text: 'You may e-mail me news.', version: expect.stringMatching(/^text-[0-9a-f]+$/) });
});

test('passes what a bot typed into the hidden honeypot to the server', async () => {
  const { backend } = renderForm();
  expect(screen.queryByRole('textbox', { name: 'Leave this field empty' })).toBeNull();
  type(screen.getByLabelText('Leave this field empty'), 'buy now');
  type(screen.getByRole('textbox', { name: 'Phone number (required)' }), '050 111 22 33');
  fireEvent.click(screen.getByRole('button', { name: 'Send' }));
  await delivered(backend);
  expect(backend.received.lead[0]!.honeypot).toBe('buy now');
});

test('keeps a form sent offline, says it will be sent, and confirms it once delivered exactly once', async () => {
  const backend = createMemoryAdapter({ offline: true });
  const { client } = renderForm({ backend });
  type(screen.getByRole('textbox', { name: 'Phone number (required)' }), '050 111 22 33');
  fireEvent.click(screen.getByRole('button', { name: 'Send' }));
  const status = await screen.findByRole('status', {}, { timeout: 5000 });
  await waitFor(() => expect(status.textContent).toContain('will be sent as soon as you are back online'), { timeout: 5000 });
  expect(status.textContent).not.toContain('We have your request');

  backend.setOffline(false);
  await client.outbox.flush();
  await delivered(backend);
  await waitFor(() => expect(status.textContent).not.toContain('will be sent'));
  expect(status.textContent).toContain('We have your request and will get back to you soon.');
  await client.outbox.flush();
  expect(backend.received.lead).toHaveLength(1);
});

test('uses the site’s Russian labels and the Russian messages', async () => {
  renderForm({ locale: 'ru', config: { form: QUOTE_FORM } });
  fireEvent.click(screen.getByRole('button', { name: 'Отправить' }));
  const size = screen.getByRole('combobox', { name: 'Площадь квартиры (обязательно)' });
  await waitFor(() => expect(description(size)).toBe('Выберите один из вариантов.'));
  expect(description(screen.getByRole('textbox', { name: 'Ваше имя (обязательно)' }))).toBe('Заполните это поле.');
});

test('labels a custom field the site labelled in another language with that label, not its name', () => {
  const fields = [
    { name: 'company', type: 'text' as const, label: { en: 'Company' } },
    { name: 'budget', type: 'text' as const, label: { en: 'Budget', uk: 'Бюджет' } },
  ];
  renderForm({ locale: 'ru', config: { defaultLocale: 'uk', form: { fields } } });
  expect(screen.getByRole('textbox', { name: 'Company' })).toBeTruthy();
  expect(screen.getByRole('textbox', { name: 'Бюджет' })).toBeTruthy();
  expect(screen.queryByRole('textbox', { name: 'company' })).toBeNull();
});
