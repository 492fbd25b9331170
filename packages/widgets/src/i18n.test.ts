import { SiteConfigSchema } from '@threadline/core';
import { expect, test } from 'vitest';
import { createTexts } from './i18n';

const config = SiteConfigSchema.parse({ site: 'demo', texts: { ru: { 'chat.send': 'Жми' } } });

test('picks the plural form the locale needs', async () => {
  const { t, load } = createTexts('ru', config);
  await load('common');
  expect([1, 2, 5, 21, 1.5].map((count) => t('common.unread', { count }))).toEqual([
    '1 непрочитанное сообщение',
    '2 непрочитанных сообщения',
    '5 непрочитанных сообщений',
    '21 непрочитанное сообщение',
    '1.5 непрочитанного сообщения',
  ]);
});

test('lets the site config override a bundled string of its locale only', async () => {
  const ru = createTexts('ru', config);
  const en = createTexts('en', config);
  await Promise.all([ru.load('chat'), en.load('chat')]);
  expect(ru.t('chat.send')).toBe('Жми');
  expect(en.t('chat.send')).toBe('Send');
  expect(ru.t('chat.typing', { name: 'Анна' })).toBe('Анна печатает…');
});

test('ships the same strings in every locale', async () => {
  const keys = async (locale: string) => {
    const modules: { default: Record<string, string> }[] = await Promise.all(['common', 'chat'].map((part) => import(`./locales/${locale}/${part}.ts`)));
    // Plural forms differ by language (English has no `few`); the keys they belong to do not.
    return [...new Set(modules.flatMap((module) => Object.keys(module.default)).map((key) => key.replace(/\.(one|few|many|other)$/, '')))].sort();
  };
  const english = await keys('en');
  for (const locale of ['ru', 'uk', 'pl']) expect(await keys(locale)).toEqual(english);
});
