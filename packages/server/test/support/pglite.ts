import { randomBytes } from 'node:crypto';
import type { Database } from '../../src/db/database';
import { openDatabase } from '../../src/db/open-database';
import { findSite, upsertSite, type Site } from '../../src/domain/sites';

/**
 * PGlite needs ≈2 s and ≈750 MB to start (TOOLCHAIN.md), and far longer on a cold
 * WASM cache: a file opens one in `beforeAll` with this timeout, in milliseconds.
 */
export const DATABASE_START_TIMEOUT = 120_000;

/** An in-memory PGlite with every migration applied: one per test file. */
export async function openTestDatabase(): Promise<Database> {
  return openDatabase({});
}

/** A fresh, unique site id: tests that each use their own site cannot see each other's rows. */
export function uniqueSiteId(prefix = 'test'): string {
  return `${prefix}_${randomBytes(6).toString('hex')}`;
}

/** Creates a site with its own id (so tests sharing one database stay apart) and returns it as the domain reads it. */
export async function createTestSite(db: Database, options: { defaultCountry?: string; secret?: string; id?: string } = {}): Promise<Site> {
  const id = options.id ?? uniqueSiteId();
  await upsertSite(db, {
    id,
    name: `Test site ${id}`,
    allowedOrigins: ['https://shop.example'],
    secret: options.secret ?? randomBytes(32).toString('hex'),
    ...(options.defaultCountry ? { defaultCountry: options.defaultCountry } : {}),
  });
  const site = await findSite(db, id);
  if (!site) throw new Error(`site ${id} was not created`);
  return site;
}

/** A visitor or client id in the SDK's format (8–64 of `A-Za-z0-9_-`). */
export function randomId(prefix: string): string {
  return `${prefix}-${randomBytes(8).toString('hex')}`;
}

/** How many rows of `table` belong to `siteId` (rows tests count before and after a refused write). */
export async function countRows(db: Database, table: 'contacts' | 'identities' | 'visitors' | 'threads' | 'timeline_items' | 'contact_merges' | 'merge_suggestions' | 'processed_requests', siteId: string): Promise<number> {
  const { rows } = await db.query<{ count: string }>(`select count(*)::text as count from ${table} where site_id = $1`, [siteId]);
  return Number(rows[0]?.count ?? 0);
}

/** Row counts of every table a write can touch, for "nothing was stored" checks. */
export async function siteFootprint(db: Database, siteId: string): Promise<Record<string, number>> {
  const tables = ['contacts', 'identities', 'visitors', 'threads', 'timeline_items', 'contact_merges', 'merge_suggestions', 'processed_requests'] as const;
  const counts: Record<string, number> = {};
  for (const table of tables) counts[table] = await countRows(db, table, siteId);
  return counts;
}
