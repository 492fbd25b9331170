import { PGlite } from '@electric-sql/pglite';
import type { Database, Queryable } from './database';
import { lockDataFolder } from './data-folder-lock';

/**
 * Embedded Postgres in a data folder (or in memory when `dataDir` is undefined).
 * PGlite has one connection, so transactions run one at a time: correct, and
 * plenty for a single small site; production uses `DATABASE_URL`.
 */
export async function createPgliteDatabase(dataDir?: string): Promise<Database> {
  const unlock = dataDir ? await lockDataFolder(dataDir) : async () => {};
  const pglite = dataDir ? new PGlite(dataDir) : new PGlite();
  try {
    await pglite.waitReady;
  } catch (error) {
    await unlock();
    throw error;
  }
  const run: Queryable['query'] = async (sql, params) => pglite.query(sql, params as unknown[]) as never;
  return {
    kind: 'pglite',
    query: run,
    exec: async (sql) => {
      await pglite.exec(sql);
    },
    // One process owns a PGlite folder (data-folder-lock.ts): nobody else to wait for.
    withExclusiveLock: (_key, work) => work(),
    transaction: (work) =>
      pglite.transaction((tx) =>
        work({
          query: async (sql, params) => tx.query(sql, params as unknown[]) as never,
          exec: async (sql) => {
            await tx.exec(sql);
          },
        }),
      ),
    close: async () => {
      await pglite.close();
      await unlock();
    },
  };
}
