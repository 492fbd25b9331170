// Shipped migrations are never edited: a change is a new file (docs/operations.md).
export const initial = `
create table server_settings (
  key         text primary key,
  value       text not null
);

create table sites (
  id               text primary key,
  name             text not null,
  allowed_origins  text[] not null default '{}',
  secret           text not null,
  default_country  text,
  config           jsonb not null default '{}',
  settings         jsonb not null default '{}',
  created_at       timestamptz not null default now()
);

create table contacts (
  id           uuid primary key,
  site_id      text not null references sites(id),
  name         text,
  attributes   jsonb not null default '{}',
  trust        smallint not null default 0,
  merged_into  uuid references contacts(id),
  created_at   timestamptz not null default now(),
  updated_at   timestamptz not null default now()
);
create index contacts_live on contacts(site_id) where merged_into is null;

create table identities (
  id           uuid primary key,
  site_id      text not null references sites(id),
  contact_id   uuid not null references contacts(id),
  kind         text not null check (kind in ('visitor', 'user_id', 'email', 'phone', 'telegram', 'whatsapp')),
  value        text not null,
  raw_value    text,
  verified     boolean not null default false,
  verified_via text,
  created_at   timestamptz not null default now(),
  unique (site_id, kind, value)
);
create index identities_by_contact on identities(contact_id);

create table visitors (
  site_id      text not null references sites(id),
  id           text not null,
  contact_id   uuid not null references contacts(id),
  access       text not null default 'own' check (access in ('own', 'contact')),
  first_touch  jsonb,
  last_touch   jsonb,
  created_at   timestamptz not null default now(),
  last_seen_at timestamptz not null default now(),
  primary key (site_id, id)
);
create index visitors_by_contact on visitors(contact_id);

create table agents (
  id            uuid primary key,
  email         text not null unique,
  name          text not null,
  password_hash text not null,
  role          text not null default 'agent' check (role in ('admin', 'agent')),
  created_at    timestamptz not null default now()
);

create table threads (
  id                   uuid primary key,
  site_id              text not null references sites(id),
  contact_id           uuid not null references contacts(id),
  status               text not null default 'open' check (status in ('open', 'closed')),
  last_seq             bigint not null default 0,
  last_item_at         timestamptz,
  last_inbound_channel text,
  assignee_id          uuid references agents(id),
  merged_into          uuid references threads(id),
  created_at           timestamptz not null default now(),
  updated_at           timestamptz not null default now()
);
-- One customer, one thread: at most one open thread per contact.
create unique index threads_one_open on threads(contact_id) where status = 'open' and merged_into is null;
create index threads_by_site on threads(site_id, last_item_at desc);

create table timeline_items (
  id           uuid primary key,
  site_id      text not null references sites(id),
  thread_id    uuid not null references threads(id),
  seq          bigint not null,
  type         text not null check (type in ('message', 'lead', 'event')),
  channel      text not null,
  direction    text not null check (direction in ('in', 'out', 'system')),
  visitor_id   text,
  author_kind  text not null check (author_kind in ('contact', 'agent', 'bot', 'system')),
  author_id    uuid,
  author_name  text,
  body         text,
  payload      jsonb not null default '{}',
  client_id    text,
  external_id  text,
  created_at   timestamptz not null default now(),
  unique (thread_id, seq)
);
create unique index timeline_client_id on timeline_items(site_id, client_id) where client_id is not null;
create unique index timeline_external_id on timeline_items(site_id, external_id) where external_id is not null;
create index timeline_by_visitor on timeline_items(site_id, visitor_id) where visitor_id is not null;

create table contact_merges (
  id               uuid primary key,
  site_id          text not null references sites(id),
  winner_id        uuid not null references contacts(id),
  loser_id         uuid not null references contacts(id),
  identity_kind    text not null,
  identity_value   text not null,
  reason           text not null,
  evidence         jsonb not null default '{}',
  created_at       timestamptz not null default now()
);

create table merge_suggestions (
  id            uuid primary key,
  site_id       text not null references sites(id),
  a_contact_id  uuid not null references contacts(id),
  b_contact_id  uuid not null references contacts(id),
  reason        text not null,
  evidence      jsonb not null default '{}',
  state         text not null default 'open' check (state in ('open', 'accepted', 'rejected')),
  created_at    timestamptz not null default now()
);

-- Idempotency of writes that are not timeline items (identify calls).
create table processed_requests (
  site_id     text not null references sites(id),
  client_id   text not null,
  response    jsonb not null,
  created_at  timestamptz not null default now(),
  primary key (site_id, client_id)
);
`;
