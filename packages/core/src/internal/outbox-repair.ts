import { ENTRY_PREFIX, type Outbox, type OutboxEntry } from './outbox';
import type { KeyValueStore } from './storage/key-value-store';

/** Puts a refused entry back in line (e.g. after the visitor fixed the text); false when there is no such entry. */
export async function retryEntry(store: KeyValueStore, outbox: Outbox, id: string): Promise<boolean> {
  const entry = await store.get<OutboxEntry>(ENTRY_PREFIX + id);
  if (!entry) return false;
  const { error: _error, ...rest } = entry;
  await store.set(ENTRY_PREFIX + id, { ...rest, status: 'pending', attempts: 0, nextAttemptAt: 0 });
  await outbox.drain();
  return true;
}

/** Drops an entry for good. */
export async function discardEntry(store: KeyValueStore, outbox: Outbox, id: string): Promise<void> {
  await store.del(ENTRY_PREFIX + id);
  await outbox.drain();
}
