/**
 * Wraps a dynamic import so that the chunk is fetched once; a failed fetch
 * (offline before it ever arrived) is tried again on the next call. The import
 * must stay a literal `() => import('./x')` at the call site for bundlers to split it.
 */
export function lazyModule<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () =>
    (loading ??= load().catch((error: unknown) => {
      loading = undefined;
      throw error;
    }));
}
