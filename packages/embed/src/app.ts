// The app chunk: what threadline.js imports once the visitor shows intent (or on idle).
// It creates the client over the socket adapter (socket.io-client itself still loads
// only when the chat is used), mounts the widgets in the loader's shadow root, runs
// the site's triggers and answers `threadline(...)` calls.
import { createSocketAdapter } from '@threadline/adapter-socket';
import { createClientWithoutConfigCheck, type ClientEvents, type IdentifyOptions, type Person, type SiteConfig, type TriggerEngine, type WidgetName } from '@threadline/core';
import { mountWidgets, type WidgetsHandle } from '@threadline/widgets';
import { mergeOverrides, type ConfigOverrides } from './internal/config-overrides';
import type { AppContext, AppHandle, QueuedCall } from './internal/protocol';

type Listener = (payload: unknown) => void;

// The client's events a page may listen to; `ready` and `page` are the embed's own, and `lead` and `message` short names.
const CLIENT_EVENTS = [
  'identify', 'reset', 'consent', 'lead:queued', 'lead:sent', 'lead:failed', 'message:queued', 'message:sent', 'message:failed',
  'message:new', 'typing', 'read', 'presence', 'session:merged', 'open', 'close', 'status', 'error',
] as const satisfies readonly (keyof ClientEvents)[];
const ALIASES: Record<string, keyof ClientEvents> = { lead: 'lead:sent', message: 'message:new' };
const WIDGETS: unknown[] = ['chat', 'callback', 'form'] satisfies WidgetName[];
const isObject = (value: unknown): boolean => typeof value === 'object' && value !== null;

/** Starts the widgets for the loader; never rejects for a bad call. */
export async function start(context: AppContext): Promise<AppHandle> {
  const { warn } = context;
  let overrides: ConfigOverrides = {};
  // The server's config as it came (the server parsed it with SiteConfigSchema). The checks
  // of a page's own overrides load only for a page that makes them: most never call config.
  let config = context.rawConfig as SiteConfig;
  /** Lays `next` over the site config, naming each override it had to leave out. */
  const configure = async (next: ConfigOverrides) => {
    const changes = next.locale !== undefined || Object.keys({ ...next.appearance, ...next.widgets }).length > 0;
    const checked = changes && (await import('./internal/read-config')).readConfig(context.rawConfig, next, (problem) => warn(`config: ${problem}; ignored`));
    config = checked || (context.rawConfig as SiteConfig);
    overrides = next;
  };
  for (const [name, options] of context.queue) if (name === 'config' && isObject(options)) overrides = mergeOverrides(overrides, options as ConfigOverrides);
  await configure(overrides);

  const client = createClientWithoutConfigCheck({
    site: context.site,
    endpoint: context.endpoint,
    adapter: createSocketAdapter({ endpoint: context.endpoint }),
    consent: config.consent.mode,
    debug: overrides.debug ?? false,
  });
  // The embed's own events, `ready` and `page`.
  const listeners: [name: string, listener: Listener][] = [];
  let ready: { visitorId: string } | undefined = undefined;
  // A page's listener that throws must not stop the others, nor the widgets.
  const tell = (name: string, listener: Listener, payload: unknown) => {
    try {
      listener(payload);
    } catch (error) {
      warn(`a listener for "${name}" threw`, error);
    }
  };
  const emit = (name: string, payload: unknown) => {
    for (const [event, listener] of listeners) if (event === name) tell(name, listener, payload);
  };

  // SPA navigation matters to URL triggers and to a page's `page` listeners only: the history
  // watch loads with the first of them (a site without triggers never downloads it).
  let stopWatchingHistory: (() => void) | undefined;
  let watching = false;
  const watchPages = () => {
    if (watching) return;
    watching = true;
    const onChange = (url: string) => {
      engine?.navigate(url);
      emit('page', { url });
    };
    const href = location.href;
    void import('./internal/history-watch').then(({ watchHistory }) => {
      if (destroyed) return;
      stopWatchingHistory = watchHistory(onChange);
      // A route change while the watch was on its way.
      if (location.href !== href) onChange(location.href);
    });
  };

  let widgets: WidgetsHandle | undefined;
  let engine: TriggerEngine | undefined;
  let destroyed = false;
  let mounts = 0;
  let mountedLocale: string | undefined;

  const mount = async () => {
    const generation = ++mounts;
    engine?.destroy();
    engine = undefined;
    // In the same language new settings are applied in place: the open panel and what the visitor typed stay.
    if (widgets && overrides.locale === mountedLocale) widgets.update(config);
    else {
      widgets?.destroy();
      widgets = undefined;
      // A page's locale wins over the visitor's language; an invalid one was left out of config.
      const mounted = await mountWidgets({ client, config, root: context.root, ...(overrides.locale === config.defaultLocale && { locale: config.defaultLocale }) });
      // destroy() or a newer config call came while the widgets were loading their strings.
      if (destroyed || generation !== mounts) return mounted.destroy();
      widgets = mounted;
      mountedLocale = overrides.locale;
    }
    const mounted = widgets;
    if (config.triggers.length === 0) return;
    watchPages();
    // Triggers are extra: one that cannot run is reported and the widgets keep working.
    try {
      const { runTriggers } = await import('./internal/run-triggers');
      if (!destroyed && generation === mounts) engine = runTriggers(client, config, mounted, overrides.debug ?? false);
    } catch (error) {
      warn('triggers could not start', error);
    }
  };

  // Each command says what is wrong with its arguments, or runs. They are checked here, when
  // replayed or made: the loader queues calls unchecked, as its 2 KB budget leaves no room.
  const commands: Record<string, (args: unknown[]) => string | void | Promise<void>> = {
    open([widget]) {
      // No widget: what a click on the launcher does (the menu when several widgets are on).
      if (widget === undefined) return context.root.querySelector<HTMLButtonElement>('button[part~="launcher"]')?.click();
      if (!WIDGETS.includes(widget as WidgetName)) return "expects 'chat', 'callback' or 'form'";
      if (config.widgets[widget as WidgetName]) widgets?.open(widget as WidgetName);
      else warn(`open: the ${widget as string} widget is turned off for this site`);
    },
    close: () => widgets?.close(),
    identify([person, options]) {
      if (!isObject(person)) return 'expects a person object';
      void client.identify(person as Person, options as IdentifyOptions).then((outcome) => {
        if (!outcome.ok) warn(`identify: ${outcome.error.message}`);
      });
    },
    consent([granted]) {
      if (typeof granted !== 'boolean') return 'expects true or false';
      void client.consent(granted);
    },
    on: ([event, listener]) => (typeof event === 'string' && typeof listener === 'function' ? subscribe(event, listener as Listener) : 'expects an event name and a function'),
    config([options]) {
      if (!isObject(options)) return 'expects an object';
      return configure(mergeOverrides(overrides, options as ConfigOverrides))
        .then(mount)
        .catch((error: unknown) => warn('config: could not apply the new settings', error));
    },
  };
  const run = ([name, ...args]: QueuedCall): Promise<void> | undefined => {
    const outcome = destroyed || (commands[name] ?? (() => 'unknown command'))(args);
    if (typeof outcome === 'string') warn(`${name}: ${outcome}`);
    return outcome instanceof Promise ? outcome : undefined;
  };
  // While a config call is being applied (its checks load on first use), later calls wait
  // for it, in order: an open right after a config call sees the new settings.
  let settling: Promise<void> | undefined;
  const settle = (pending: Promise<void> | undefined) => {
    settling = pending;
    void pending?.then(() => {
      if (settling === pending) settling = undefined;
    });
  };
  // `destroy` never gets here: the loader runs it.
  const command = (call: QueuedCall): void => settle(settling ? settling.then(() => run(call)) : run(call));

  function subscribe(name: string, listener: Listener): void {
    if (name === 'page') watchPages();
    if (name === 'ready' || name === 'page') {
      listeners.push([name, listener]);
      // A ready listener added after the fact still hears it, as the stub promises.
      if (name === 'ready' && ready) tell(name, listener, ready);
      return;
    }
    const event = ALIASES[name] ?? ((CLIENT_EVENTS as readonly string[]).includes(name) ? (name as keyof ClientEvents) : undefined);
    if (!event) return warn(`on: unknown event "${name}"`);
    // client.destroy() removes it.
    client.on(event, (payload) => tell(name, listener, payload));
  }

  await mount();
  for (const call of context.queue) if (call[0] !== 'config') command(call);
  // On a first visit the visitor is created while the widgets load: ready names them.
  await client.ready;
  const visitorId = client.visitor.value?.visitorId;
  ready = { visitorId: visitorId ?? '' };
  emit('ready', ready);


  return {
    command,
    destroy() {
      if (destroyed) return;
      destroyed = true;
      stopWatchingHistory?.();
      engine?.destroy();
      widgets?.destroy();
      client.destroy();
    },
  };
}
