import type { KeyValueStore } from './key-value-store';

/**
 * Uses the first of `candidates` that works and moves down the list when one
 * fails (IndexedDB blocked in a private window, localStorage throwing in a
 * sandboxed iframe). Never rejects: the last candidate should be a memory store.
 */
export function createFallbackStore(candidates: KeyValueStore[], onFallback?: (from: KeyValueStore, error: unknown) => void): KeyValueStore {
  let index = 0;
  const run = async <R>(operation: (store: KeyValueStore) => Promise<R>): Promise<R> => {
    for (;;) {
      const store = candidates[index]!;
      try {
        return await operation(store);
      } catch (error) {
        if (index >= candidates.length - 1) throw error;
        onFallback?.(store, error);
        index++;
      }
    }
  };
  return {
    get kind() {
      return candidates[index]!.kind;
    },
    get: (key) => run((store) => store.get(key)),
    set: (key, value) => run((store) => store.set(key, value)),
    del: (key) => run((store) => store.del(key)),
    keys: () => run((store) => store.keys()),
    clear: () => run((store) => store.clear()),
  };
}
