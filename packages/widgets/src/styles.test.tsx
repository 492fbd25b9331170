import { fireEvent, waitFor } from '@testing-library/preact';
import { SiteConfigSchema } from '@threadline/core';
import { afterEach, expect, test } from 'vitest';
import { mountTestWidgets, type MountedWidgets } from '../test/widget-harness';

let mounted: MountedWidgets | undefined;
afterEach(() => {
  mounted?.unmount();
  mounted = undefined;
});

const cssOf = (root: ShadowRoot) => root.adoptedStyleSheets.flatMap((sheet) => [...sheet.cssRules].map((rule) => rule.cssText)).join('\n');

test('styles the widgets without style attributes or style elements, for a strict CSP', async () => {
  mounted = await mountTestWidgets({ config: { widgets: { callback: false, form: false } } });
  const { view, root, backend } = mounted;
  fireEvent.click(view.getByRole('button', { name: 'Contact us' }));
  await view.findByRole('dialog', { name: 'Chat with us' });
  backend.reply('Hello');
  await waitFor(() => expect(view.getAllByRole('listitem')).toHaveLength(2));
  expect(root.adoptedStyleSheets.length).toBeGreaterThan(0);
  expect(root.querySelectorAll('[style], style')).toHaveLength(0);
});

test('themes the widgets from the site config, with readable text on the primary colour', async () => {
  mounted = await mountTestWidgets({ config: { appearance: { primaryColor: '#facc15', textColor: '#ffffff', zIndex: 1000, offsetX: 32, position: 'left' } } });
  const css = cssOf(mounted.root);
  expect(css).toMatch(/--threadline-primary: ?#facc15/);
  expect(css).toMatch(/--threadline-on-primary: ?#000000/);
  expect(css).toMatch(/--threadline-z-index: ?1000/);
  expect(css).toMatch(/--threadline-offset-x: ?32px/);
  expect(mounted.view.getByRole('button', { name: 'Contact us' }).closest('[data-side]')?.getAttribute('data-side')).toBe('left');
});

test('falls back to a style element with the page’s nonce where constructable stylesheets are missing', async () => {
  // Older Safari (before 16.4) had no constructable stylesheets: take them away for this test.
  let owner: object = CSSStyleSheet.prototype;
  while (!Object.prototype.hasOwnProperty.call(owner, 'replaceSync')) owner = Object.getPrototypeOf(owner);
  const replaceSync = Object.getOwnPropertyDescriptor(owner, 'replaceSync')!;
  delete (owner as Partial<CSSStyleSheet>).replaceSync;
  try {
    mounted = await mountTestWidgets({ styleNonce: 'r4nd0m' });
    const styles = [...mounted.root.querySelectorAll('style')];
    expect(styles.length).toBeGreaterThan(0);
    expect(styles.every((style) => style.nonce === 'r4nd0m')).toBe(true);
    mounted.handle.destroy();
    expect(mounted.root.querySelectorAll('style')).toHaveLength(0);
  } finally {
    Object.defineProperty(owner, 'replaceSync', replaceSync);
  }
});

test('applies new settings without losing the open form or what the visitor typed in it', async () => {
  mounted = await mountTestWidgets({ config: { widgets: { chat: false, callback: false } } });
  const { view, root, handle } = mounted;
  fireEvent.click(view.getByRole('button', { name: 'Contact us' }));
  const name = await view.findByRole('textbox', { name: 'Your name' });
  fireEvent.input(name, { target: { value: 'Anna' } });

  handle.update(SiteConfigSchema.parse({ site: 'demo', widgets: { chat: false, callback: false }, appearance: { primaryColor: '#be123c', position: 'left' } }));
  await waitFor(() => expect(cssOf(root)).toMatch(/--threadline-primary: ?#be123c/));
  expect(view.getByRole('dialog')).toBeTruthy();
  expect((view.getByRole('textbox', { name: 'Your name' }) as HTMLInputElement).value).toBe('Anna');
  expect(view.getByRole('button', { name: 'Close' }).closest('[data-side]')?.getAttribute('data-side')).toBe('left');
});
