// A minimal inbox on the agent API (docs/api.md): sign in, find a thread by name,
// phone or e-mail, read the whole timeline across channels, reply. Polls every 3 s.
interface Identity {
  kind: string;
  value: string;
  verified: boolean;
}
interface ThreadSummary {
  id: string;
  status: string;
  lastItemAt: string | null;
  contact: { name: string | null; identities: Identity[] };
}
interface Item {
  id: string;
  seq: number;
  type: string;
  channel: string;
  direction: string;
  author: { kind: string; name: string | null };
  text: string | null;
  payload: Record<string, unknown>;
  createdAt: string;
}

const element = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
let token = sessionStorage.getItem('threadline:agent-token');
let current: string | undefined;

async function api<T>(path: string, init: RequestInit = {}): Promise<T> {
  const response = await fetch(path, { ...init, headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) } });
  const body = (await response.json()) as T & { error?: { message: string } };
  if (response.status === 401 && path !== '/api/v1/auth/login') signOut();
  if (!response.ok) throw new Error(body.error?.message ?? `HTTP ${response.status}`);
  return body;
}

function signOut(): void {
  token = null;
  sessionStorage.removeItem('threadline:agent-token');
  element('inbox').hidden = true;
  element('login').hidden = false;
}

const describe = (identities: Identity[]) => identities.map((identity) => `${identity.kind} ${identity.value}${identity.verified ? ' ✓' : ''}`).join(' · ');

async function loadThreads(): Promise<void> {
  const query = element<HTMLInputElement>('search').value.trim();
  const { items } = await api<{ items: ThreadSummary[] }>(`/api/v1/threads${query ? `?query=${encodeURIComponent(query)}` : ''}`);
  element('threads').replaceChildren(
    ...items.map((thread) => {
      const row = document.createElement('li');
      const button = document.createElement('button');
      button.type = 'button';
      button.setAttribute('aria-current', String(thread.id === current));
      button.textContent = `${thread.contact.name ?? 'Visitor'} — ${describe(thread.contact.identities) || 'anonymous'} (${thread.status})`;
      button.addEventListener('click', () => {
        current = thread.id;
        void loadThread();
        void loadThreads();
      });
      row.append(button);
      return row;
    }),
  );
}

function itemText(item: Item): string {
  if (item.type === 'lead') {
    const lead = item.payload as { kind?: string; phone?: string; email?: string; phoneE164?: string; emailNormalized?: string; name?: string; message?: string; invalidFields?: string[] };
    const phone = lead.phoneE164 ?? (lead.phone ? `${lead.phone} (not a valid number)` : undefined);
    const email = lead.emailNormalized ?? (lead.email ? `${lead.email} (not a valid address)` : undefined);
    return `Lead (${lead.kind}): ${[lead.name, phone, email, lead.message].filter(Boolean).join(', ')}`;
  }
  return item.text ?? '';
}

async function loadThread(): Promise<void> {
  if (!current) return;
  const detail = await api<{ contact: { name: string | null; identities: Identity[] }; items: Item[] }>(`/api/v1/threads/${current}`);
  element('thread-title').textContent = detail.contact.name ?? 'Visitor';
  element('identities').textContent = describe(detail.contact.identities);
  element('timeline').replaceChildren(
    ...detail.items.map((item) => {
      const row = document.createElement('li');
      row.dataset.direction = item.direction;
      row.dataset.type = item.type;
      const meta = document.createElement('div');
      meta.className = 'meta';
      meta.textContent = `#${item.seq} · ${item.channel} · ${item.author.name ?? item.author.kind} · ${new Date(item.createdAt).toLocaleString()}`;
      const text = document.createElement('div');
      // textContent: visitor text is shown as text, never interpreted as HTML.
      text.textContent = itemText(item);
      row.append(meta, text);
      return row;
    }),
  );
  element('reply').hidden = false;
}

element<HTMLFormElement>('login').addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = new FormData(event.target as HTMLFormElement);
  try {
    const result = await api<{ token: string }>('/api/v1/auth/login', { method: 'POST', body: JSON.stringify({ email: form.get('email'), password: form.get('password') }) });
    token = result.token;
    sessionStorage.setItem('threadline:agent-token', token);
    start();
  } catch (error) {
    element('login-error').textContent = (error as Error).message;
  }
});

element<HTMLFormElement>('reply').addEventListener('submit', async (event) => {
  event.preventDefault();
  const input = (event.target as HTMLFormElement).elements.namedItem('text') as HTMLInputElement;
  try {
    await api(`/api/v1/threads/${current}/messages`, { method: 'POST', body: JSON.stringify({ text: input.value }) });
    input.value = '';
    element('reply-error').textContent = '';
    await loadThread();
  } catch (error) {
    element('reply-error').textContent = (error as Error).message;
  }
});
element('search').addEventListener('input', () => void loadThreads());

function start(): void {
  element('login').hidden = true;
  element('inbox').hidden = false;
  void loadThreads();
  setInterval(() => {
    if (!token) return;
    void loadThreads();
    void loadThread();
  }, 3000);
}
if (token) start();
