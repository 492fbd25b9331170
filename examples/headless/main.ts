// A custom UI on the headless client, without a framework: a callback form and a
// chat box. The in-memory backend plays the server, and an "agent" answers.
// `npm start` serves it at /examples/headless/.
import { createClient, createMemoryAdapter, type Author, type ChatItem } from '@threadline/core';

const backend = createMemoryAdapter({ latencyMs: 300 });
// `storage: 'memory'` leaves the browser's storage alone: this backend forgets
// everything on reload, so a durable local copy would only disagree with it.
const client = createClient({ site: 'demo', adapter: backend, platform: { storage: 'memory' } });

const element = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;

// --- The "agent": says it is typing, then answers each message the server accepted.
const agent: Author = { kind: 'agent', name: 'Ann' };
backend.push({ type: 'presence', agentsOnline: 1 });
client.on('message:sent', ({ seq }) => {
  backend.push({ type: 'typing', typing: true, author: agent });
  setTimeout(() => backend.reply(`Thanks, got it (message #${seq}). How can I help?`, agent), 1000);
});

// --- Connection and outbox: writes made "offline" wait, and go out when it is back.
element<HTMLInputElement>('offline').addEventListener('change', (event) => {
  backend.setOffline((event.target as HTMLInputElement).checked);
});
client.pending.subscribe((entries) => {
  const waiting = entries.filter((entry) => entry.status === 'pending').length;
  element('pending').textContent = waiting > 0 ? `${waiting} write(s) stored, waiting to be sent` : '';
});

// --- Callback form.
const callbackForm = element<HTMLFormElement>('callback-form');
const callbackStatus = element('callback-status');
callbackForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  for (const input of callbackForm.querySelectorAll('input')) input.removeAttribute('aria-invalid');
  const data = new FormData(callbackForm);
  const name = String(data.get('name') ?? '').trim();
  const phone = String(data.get('phone') ?? '').trim();
  // Empty inputs are left out, so that the SDK says what is missing ("phone is required...").
  const result = await client.submitLead({ kind: 'callback', ...(phone ? { phone } : {}), ...(name ? { name } : {}) });
  if (!result.ok) {
    // `field` names the offending input ("phone"); `message` says what is wrong with it.
    const input = result.error.field ? callbackForm.elements.namedItem(result.error.field) : null;
    if (input instanceof HTMLInputElement) {
      input.setAttribute('aria-invalid', 'true');
      input.focus();
    }
    callbackStatus.textContent = result.error.message;
    return;
  }
  // Stored in the outbox: it is safe now, even if the network is down.
  callbackForm.reset();
  callbackStatus.textContent = 'Saved. Sending…';
});
client.on('lead:sent', () => {
  callbackStatus.textContent = 'Thank you! We will call you back shortly.';
});
client.on('lead:failed', ({ error }) => {
  callbackStatus.textContent = `The server refused the request: ${error.message}`;
});

// --- Chat.
client.open('chat'); // The chat is always on screen here, so nothing counts as unread.
const log = element<HTMLOListElement>('chat-log');

function renderItem(item: ChatItem): HTMLLIElement {
  const row = document.createElement('li');
  row.dataset.author = item.author.kind;
  const text = document.createElement('div');
  const who = item.author.kind === 'visitor' ? 'You' : (item.author.name ?? 'Agent');
  // textContent, never innerHTML: message text is shown as typed, never parsed as HTML.
  text.textContent = `${who}: ${item.text}`;
  row.append(text);
  if (item.author.kind === 'visitor') {
    const meta = document.createElement('span');
    meta.className = 'meta';
    meta.textContent = item.status === 'failed' ? `not sent: ${item.error?.message ?? 'refused'}` : item.status;
    row.append(meta);
    const clientId = item.clientId;
    if (item.status === 'failed' && clientId) {
      const retry = document.createElement('button');
      retry.type = 'button';
      retry.textContent = 'Retry';
      retry.addEventListener('click', () => void client.chat.retry(clientId));
      row.append(' ', retry);
    }
  }
  return row;
}

// `subscribe` calls back at once with the current value, then on every change.
client.chat.messages.subscribe((items) => {
  log.replaceChildren(...items.map(renderItem));
  log.scrollTop = log.scrollHeight;
});
client.chat.agentTyping.subscribe((author) => {
  const typing = element('chat-typing');
  typing.hidden = !author;
  typing.textContent = author ? `${author.name ?? 'Agent'} is typing…` : '';
});
client.chat.agentsOnline.subscribe((count) => {
  element('chat-presence').textContent = count === undefined ? '' : `${count} agent(s) online`;
});

const chatForm = element<HTMLFormElement>('chat-form');
const chatInput = chatForm.elements.namedItem('text') as HTMLInputElement;
chatForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  const result = await client.chat.send(chatInput.value);
  element('chat-error').textContent = result.ok ? '' : result.error.message;
  if (result.ok) chatInput.value = '';
});
