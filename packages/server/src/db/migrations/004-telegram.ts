// Shipped migrations are never edited: a change is a new file (docs/operations.md).
// Owned by the channel that needs it; empty statements are valid until it adds tables.
export const telegram = `
-- "Continue in Telegram" deep links (channels/telegram/deep-links.ts): one row per
-- one-time token a web visitor asked for. Only the SHA-256 of the token is kept, so a
-- database dump cannot be replayed into /start commands.
create table telegram_link_tokens (
  token_hash   text primary key,
  site_id      text not null references sites(id),
  visitor_id   text not null,
  expires_at   timestamptz not null,
  used_at      timestamptz,
  used_by      text,
  created_at   timestamptz not null default now()
);
create index telegram_link_tokens_expiry on telegram_link_tokens(site_id, expires_at);
`;
