// Shipped migrations are never edited: a change is a new file (docs/operations.md).
// Outgoing webhooks, CRM pushes and SMS notices (integrations/): what was tried, and what stopped.
export const outboundWebhooks = `
-- One row per delivery attempt of an outgoing webhook (the log agents read at /api/v1/webhooks/deliveries).
create table webhook_deliveries (
  id                uuid primary key,
  site_id           text not null references sites(id),
  endpoint_id       text not null,
  message_id        text not null,
  event_type        text not null,
  attempt           int not null,
  status_code       int,
  response_excerpt  text,
  error             text,
  duration_ms       int not null,
  delivered         boolean not null,
  created_at        timestamptz not null default now()
);
create index webhook_deliveries_by_site on webhook_deliveries(site_id, created_at desc);
create index webhook_deliveries_by_message on webhook_deliveries(message_id, created_at);

-- An endpoint that answered 410 Gone gets nothing more until an agent redelivers to it.
create table webhook_disabled_endpoints (
  site_id      text not null references sites(id),
  endpoint_id  text not null,
  reason       text not null,
  disabled_at  timestamptz not null default now(),
  primary key (site_id, endpoint_id)
);

-- A lead already created in a CRM: a retried job (at-least-once) does not create it twice.
create table crm_pushes (
  site_id      text not null references sites(id),
  item_id      uuid not null references timeline_items(id),
  crm          text not null,
  external_id  text not null,
  -- amoCRM takes the visitor's message as a note, a second call after the lead exists.
  note_pending boolean not null default false,
  pushed_at    timestamptz not null default now(),
  primary key (site_id, item_id, crm)
);
`;
