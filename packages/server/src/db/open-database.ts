import type { Database } from './database';
import { migrate } from './migrate';
import { createPgliteDatabase } from './pglite-database';
import { createPostgresDatabase } from './postgres-database';

/** Where the data lives: a real server when `databaseUrl` is set, else PGlite in `dataDir` (in memory when absent). */
export interface DatabaseOptions {
  databaseUrl?: string;
  dataDir?: string;
}

/** Opens the database and applies pending migrations. */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  const database = options.databaseUrl ? await createPostgresDatabase(options.databaseUrl) : await createPgliteDatabase(options.dataDir);
  await migrate(database);
  return database;
}
