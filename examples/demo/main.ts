// The demo site's own script: page buttons that open the widgets and a line that
// shows the tag's events, all through the `threadline(...)` command API
// (docs/embed.md). The script tag itself is in index.html.
import type { ThreadlineGlobal } from '@threadline/embed';

const global = window as unknown as { threadline?: ThreadlineGlobal };
// The stub: calls made before threadline.js has arrived wait in `threadline.q`.
const threadline: ThreadlineGlobal =
  global.threadline ??
  (global.threadline = Object.assign((...call: unknown[]) => void (threadline.q as unknown[][]).push(call), { q: [] as unknown[][] }) as ThreadlineGlobal);

for (const button of document.querySelectorAll<HTMLButtonElement>('[data-open]')) {
  button.addEventListener('click', () => global.threadline!('open', button.dataset.open as 'chat' | 'callback' | 'form'));
}

const status = document.getElementById('events')!;
threadline('on', 'lead', () => (status.textContent = 'Thank you! Your request reached the shop.'));
threadline('on', 'message', ({ message }: { message: { author: { kind: string; name?: string } } }) => {
  if (message.author.kind !== 'visitor') status.textContent = `New reply from ${message.author.name ?? 'the shop'}.`;
});
