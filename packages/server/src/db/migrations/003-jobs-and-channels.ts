// Shipped migrations are never edited: a change is a new file (docs/operations.md).
export const jobsAndChannels = `
-- The durable job queue (jobs/job-queue.ts): every call to a provider goes through it.
create table jobs (
  id            uuid primary key,
  site_id       text references sites(id),
  kind          text not null,
  payload       jsonb not null default '{}',
  state         text not null default 'queued' check (state in ('queued', 'running', 'done', 'dead')),
  attempts      int not null default 0,
  max_attempts  int not null default 8,
  run_at        timestamptz not null default now(),
  locked_until  timestamptz,
  last_error    text,
  dedupe_key    text,
  created_at    timestamptz not null default now(),
  updated_at    timestamptz not null default now()
);
create index jobs_due on jobs(run_at) where state in ('queued', 'running');
create unique index jobs_dedupe on jobs(dedupe_key) where dedupe_key is not null;
create index jobs_by_state on jobs(site_id, state, updated_at desc);

-- Inbound deliveries already processed (Telegram update_id, WhatsApp message id, e-mail Message-ID):
-- providers deliver at least once.
create table channel_receipts (
  site_id      text not null references sites(id),
  channel      text not null,
  external_id  text not null,
  received_at  timestamptz not null default now(),
  primary key (site_id, channel, external_id)
);

-- Files that arrive through a channel (photos, documents, e-mail attachments).
create table attachments (
  id            uuid primary key,
  site_id       text not null references sites(id),
  item_id       uuid not null references timeline_items(id),
  channel       text not null,
  file_name     text,
  mime_type     text,
  size_bytes    bigint,
  external_ref  text,
  content       bytea,
  created_at    timestamptz not null default now()
);
create index attachments_by_item on attachments(item_id);
`;
