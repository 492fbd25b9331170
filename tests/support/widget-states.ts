// Walks the widgets through every state a visitor can see, calling `at(state)` in each:
// the accessibility spec runs axe-core there, the screenshot spec saves a picture.
import { expect, type BrowserContext, type Page } from '@playwright/test';

/** The states, in the order they are visited. */
export const WIDGET_STATES = ['launcher', 'menu', 'away-form', 'chat', 'away', 'callback', 'callback-success', 'form-errors', 'form-success', 'offline'] as const;
export type WidgetState = (typeof WIDGET_STATES)[number];

/** Accessible names the walk clicks through, per language. */
const NAMES = {
  en: { sent: 'Sent', awayMessage: 'Message', message: 'Your message', sendMessage: 'Send', contact: 'Phone or e-mail', launcher: 'Contact us', chat: 'Chat with us', chatTitle: 'Chat with us', callback: 'Request a call back', form: 'Send us a message', phone: 'Phone number', callMe: 'Call me back', send: 'Send', name: 'Your name (required)' },
  ru: { sent: 'Отправлено', awayMessage: 'Сообщение', message: 'Ваше сообщение', sendMessage: 'Отправить', contact: 'Телефон или e-mail', launcher: 'Связаться с нами', chat: 'Написать в чат', chatTitle: 'Чат с нами', callback: 'Заказать обратный звонок', form: 'Оставить заявку', phone: 'Номер телефона (обязательно)', callMe: 'Перезвоните мне', send: 'Отправить', name: 'Ваше имя (обязательно)' },
} as const;

/** The site config the walk expects: every widget, a form with a required name and phone, consent text shown. */
export const STATES_SITE_CONFIG = {
  appearance: { greeting: 'Hi! Ask us anything about bikes.' },
  consent: { text: 'I agree that Velo Shop uses my details to answer me.', version: '1' },
  form: { fields: [{ name: 'name', type: 'name', required: true }, { name: 'phone', type: 'phone', required: true }, { name: 'message', type: 'message' }] },
  callback: { defaultCountry: 'UA', answerWithinSeconds: 30 },
};

/** Clicks through the widgets in `lang`; `at` runs in each state once it has settled. */
/** What the walk needs of an agent: online for the chat, then gone (nobody can answer). */
export interface WalkAgent {
  agentOnline(): Promise<{ reply(visitorText: string, text: string): Promise<void>; offline(): void }>;
}

export async function walkWidgetStates(page: Page, context: BrowserContext, lang: keyof typeof NAMES, agent: WalkAgent, at: (state: WidgetState) => Promise<void>): Promise<void> {
  const names = NAMES[lang];
  const launcher = page.getByRole('button', { name: names.launcher });
  // Panels open through the tag's command API (what a site's own "Call me" button does);
  // the menu itself is checked in its own state.
  const openWidget = async (item: string) => {
    const widget = item === names.chat ? 'chat' : item === names.callback ? 'callback' : 'form';
    await page.evaluate((name) => (window as unknown as { threadline(command: string, name: string): void }).threadline('open', name), widget);
    const dialog = page.getByRole('dialog', { name: widget === 'chat' ? names.chatTitle : item });
    await expect(dialog).toBeVisible();
    return dialog;
  };
  const closePanel = async () => {
    await page.keyboard.press('Escape');
    await expect(page.getByRole('dialog')).toHaveCount(0);
  };
  // Animations off: a state is judged (and pictured) as it rests.
  await page.emulateMedia({ reducedMotion: 'reduce' });

  await expect(launcher).toBeVisible();
  await at('launcher');

  await launcher.click();
  await expect(page.getByRole('menu')).toBeVisible();
  await at('menu');
  await page.keyboard.press('Escape');

  // A first-time visitor while nobody is online: the chat offers "leave a message".
  const away = await openWidget(names.chat);
  await expect(away.getByRole('textbox', { name: names.awayMessage, exact: true })).toBeVisible();
  await at('away-form');
  await closePanel();

  // A live chat: an agent comes online and answers the visitor's question. The chat is chosen
  // when it opens, so it opens once the visitor's page has heard that someone can answer.
  await page.evaluate(() => {
    const page = window as unknown as { threadline(command: string, event: string, listener: (presence: { agentsOnline: number }) => void): void; agentHeard?: Promise<void> };
    page.agentHeard = new Promise((resolve) => page.threadline('on', 'presence', ({ agentsOnline }) => agentsOnline > 0 && resolve()));
  });
  const online = await agent.agentOnline();
  await page.evaluate(() => (window as unknown as { agentHeard: Promise<void> }).agentHeard);
  const chat = await openWidget(names.chat);
  // The agent answers the newest thread with this question: the visitor's of this walk.
  const question = lang === 'ru' ? 'Есть гравийники размера M?' : 'Do you have gravel bikes in size M?';
  await chat.getByRole('textbox', { name: names.message }).fill(question);
  await chat.getByRole('button', { name: names.sendMessage }).click();
  await expect(chat.getByText(question).first()).toBeVisible();
  // Stored on the server before the agent looks for it.
  await expect(chat.getByText(names.sent, { exact: true })).toBeVisible();
  const answer = lang === 'ru' ? 'Да, три в наличии — приезжайте на примерку.' : 'Yes, three in stock: come and try one.';
  await online.reply(question, answer);
  // Shown in the log and announced by the live region.
  await expect(chat.getByText(answer).first()).toBeVisible();
  await at('chat');
  // The agent leaves: the conversation stays, under a notice and a field for a phone or e-mail.
  online.offline();
  await expect(chat.getByRole('textbox', { name: names.contact })).toBeVisible();
  await expect(chat.getByText(answer).first()).toBeVisible();
  await at('away');
  await closePanel();

  let dialog = await openWidget(names.callback);
  await dialog.getByRole('textbox', { name: names.phone.replace(/ \(.*\)$/, '') }).fill('067 123 45 67');
  await at('callback');
  await dialog.getByRole('checkbox').check();
  await dialog.getByRole('button', { name: names.callMe }).click();
  // The countdown starts once the server has the request.
  await expect(dialog.getByRole('timer')).toBeVisible({ timeout: 15_000 });
  await at('callback-success');
  await closePanel();

  dialog = await openWidget(names.form);
  await dialog.getByRole('button', { name: names.send }).click();
  await expect(dialog.getByRole('textbox', { name: names.name })).toHaveAttribute('aria-invalid', 'true');
  await at('form-errors');
  await dialog.getByRole('textbox', { name: names.name }).fill(lang === 'ru' ? 'Ирина' : 'Irene');
  await dialog.getByRole('textbox', { name: names.phone }).fill('050 123 45 67');
  await dialog.getByRole('button', { name: names.send }).click();
  await expect(dialog.getByRole('status')).toBeVisible();
  await at('form-success');
  await closePanel();

  await context.setOffline(true);
  dialog = await openWidget(names.form);
  await dialog.getByRole('textbox', { name: names.name }).fill(lang === 'ru' ? 'Ирина' : 'Irene');
  await dialog.getByRole('textbox', { name: names.phone }).fill('050 123 45 68');
  await dialog.getByRole('button', { name: names.send }).click();
  await expect(dialog.locator('[part=note]')).toBeVisible();
  await at('offline');
  await context.setOffline(false);
}
