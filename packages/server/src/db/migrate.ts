import type { Database } from './database';
import { initial } from './migrations/001-initial';
import { mergeSuggestionPairs } from './migrations/002-merge-suggestion-pairs';
import { jobsAndChannels } from './migrations/003-jobs-and-channels';
import { telegram } from './migrations/004-telegram';
import { whatsapp } from './migrations/005-whatsapp';
import { email } from './migrations/006-email';
import { outboundWebhooks } from './migrations/007-outbound-webhooks';
import { telegramLinkConfirmation } from './migrations/008-telegram-link-confirmation';

/** Every migration ever shipped, in order. Append only. */
export const MIGRATIONS: readonly { version: number; name: string; sql: string }[] = [
  { version: 1, name: 'initial', sql: initial },
  { version: 2, name: 'merge-suggestion-pairs', sql: mergeSuggestionPairs },
  { version: 3, name: 'jobs-and-channels', sql: jobsAndChannels },
  { version: 4, name: 'telegram', sql: telegram },
  { version: 5, name: 'whatsapp', sql: whatsapp },
  { version: 6, name: 'email', sql: email },
  { version: 7, name: 'outbound-webhooks', sql: outboundWebhooks },
  { version: 8, name: 'telegram-link-confirmation', sql: telegramLinkConfirmation },
];

// Two server processes starting together on one Postgres must not both migrate.
const MIGRATION_LOCK = 727_001;

/** Applies pending migrations, each in its own transaction; returns the versions applied. */
export async function migrate(database: Database): Promise<number[]> {
  // The lock comes first: even `create table if not exists` races on an empty database.
  return database.withExclusiveLock(MIGRATION_LOCK, async () => {
    await database.query('create table if not exists schema_migrations (version int primary key, name text not null, applied_at timestamptz not null default now())');
    const applied: number[] = [];
    const done = new Set((await database.query<{ version: number }>('select version from schema_migrations')).rows.map((row) => row.version));
    for (const migration of MIGRATIONS) {
      if (done.has(migration.version)) continue;
      await database.transaction(async (tx) => {
        await tx.exec(migration.sql);
        await tx.query('insert into schema_migrations (version, name) values ($1, $2)', [migration.version, migration.name]);
      });
      applied.push(migration.version);
    }
    return applied;
  });
}
