// Shipped migrations are never edited: a change is a new file (docs/operations.md).
// Owned by the channel that needs it; empty statements are valid until it adds tables.
export const telegram = `
select 1;
`;
