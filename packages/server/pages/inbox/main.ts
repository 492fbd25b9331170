// A small inbox on the agent API (docs/api.md, docs/channels.md "In the inbox"): sign in,
// find a thread by name, phone or e-mail, read the timeline across channels, reply in the
// customer's channel, watch each messenger reply's delivery and retry failed ones.
// Polls every 3 s (the full inbox will listen on the /agent socket instead).
import { isSignedIn, onSignedOut, request, signIn, signOut } from './api';
import { channelLabel, defaultChannel, reachableChannels, refusalText, type Identity, type WebVisitor } from './channels';
import { renderDeadJobs, type DeadJob } from './failed-deliveries';
import { renderItem, type Item } from './timeline-item';

interface ThreadSummary {
  id: string;
  status: string;
  lastInboundChannel: string | null;
  contact: { name: string | null; identities: Identity[] };
}
interface ThreadDetail {
  thread: { id: string; lastInboundChannel: string | null };
  contact: { name: string | null; identities: Identity[]; visitors: WebVisitor[] };
  items: Item[];
}

const byId = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const replyForm = byId<HTMLFormElement>('reply');
const channelSelect = byId<HTMLSelectElement>('reply-channel');
const replyText = byId<HTMLInputElement>('reply-text');
let current: string | undefined;
// What is on screen, so that a poll that changes nothing leaves focus and buttons alone.
let shownThread = '';
let shownChannels = '';
let poll: ReturnType<typeof setInterval> | undefined;

const identityText = (identity: Identity) => `${channelLabel(identity.kind)} ${identity.value} (${identity.verified ? 'verified' : 'unverified'})`;

function listItem(text: string, verified?: boolean): HTMLLIElement {
  const row = document.createElement('li');
  row.textContent = text;
  if (verified !== undefined) row.dataset.verified = String(verified);
  return row;
}

async function loadThreads(): Promise<void> {
  const query = byId<HTMLInputElement>('search').value.trim();
  const result = await request<{ items: ThreadSummary[] }>(`/api/v1/threads${query ? `?query=${encodeURIComponent(query)}` : ''}`);
  if (!result.ok) return;
  byId('threads').replaceChildren(
    ...result.body.items.map((thread) => {
      const button = document.createElement('button');
      button.type = 'button';
      button.setAttribute('aria-current', String(thread.id === current));
      const channel = document.createElement('span');
      channel.className = 'channel';
      channel.dataset.channel = thread.lastInboundChannel ?? 'web';
      channel.textContent = channelLabel(thread.lastInboundChannel ?? 'web');
      const who = document.createElement('span');
      who.textContent = ` ${thread.contact.name ?? 'Visitor'} (${thread.status})`;
      const identities = document.createElement('span');
      identities.className = 'meta';
      identities.textContent = thread.contact.identities.map(identityText).join(' · ') || 'anonymous';
      button.append(channel, who, document.createElement('br'), identities);
      button.addEventListener('click', () => {
        current = thread.id;
        shownThread = '';
        shownChannels = '';
        replyText.value = '';
        byId('reply-error').textContent = '';
        void loadThread();
        void loadThreads();
      });
      const row = document.createElement('li');
      row.append(button);
      return row;
    }),
  );
}

function showChannels(detail: ThreadDetail): void {
  const reachable = reachableChannels(detail.contact.identities, detail.items);
  const key = reachable.join();
  if (key === shownChannels) return;
  shownChannels = key;
  // Keep the agent's pick while it stays possible; otherwise where the customer wrote last.
  const picked = reachable.includes(channelSelect.value) ? channelSelect.value : defaultChannel(reachable, detail.thread.lastInboundChannel);
  channelSelect.replaceChildren(
    ...reachable.map((channel) => {
      const option = document.createElement('option');
      option.value = channel;
      option.textContent = channelLabel(channel);
      return option;
    }),
  );
  if (picked) channelSelect.value = picked;
}

async function loadThread(): Promise<void> {
  if (!current) return;
  const result = await request<ThreadDetail>(`/api/v1/threads/${current}`);
  if (!result.ok) return;
  const detail = result.body;
  const snapshot = JSON.stringify(detail);
  if (snapshot === shownThread) return;
  shownThread = snapshot;
  byId('thread-title').textContent = detail.contact.name ?? 'Visitor';
  byId('identities').replaceChildren(
    ...detail.contact.identities.map((identity) => listItem(identityText(identity), identity.verified)),
    // A browser that only typed a phone or e-mail proved nothing: it reads only its own messages.
    ...detail.contact.visitors.map((visitor) =>
      listItem(`Web browser ${visitor.id.slice(0, 8)} (${visitor.access === 'contact' ? 'verified' : 'unverified: sees only its own messages'})`, visitor.access === 'contact'),
    ),
  );
  byId('timeline').replaceChildren(...detail.items.map((item) => renderItem(item, (jobId) => void retryJob(jobId, 'reply-error'))));
  showChannels(detail);
  replyForm.hidden = false;
}

async function loadDeadJobs(): Promise<void> {
  const section = byId('failed');
  if (section.hidden) return;
  const result = await request<{ items: DeadJob[] }>('/api/v1/jobs?state=dead');
  const status = byId('failed-error');
  if (!result.ok) {
    status.textContent = `Could not load failed deliveries: ${result.error.message}.`;
    return;
  }
  status.textContent = '';
  byId('failed-list').replaceChildren(...renderDeadJobs(result.body.items, (jobId) => void retryJob(jobId, 'failed-error')));
}

/** Re-queues a dead job; a refusal is shown in `statusId`, next to the button that was pressed. */
async function retryJob(jobId: string, statusId: 'reply-error' | 'failed-error'): Promise<void> {
  const result = await request(`/api/v1/jobs/${jobId}/retry`, { method: 'POST' });
  byId(statusId).textContent = result.ok ? '' : `Retry refused: ${result.error.message}.`;
  shownThread = ''; // redraw even if nothing changed, to give back a disabled Retry button
  await Promise.all([loadThread(), loadDeadJobs()]);
}

function refresh(): void {
  void loadThreads();
  void loadThread();
  void loadDeadJobs();
}

function start(): void {
  byId('login').hidden = true;
  byId('inbox').hidden = false;
  refresh();
  poll ??= setInterval(refresh, 3000);
}

onSignedOut(() => {
  clearInterval(poll);
  poll = undefined;
  byId('inbox').hidden = true;
  byId('login').hidden = false;
});

byId<HTMLFormElement>('login').addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = new FormData(event.target as HTMLFormElement);
  const result = await request<{ token: string }>('/api/v1/auth/login', { method: 'POST', body: { email: form.get('email'), password: form.get('password') } });
  if (!result.ok) {
    byId('login-error').textContent = result.error.message;
    return;
  }
  signIn(result.body.token);
  start();
});

replyForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  const error = byId('reply-error');
  const result = await request(`/api/v1/threads/${current}/messages`, { method: 'POST', body: { text: replyText.value, ...(channelSelect.value ? { channel: channelSelect.value } : {}) } });
  if (!result.ok) {
    // The typed text stays in the box: the agent may switch channel and send it again.
    error.textContent = refusalText(result.error);
    return;
  }
  replyText.value = '';
  error.textContent = '';
  await loadThread();
});

byId('search').addEventListener('input', () => void loadThreads());
byId('show-failed').addEventListener('click', (event) => {
  const section = byId('failed');
  section.hidden = !section.hidden;
  (event.currentTarget as HTMLElement).setAttribute('aria-expanded', String(!section.hidden));
  void loadDeadJobs();
});
byId('sign-out').addEventListener('click', () => signOut());

if (isSignedIn()) start();
