// One timeline item as the agent reads it: channel, who, what, and for a reply to a
// messenger, whether it reached the customer. Every value from the server is set as
// text (textContent), never parsed as HTML: customers write whatever they like.
import { channelLabel } from './channels';

export interface Item {
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

/** `payload.delivery` of a reply to a messenger (channel-replies.ts, DeliveryState). */
interface Delivery {
  state: 'queued' | 'sent' | 'delivered' | 'read' | 'failed';
  at?: string;
  error?: string;
}

interface Attachment {
  fileName?: string;
  mimeType?: string;
  sizeBytes?: number;
}

interface LeadPayload {
  kind?: string;
  name?: string;
  phone?: string;
  phoneE164?: string;
  email?: string;
  emailNormalized?: string;
  message?: string;
  preferredTime?: { from: string; to: string };
}

const DELIVERY_LABELS: Readonly<Record<Delivery['state'], string>> = { queued: 'sending', sent: 'sent', delivered: 'delivered', read: 'read', failed: 'failed' };
const LEAD_KINDS: Readonly<Record<string, string>> = { callback: 'Callback request', form: 'Lead form', 'offline-message': 'Offline message' };

function element<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

const when = (iso: string) => new Date(iso).toLocaleString();

function leadLines(lead: LeadPayload): string[] {
  const phone = lead.phoneE164 ?? (lead.phone ? `${lead.phone} (not a valid number)` : undefined);
  const email = lead.emailNormalized ?? (lead.email ? `${lead.email} (not a valid address)` : undefined);
  return [
    `${LEAD_KINDS[lead.kind ?? ''] ?? `Lead (${lead.kind ?? 'unknown'})`}${lead.name ? ` from ${lead.name}` : ''}`,
    ...(phone ? [`Phone: ${phone}`] : []),
    ...(email ? [`E-mail: ${email}`] : []),
    ...(lead.preferredTime ? [`Preferred time: ${when(lead.preferredTime.from)} – ${when(lead.preferredTime.to)}`] : []),
    ...(lead.message ? [`Message: ${lead.message}`] : []),
  ];
}

function attachmentText(attachment: Attachment): string {
  const size = attachment.sizeBytes === undefined ? undefined : attachment.sizeBytes < 1024 ? `${attachment.sizeBytes} B` : `${Math.round(attachment.sizeBytes / 1024)} KB`;
  const details = [attachment.mimeType, size].filter(Boolean).join(', ');
  return `Attachment: ${attachment.fileName ?? 'unnamed file'}${details ? ` (${details})` : ''}`;
}

/** A reply's delivery line with, when it failed, a Retry button for its job. */
function deliveryLine(delivery: Delivery, jobId: string | undefined, retry: (jobId: string) => void): HTMLElement {
  const line = element('p', 'delivery');
  line.dataset.state = delivery.state;
  const label = DELIVERY_LABELS[delivery.state] ?? delivery.state;
  line.append(element('span', undefined, `Delivery: ${label}${delivery.state === 'failed' && delivery.error ? ` — ${delivery.error}` : ''}`));
  if (delivery.state === 'failed' && jobId) {
    const button = element('button', undefined, 'Retry');
    button.type = 'button';
    button.addEventListener('click', () => {
      button.disabled = true;
      retry(jobId);
    });
    line.append(' ', button);
  }
  return line;
}

/** The list item for one timeline item; `retry` re-sends a failed reply's job. */
export function renderItem(item: Item, retry: (jobId: string) => void): HTMLLIElement {
  const row = element('li');
  row.dataset.direction = item.direction;
  row.dataset.type = item.type;
  const meta = element('div', 'meta');
  const badge = element('span', 'channel', channelLabel(item.channel));
  badge.dataset.channel = item.channel;
  meta.append(badge, ` #${item.seq} · ${item.author.name ?? item.author.kind} · ${when(item.createdAt)}`);
  row.append(meta);
  if (item.type === 'lead') {
    for (const line of leadLines(item.payload as LeadPayload)) row.append(element('div', undefined, line));
  } else if (item.text) {
    row.append(element('div', 'text', item.text));
  }
  const attachments = Array.isArray(item.payload.attachments) ? (item.payload.attachments as Attachment[]) : [];
  for (const attachment of attachments) row.append(element('div', 'attachment', attachmentText(attachment)));
  const delivery = item.payload.delivery as Delivery | undefined;
  if (item.direction === 'out' && delivery) row.append(deliveryLine(delivery, typeof item.payload.jobId === 'string' ? item.payload.jobId : undefined, retry));
  return row;
}
