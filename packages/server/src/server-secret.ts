import { randomBytes } from 'node:crypto';
import type { Queryable } from './db/database';

/**
 * The key that signs visitor and agent tokens. Generated once and kept in the
 * database, so that tokens survive restarts and every node of a cluster
 * verifies the others' tokens.
 */
export async function serverSecret(db: Queryable): Promise<string> {
  await db.query("insert into server_settings (key, value) values ('token_secret', $1) on conflict (key) do nothing", [randomBytes(32).toString('base64url')]);
  return (await db.query<{ value: string }>("select value from server_settings where key = 'token_secret'")).rows[0]!.value;
}
