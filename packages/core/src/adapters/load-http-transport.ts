import type * as TransportModuleNamespace from './http-transport';

type TransportModule = typeof TransportModuleNamespace;

let loading: Promise<TransportModule> | undefined;

/** Loads the HTTP request code once; a failed load (offline) is retried on the next call. */
export function loadHttpTransport(): Promise<TransportModule> {
  loading ??= import('./http-transport').catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}
