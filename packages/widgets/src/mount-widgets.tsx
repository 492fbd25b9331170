import { effect, signal } from '@preact/signals-core';
import type { Locale, SiteConfig, ThreadlineClient, WidgetName } from '@threadline/core';
import { render } from 'preact';
import { App } from './app';
import type { Attention } from './attention';
import { createTexts, pickLocale } from './i18n';
import { adoptStyles } from './styles';

/** Options of `mountWidgets`. */
export interface MountOptions {
  /** The visitor's client (`createClient` from @threadline/core); the widgets only read its signals and call it. */
  client: ThreadlineClient;
  /** The site config, parsed, defaults filled. */
  config: SiteConfig;
  /** The Shadow DOM root the loader created; the widgets add one container and their stylesheets. */
  root: ShadowRoot;
  /** Default: the page's `<html lang>`, else the browser's language, when supported; else `config.defaultLocale`. */
  locale?: Locale;
  /** Nonce for a `<style>` element, used only where constructable stylesheets are missing. */
  styleNonce?: string;
  /** Plays a short tone when a message arrives while the chat is closed (default: the config's `appearance.sound`, else off). */
  sound?: boolean;
  now?: () => number;
}

/** What the loader and the command API drive the mounted widgets with. */
export interface WidgetsHandle {
  /** Opens a widget the site config enables (others are ignored). */
  open(widget: WidgetName): void;
  close(): void;
  /** Shows a proactive message bubble beside the launcher (a trigger's `message` action). */
  showMessage(text: string): void;
  /** Applies new settings (same locale) in place: the open panel and what the visitor typed stay. */
  update(config: SiteConfig): void;
  /** Removes every node, listener, timer and stylesheet the widgets added. */
  destroy(): void;
}

/**
 * Renders the launcher (replacing the loader's static one) and everything it opens
 * into `root`. Resolves after the locale's strings are loaded and the first render.
 * @example
 * const handle = await mountWidgets({ client, config, root: host.attachShadow({ mode: 'open' }) });
 * handle.showMessage('Questions about pricing? We are online.');
 */
export async function mountWidgets(options: MountOptions): Promise<WidgetsHandle> {
  const { client, root } = options;
  let config = options.config;
  const now = options.now ?? Date.now;
  const locale = options.locale ?? pickLocale(config);
  const texts = createTexts(locale, config);
  // The launcher and the menu speak with these; each panel's strings come with the panel.
  await texts.load('common');

  const styles = adoptStyles(root, config.appearance, options.styleNonce);
  const container = document.createElement('div');
  container.className = 'tl';
  container.setAttribute('part', 'root');
  // The direction of the widgets' language, not the page's (an English panel on an RTL page
  // would put its full stops first). Every shipped locale is left-to-right; the styles use
  // logical properties, so a right-to-left locale only needs 'rtl' here.
  container.dir = 'ltr';
  container.lang = locale;
  container.dataset.side = config.appearance.position;
  root.append(container);

  const bubble = signal<string | undefined>(undefined);
  let destroyed = false;
  const draw = () => render(<App client={client} config={config} locale={locale} t={texts.t} now={now} texts={texts} bubble={bubble} />, container);
  draw();
  // Ours is drawn in the same place: the swap from the loader's static launcher is invisible.
  for (const placeholder of root.querySelectorAll('[data-threadline-loader]')) placeholder.remove();

  // Loaded with the first message that arrives while the chat is closed; calls stay in order on the one promise.
  let attention: Promise<Attention> | undefined;
  const attend = (work: (attention: Attention) => void) => void (attention ??= import('./attention').then((module) => module.createAttention())).then(work);
  const stopBlinking = () => attention && attend((attention) => attention.stop());
  let seenUnread = client.chat.unread.peek();
  const stopAttention = effect(() => {
    const unread = client.chat.unread.value;
    if (unread === 0 || client.openWidget.value === 'chat') stopBlinking();
    else if (unread > seenUnread)
      attend((attention) => {
        if (destroyed) return;
        attention.blink(texts.t('common.titleNew', { count: unread }));
        if (options.sound ?? config.appearance.sound) attention.beep();
      });
    seenUnread = unread;
  });

  // On phones the panel fills the visual viewport, which shrinks above the on-screen keyboard.
  const viewport = typeof visualViewport === 'undefined' ? null : visualViewport;
  const fitViewport = () => styles.setViewport(viewport && client.openWidget.peek() ? { top: viewport.offsetTop, height: viewport.height } : undefined);
  const stopFitting = effect(() => {
    void client.openWidget.value;
    fitViewport();
  });
  const listeners: [EventTarget | null, string, () => void][] = [
    [window, 'focus', stopBlinking],
    [viewport, 'resize', fitViewport],
    [viewport, 'scroll', fitViewport],
  ];
  for (const [target, type, listener] of listeners) target?.addEventListener(type, listener);

  return {
    open(widget) {
      if (destroyed || !config.widgets[widget]) return;
      bubble.value = undefined;
      client.open(widget);
    },
    close: () => client.close(),
    showMessage(text) {
      if (!destroyed) bubble.value = text;
    },
    update(next) {
      if (destroyed) return;
      config = next;
      styles.setAppearance(next.appearance);
      container.dataset.side = next.appearance.position;
      draw();
    },
    destroy() {
      if (destroyed) return;
      destroyed = true;
      stopAttention();
      stopFitting();
      for (const [target, type, listener] of listeners) target?.removeEventListener(type, listener);
      stopBlinking();
      render(null, container);
      container.remove();
      styles.remove();
    },
  };
}
