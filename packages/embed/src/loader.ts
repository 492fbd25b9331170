// threadline.js — the script tag. Runs on every page of the site, so it does little:
// it takes over `window.threadline` (replaying calls queued by the stub), fetches the
// site config, draws the launcher bubble in a shadow root, and imports the app chunk
// (client, widgets, triggers, history watching) only on intent, on a command that needs
// it, or on idle. It imports no package code: budget ≤ 2 KB gzip (size-limit, package.json).
// While the page loads it only takes over the global: the config request and the bubble
// wait for the page's load event (or two seconds, on a page whose load drags on), so the
// script tag adds next to nothing to the page's own loading. A command that needs the
// widgets (open, identify, consent) starts them at once.
import { drawLauncher, type LauncherLook } from './internal/launcher';
import type { AppHandle, AppModule, QueuedCall } from './internal/protocol';

/** The app chunk's file name, next to threadline.js under `threadline/`; set by the build. */
declare const __THREADLINE_APP__: string;

type Stub = ((...args: unknown[]) => void) & { q?: ArrayLike<unknown>[]; destroy?: () => void };
type Global = typeof globalThis & { threadline?: Stub };

/** The longest the bubble waits for the page's load event, in ms. */
const BUBBLE_DEADLINE_MS = 2000;

const warn = (message: string, cause?: unknown) => console.warn(`[threadline] ${message}`, cause ?? '');

function boot(): void {
  const global = globalThis as Global;
  const stub = global.threadline;
  if (stub?.destroy) return warn('threadline.js is on the page twice');
  const script = (document.currentScript ?? document.querySelector('script[data-site][src*="threadline.js"]')) as HTMLScriptElement | null;
  const site = script?.dataset.site;
  if (!script || !site) return warn('data-site is missing');
  // String surgery, not `new URL`: script.src is already absolute, and URL's first use is
  // measurably slow on a throttled CPU.
  const endpoint = (script.dataset.endpoint || script.src.split('/', 3).join('/')).replace(/\/+$/, '');
  const appUrl = script.src.replace(/[^/]*$/, `threadline/${__THREADLINE_APP__}`);

  const queue: QueuedCall[] = [];
  const cleanups: (() => void)[] = [];
  let app: AppHandle | undefined;
  let loading: Promise<unknown> | undefined;
  type Config = { appearance?: LauncherLook; defaultLocale?: unknown; widgets: Record<string, unknown> };
  let rawConfig: Config | undefined;
  let destroyed = false;

  const listen = (target: EventTarget, type: string, listener: () => void) => {
    target.addEventListener(type, listener, { passive: true });
    cleanups.push(() => target.removeEventListener(type, listener));
  };

  // Custom element name: no page rule written for div/span/button reaches it.
  let host: HTMLElement | undefined;
  let root: ShadowRoot | undefined;
  let configLoaded: Promise<unknown> | undefined;
  const setUp = (): Promise<unknown> => (configLoaded ??= fetchConfig());
  const load = (): Promise<unknown> =>
    (loading ??= setUp()
      .then(() => (rawConfig ? (import(appUrl) as Promise<AppModule>) : undefined))
      .then((module) => (module && root && !destroyed ? module.start({ site, endpoint, root, rawConfig, queue: queue.splice(0), warn }) : undefined))
      .then((handle) => {
        if (!handle) return;
        if (destroyed) return handle.destroy();
        app = handle;
        // Calls made while the chunk was on its way.
        for (const call of queue.splice(0)) handle.command(call);
      })
      .catch((error: unknown) => {
        loading = undefined;
        warn('could not load the widgets', error);
      }));

  function fetchConfig(): Promise<unknown> {
    return fetch(`${endpoint}/api/v1/sites/${encodeURIComponent(site!)}/config`)
      .then((response) => response.json())
      .then((config: Config & { error?: unknown }) => {
        // The server answers a refusal (unknown site, origin not allowed) with `{ error }`.
        if (!config.widgets) throw config.error;
        if (destroyed) return;
        rawConfig = config;
        host = document.createElement('threadline-widget');
        root = host.attachShadow({ mode: 'open' });
        // An async script may run before <body> exists; <html> holds the host just as well.
        (document.body ?? document.documentElement).append(host);
        if (Object.values(config.widgets).includes(true)) {
          // Overrides queued with threadline('config', …) before the config arrived also move the bubble.
          const look = { ...config.appearance };
          for (const [name, options] of queue) if (name === 'config') Object.assign(look, (options as { appearance?: LauncherLook }).appearance);
          const button = drawLauncher(root, look);
          for (const type of ['pointerenter', 'focus', 'touchstart']) listen(button, type, () => void load());
          listen(button, 'click', () => call('open'));
        }
        idle();
      })
      .catch((error: unknown) => warn(`no config for site ${site}`, error));
  }

  function call(name: unknown, ...args: unknown[]): void {
    // Calls are checked by the app chunk (the checks would not fit the loader's budget).
    if (destroyed) return warn(`${name as string}: threadline was destroyed`);
    if (name === 'destroy') return destroy();
    if (app) return app.command([name as string, ...args]);
    queue.push([name as string, ...args]);
    if (/^(open|identify|consent)$/.test(name as string)) void load();
  }

  function destroy(): void {
    destroyed = true;
    app?.destroy();
    for (const cleanup of cleanups.splice(0)) cleanup();
    host?.remove();
    queue.length = 0;
    if (global.threadline === api) delete global.threadline;
  }

  const api: Stub = Object.assign(call, { destroy });
  global.threadline = api;
  for (const queued of Array.from(stub?.q ?? [])) call(...(Array.from(queued) as [unknown]));

  // A task of its own after the load event, not inside it: the page's load handlers come first.
  const later = (run: () => unknown, ms = 0) => {
    const id = setTimeout(run, ms);
    cleanups.push(() => clearTimeout(id));
  };
  later(setUp, BUBBLE_DEADLINE_MS);
  if (document.readyState === 'complete') later(setUp);
  else listen(globalThis, 'load', () => later(setUp));

  function idle(): void {
    // Safari has no requestIdleCallback.
    const idleCallback = self.requestIdleCallback as typeof requestIdleCallback | undefined;
    const id = idleCallback ? idleCallback(load, { timeout: 5000 }) : self.setTimeout(load, 3000);
    cleanups.push(() => (idleCallback ? cancelIdleCallback : clearTimeout)(id));
  }
}

try {
  boot();
} catch (error) {
  warn('could not start', error);
}
