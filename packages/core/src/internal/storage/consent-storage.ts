import { indexedDbName } from './indexeddb-store';
import type { Persistence } from './persistence';

/** Copies what memory holds into durable storage and keeps writing there (consent given). */
export async function moveToDurable(persistence: Persistence): Promise<void> {
  const { memory, durable } = persistence;
  if (persistence.main.kind !== 'memory' || memory === durable) return;
  for (const key of await memory.keys()) await durable.set(key, await memory.get(key));
  // Memory is only a stand-in until consent: what it held now lives in durable
  // storage, and a copy left here would come back (and be resent) at the next switch.
  await memory.clear();
  persistence.use(durable);
}

/** Deletes everything Threadline stored for the site and goes back to memory (consent refused). */
export async function wipeDurable(persistence: Persistence, site: string): Promise<void> {
  const { main, memory } = persistence;
  const snapshot = new Map<string, unknown>();
  for (const key of await main.keys()) snapshot.set(key, await main.get(key));
  // Clearing a database that does not exist would create it: check first where the browser can tell.
  const databases = await indexedDB?.databases?.().catch(() => undefined);
  const hasDatabase = !databases || databases.some((database) => database.name === indexedDbName(site));
  for (const store of persistence.all) {
    if (store.kind === 'indexeddb' && !hasDatabase) continue;
    // Each store may be blocked; a blocked store holds nothing of ours to wipe.
    await store.clear().catch(() => {});
  }
  if (main.kind !== 'memory') {
    await memory.clear();
    for (const [key, value] of snapshot) await memory.set(key, value);
  }
  persistence.use(memory);
}
