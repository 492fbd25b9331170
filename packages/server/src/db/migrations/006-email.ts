// Shipped migrations are never edited: a change is a new file (docs/operations.md).
// Owned by the e-mail channel (channels/email).
export const email = `
-- Every Message-ID the e-mail channel has seen or sent, per site: a customer's answer
-- names ours in In-Reply-To / References, and that is how it finds its conversation.
create table email_messages (
  site_id      text not null references sites(id),
  message_id   text not null,
  direction    text not null check (direction in ('in', 'out')),
  thread_id    uuid not null references threads(id),
  contact_id   uuid not null references contacts(id),
  item_id      uuid not null references timeline_items(id),
  subject      text,
  created_at   timestamptz not null default now(),
  primary key (site_id, message_id)
);
create index email_messages_by_item on email_messages(item_id);
`;
