// Shipped migrations are never edited: a change is a new file (docs/operations.md).
// Owned by the channel that needs it; empty statements are valid until it adds tables.
export const whatsapp = `
-- WhatsApp statuses[] (sent/delivered/read/failed) name our reply by the wamid the send
-- call returned, stored as payload.delivery.externalId (channels/whatsapp/delivery-statuses.ts).
create index timeline_whatsapp_wamid on timeline_items(site_id, (payload->'delivery'->>'externalId'))
  where channel = 'whatsapp' and direction = 'out';
`;
