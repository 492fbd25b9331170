// The demo site served by `npm start`: a callback form and a chat on the headless
// client, talking to the Threadline server of this page's origin. (The drop-in
// widgets replace this page's hand-made UI once the widgets package lands.)
// The socket adapter sends leads over HTTP and opens its socket (loading
// socket.io-client) only when the chat is used.
import { createSocketAdapter } from '@threadline/adapter-socket';
import { createClient, type ChatItem } from '@threadline/core';

const client = createClient({ site: 'demo', adapter: createSocketAdapter({ endpoint: location.origin }), debug: true });
const element = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;

const callbackForm = element<HTMLFormElement>('callback-form');
callbackForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  const data = new FormData(callbackForm);
  const name = String(data.get('name') ?? '').trim();
  for (const input of callbackForm.querySelectorAll('input')) input.removeAttribute('aria-invalid');
  const result = await client.submitLead({ kind: 'callback', phone: String(data.get('phone') ?? ''), ...(name ? { name } : {}) });
  const status = element('callback-status');
  if (!result.ok) {
    const input = result.error.field ? callbackForm.elements.namedItem(result.error.field) : null;
    if (input instanceof HTMLInputElement) input.setAttribute('aria-invalid', 'true');
    status.textContent = result.error.message;
    return;
  }
  callbackForm.reset();
  status.textContent = 'Saved — sending…';
});
client.on('lead:sent', () => (element('callback-status').textContent = 'Thank you! We will call you back shortly.'));
client.on('lead:failed', ({ error }) => (element('callback-status').textContent = `Not accepted: ${error.message}`));

client.open('chat');
function render(items: ChatItem[]): void {
  const log = element<HTMLOListElement>('chat-log');
  log.replaceChildren(
    ...items.map((item) => {
      const row = document.createElement('li');
      row.dataset.author = item.author.kind;
      // textContent, never innerHTML: what people type is shown as text.
      row.textContent = `${item.author.kind === 'visitor' ? 'You' : (item.author.name ?? 'Agent')}: ${item.text}`;
      const meta = document.createElement('span');
      meta.className = 'meta';
      meta.textContent = item.author.kind === 'visitor' ? item.status : '';
      row.append(meta);
      return row;
    }),
  );
  log.scrollTop = log.scrollHeight;
}
client.chat.messages.subscribe(render);
client.pending.subscribe((entries) => {
  const waiting = entries.filter((entry) => entry.status === 'pending').length;
  element('pending').textContent = waiting ? `${waiting} waiting to be sent (they will go out when the connection is back)` : '';
});

const chatForm = element<HTMLFormElement>('chat-form');
chatForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  const input = chatForm.elements.namedItem('text') as HTMLInputElement;
  const result = await client.chat.send(input.value);
  if (result.ok) input.value = '';
});

// Catch up with what arrived while the page was closed; this opens the live connection.
void client.ready.then(() => client.chat.loadHistory());
