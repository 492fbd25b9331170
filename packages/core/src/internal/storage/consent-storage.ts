import type { Persistence } from './persistence';

/** Copies what memory holds into durable storage and keeps writing there (consent given). */
export async function moveToDurable(persistence: Persistence): Promise<void> {
  const { memory, durable } = persistence;
  if (persistence.main.kind !== 'memory' || memory === durable) return;
  for (const key of await memory.keys()) await durable.set(key, await memory.get(key));
  persistence.use(durable);
}

/** Deletes everything Threadline stored for the site and goes back to memory (consent refused). */
export async function wipeDurable(persistence: Persistence): Promise<void> {
  const { main, memory } = persistence;
  const snapshot = new Map<string, unknown>();
  for (const key of await main.keys()) snapshot.set(key, await main.get(key));
  // Each store may be blocked; a blocked store holds nothing of ours to wipe.
  for (const store of persistence.all) await store.clear().catch(() => {});
  for (const [key, value] of snapshot) await memory.set(key, value);
  persistence.use(memory);
}

/** The localStorage key of the consent choice (see docs/storage.md). */
export const consentFlagKey = (site: string) => `threadline:${site}:consent`;
