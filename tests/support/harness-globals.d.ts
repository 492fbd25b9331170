// Globals the harness page (tests/support/contract-server.ts) and the fixtures
// install, so that code inside `page.evaluate` typechecks against core's types.
import type {
  createClient,
  createHttpAdapter,
  createMemoryAdapter,
  isRetryable,
  isThreadlineError,
  ClientEvents,
  ThreadlineClient,
  ThreadlineError,
} from '../../packages/core/src/index';

/** One client event as the fixtures record it in the page; a union over event names, so `name` narrows `payload`. */
export type RecordedEvent<K extends keyof ClientEvents = keyof ClientEvents> = K extends keyof ClientEvents ? { name: K; payload: ClientEvents[K]; at: number } : never;

declare global {
  interface Window {
    /** The browser build of @threadline/core, loaded by /harness.html. */
    tl: {
      createClient: typeof createClient;
      createHttpAdapter: typeof createHttpAdapter;
      createMemoryAdapter: typeof createMemoryAdapter;
      isRetryable: typeof isRetryable;
      isThreadlineError: typeof isThreadlineError;
      ThreadlineError: typeof ThreadlineError;
    };
    /** The client the fixtures created in this page. */
    client: ThreadlineClient;
    /** Every event `client` emitted, oldest first. */
    clientEvents: RecordedEvent[];
  }
}
