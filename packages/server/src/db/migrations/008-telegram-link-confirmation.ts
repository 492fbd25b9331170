// Shipped migrations are never edited: a change is a new file (docs/operations.md).
// "Continue in Telegram" asks the Telegram user before linking (channels/telegram/deep-links.ts):
// `/start <token>` only offers the link to that user; their "Yes" button links.
export const telegramLinkConfirmation = `
-- offer_id goes out as the buttons' callback_data; offered_to is the Telegram user who
-- pressed Start, the only one whose answer counts (a client can send any callback_data).
alter table telegram_link_tokens add column offer_id text unique;
alter table telegram_link_tokens add column offered_to text;
alter table telegram_link_tokens add column offered_at timestamptz;
alter table telegram_link_tokens add column declined_at timestamptz;
`;
