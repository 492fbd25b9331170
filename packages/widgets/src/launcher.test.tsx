import { fireEvent, waitFor } from '@testing-library/preact';
import { afterEach, expect, test } from 'vitest';
import { mountTestWidgets, type MountedWidgets } from '../test/widget-harness';

let mounted: MountedWidgets | undefined;
afterEach(() => {
  mounted?.unmount();
  mounted = undefined;
});

test('opens the chat from the launcher and moves the focus into it', async () => {
  mounted = await mountTestWidgets({ config: { widgets: { callback: false, form: false } } });
  const { view, root } = mounted;
  fireEvent.click(view.getByRole('button', { name: 'Contact us' }));
  const dialog = await view.findByRole('dialog', { name: 'Chat with us' });
  await waitFor(() => expect(root.activeElement).toBe(view.getByRole('textbox', { name: 'Your message' })));
  expect(dialog).toBeTruthy();
});
