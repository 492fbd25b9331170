type TransportModule = typeof import('./http-transport');

let loading: Promise<TransportModule> | undefined;

/** Loads the HTTP request code once; a failed load (offline) is retried on the next call. */
export function loadHttpTransport(): Promise<TransportModule> {
  loading ??= import('./http-transport').catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}
