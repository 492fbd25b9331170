import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Database } from '../../src/db/database';
import { migrate } from '../../src/db/migrate';
import { createPostgresDatabase } from '../../src/db/postgres-database';

/**
 * A real PostgreSQL server for the tests that PGlite cannot stand in for (PGlite
 * has one connection, so its transactions never overlap). `scripts/with-services.sh`
 * starts one and sets this variable; CI always runs under it.
 */
export const TEST_DATABASE_URL: string | undefined = process.env.THREADLINE_TEST_DATABASE_URL || undefined;

/** Why the PostgreSQL tests are skipped, for their titles when the variable is absent. */
export const POSTGRES_SKIP_REASON = 'needs THREADLINE_TEST_DATABASE_URL (bash scripts/with-services.sh npx vitest run …)';

export interface ScratchPostgres {
  database: Database;
  /** The throwaway database's name (`tl_test_<random>`). */
  name: string;
  /** Closes the pool and drops the database. */
  drop(): Promise<void>;
}

/**
 * Creates a throwaway database `tl_test_<random>` on the server behind `adminUrl`,
 * migrates it, and opens a pool of `poolSize` connections on it.
 */
export async function createScratchPostgres(adminUrl: string, poolSize = 12): Promise<ScratchPostgres> {
  const name = `tl_test_${randomBytes(6).toString('hex')}`;
  await withAdmin(adminUrl, (admin) => admin.query(`create database ${name}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  let database: Database;
  try {
    database = await createPostgresDatabase(url.toString(), poolSize);
    await migrate(database);
  } catch (error) {
    await withAdmin(adminUrl, (admin) => admin.query(`drop database if exists ${name} with (force)`));
    throw error;
  }
  return {
    database,
    name,
    async drop() {
      await database.close();
      await withAdmin(adminUrl, async (admin) => {
        // pg's pool.end() resolves before its connections have closed; terminating them
        // (with force) would make each one report an error on its way out.
        for (let attempt = 0; attempt < 100; attempt++) {
          const { rows } = await admin.query<{ count: number }>('select count(*)::int as count from pg_stat_activity where datname = $1', [name]);
          if (rows[0]?.count === 0) break;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        await admin.query(`drop database if exists ${name} with (force)`);
      });
    },
  };
}

async function withAdmin<T>(adminUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
