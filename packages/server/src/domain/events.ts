import type { ThreadlineEvent } from '@threadline/core';
import type { Database } from '../db/database';
import { ThreadlineServerError } from '../errors';
import { lockKeys } from './identity-resolution';
import { appendItem, findByClientId, openThreadFor } from './timeline';
import { ensureVisitor } from './visitors';

/**
 * Puts a page event on the visitor's timeline once per client id; answers false
 * for a replay. An event neither reopens a closed thread nor moves it up the
 * agents' list: it is context, not a new conversation.
 */
export async function recordEvent(db: Database, site: string, event: ThreadlineEvent): Promise<boolean> {
  return db.transaction(async (tx) => {
    await lockKeys(tx, [`client:${site}:${event.clientId}`]);
    const replay = await findByClientId(tx, site, event.clientId);
    if (replay) {
      if (replay.type !== 'event' || replay.visitorId !== event.visitorId) throw new ThreadlineServerError(409, 'conflict', 'clientId was already used for another write', 'clientId');
      return false;
    }
    const visitor = await ensureVisitor(tx, site, event.visitorId);
    const threadId = await openThreadFor(tx, site, visitor.contactId, { reopen: false });
    await appendItem(tx, {
      site,
      threadId,
      type: 'event',
      channel: 'web',
      direction: 'system',
      visitorId: event.visitorId,
      author: { kind: 'system' },
      text: event.name,
      payload: { properties: event.properties ?? {}, page: event.page ?? null, at: event.at },
      clientId: event.clientId,
    });
    return true;
  });
}
