// The seam between the loader (threadline.js, an IIFE on every page) and the app
// chunk it imports on demand. Types only: the loader must not pull any code from here.

/** A command as a page queues it: `threadline(name, ...args)`. */
export type QueuedCall = readonly [name: string, ...args: unknown[]];

/** What the loader hands the app chunk when it starts it. */
export interface AppContext {
  site: string;
  /** The server's base URL, without a trailing slash. */
  endpoint: string;
  /** The open shadow root the loader drew the launcher in; the widgets mount here. */
  root: ShadowRoot;
  /** The site config exactly as `GET /api/v1/sites/:site/config` answered (not parsed yet). */
  rawConfig: unknown;
  /** Calls made before the app arrived, validated, in the order they were made. */
  queue: readonly QueuedCall[];
  /** Prints a `[threadline]` warning (the loader's one console voice). */
  warn(message: string, cause?: unknown): void;
}

/** What the app chunk gives back: the loader forwards every later call to it. */
export interface AppHandle {
  command(call: QueuedCall): void;
  destroy(): void;
}

/** The app chunk's module shape. */
export interface AppModule {
  start(context: AppContext): Promise<AppHandle>;
}
