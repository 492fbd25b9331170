import type { Signal } from '@preact/signals-core';
import type { WidgetName } from '@threadline/core';
import type { ComponentType } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Texts } from './i18n';
import { Icon, type IconName } from './icons';
import { PanelShell, activeElementOf } from './panel-shell';
import type { PanelProps } from './panel-props';
import { useSignalValue } from './use-signal-value';

const WIDGETS: readonly WidgetName[] = ['chat', 'callback', 'form'];
const MENU_ICONS: Record<WidgetName, IconName> = { chat: 'chat', callback: 'phone', form: 'mail' };

/**
 * Panels in chunks of their own, with their own strings. The chat's chunk holds the socket session
 * too, and what the chat offers while nobody can answer: neither the callback nor the form downloads them.
 */
const LAZY_PANELS: Record<WidgetName, () => Promise<ComponentType<PanelProps>>> = {
  chat: () => import('./chat/chat-view').then((module) => module.ChatView),
  callback: () => import('./callback/callback-panel').then((module) => module.CallbackPanel),
  form: () => import('./lead-form/lead-form-panel').then((module) => module.LeadFormPanel),
};


/** Props of the widgets' root component. */
export interface AppProps extends Omit<PanelProps, 'close'> {
  texts: Texts;
  /** The proactive message shown beside the launcher, if any. */
  bubble: Signal<string | undefined>;
}

// Opening from code (a trigger) must not pull the focus out of a field the visitor is typing in.
function visitorTypesInPage(host: Element): boolean {
  const active = document.activeElement as HTMLElement | null;
  return !!active && active !== host && (active.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(active.tagName));
}

/** Launcher, launcher menu, proactive bubble and the open panel. */
export function App({ texts, bubble, ...panel }: AppProps) {
  const { client, config, t } = panel;
  const enabled = WIDGETS.filter((widget) => config.widgets[widget]);
  const openWidget = useSignalValue(client.openWidget);
  const open = openWidget && config.widgets[openWidget] ? openWidget : undefined;
  const unread = useSignalValue(client.chat.unread);
  const bubbleText = useSignalValue(bubble);
  const [menuOpen, setMenuOpen] = useState(false);
  const [loaded, setLoaded] = useState<Partial<Record<WidgetName, ComponentType<PanelProps>>>>({});
  const [loadFailed, setLoadFailed] = useState(false);
  const [attempt, setAttempt] = useState(0);
  const launcherRef = useRef<HTMLButtonElement>(null);
  const menuRef = useRef<HTMLDivElement>(null);

  const focusLauncher = () => launcherRef.current?.focus();
  const show = (widget: WidgetName) => {
    setMenuOpen(false);
    bubble.value = undefined;
    client.open(widget);
  };
  const onLauncher = () => {
    if (open) client.close();
    else if (enabled.length === 1) show(enabled[0]!);
    else setMenuOpen(!menuOpen);
  };

  useEffect(() => {
    if (!menuOpen) return;
    menuRef.current!.querySelector('button')?.focus();
    // A click anywhere outside the widgets closes the menu.
    const outside = (event: Event) => !event.composedPath().includes(menuRef.current!.parentElement!) && setMenuOpen(false);
    document.addEventListener('pointerdown', outside);
    return () => document.removeEventListener('pointerdown', outside);
  }, [menuOpen]);

  const fetchPanel = (name: WidgetName) =>
    Promise.all([LAZY_PANELS[name](), texts.load(name)]).then(([Loaded]) => setLoaded((panels) => ({ ...panels, [name]: Loaded })));
  // Pointing at a way in starts its download, so that the panel is mostly there by the click. Not on
  // focus: opening the menu focuses its first item, and the callback's visitors would download the chat.
  const prefetch = (widget: WidgetName) => () => void fetchPanel(widget).catch(() => undefined);
  const Panel = open && loaded[open];
  useEffect(() => {
    if (!open || Panel) return;
    let current = true;
    setLoadFailed(false);
    fetchPanel(open).catch(() => current && setLoadFailed(true));
    return () => {
      current = false;
    };
  }, [open, attempt]);

  const onMenuKeyDown = (event: KeyboardEvent) => {
    const items = [...menuRef.current!.querySelectorAll('button')];
    const index = items.indexOf(activeElementOf(menuRef.current!) as HTMLButtonElement);
    const next = { ArrowDown: index + 1, ArrowUp: index - 1, Home: 0, End: items.length - 1 }[event.key];
    if (next !== undefined) {
      event.preventDefault();
      items[(next + items.length) % items.length]?.focus();
    } else if (event.key === 'Escape') {
      setMenuOpen(false);
      focusLauncher();
    } else if (event.key === 'Tab') setMenuOpen(false);
  };

  // A site with every widget switched off shows nothing at all.
  if (enabled.length === 0) return null;
  const label = config.appearance.launcherText;
  const name = label ?? t('common.launcher');
  const titleKey = `${open}.title`;
  const title = t(titleKey) === titleKey ? t(`common.menu.${open}`) : t(titleKey);
  const panelProps: PanelProps = { ...panel, close: () => client.close() };
  const bubbleWidget = enabled.includes('chat') ? 'chat' : enabled[0]!;
  // With one widget the launcher opens it: pointing at it, or tabbing to it, is the intent.
  const launcherIntent = enabled.length === 1 ? prefetch(enabled[0]!) : undefined;

  return (
    <>
      {bubbleText && !open && (
        <div class="tl-bubble" part="bubble">
          <button type="button" onPointerEnter={prefetch(bubbleWidget)} onClick={() => show(bubbleWidget)}>
            {bubbleText}
          </button>
          <button type="button" class="tl-x" part="bubble-dismiss" aria-label={t('common.dismiss')} onClick={() => (bubble.value = undefined)}>
            <Icon name="close" />
          </button>
        </div>
      )}
      {menuOpen && !open && (
        <div ref={menuRef} id="tl-menu" class="tl-menu" part="menu" role="menu" aria-labelledby="tl-menu-label" onKeyDown={onMenuKeyDown}>
          <p id="tl-menu-label">{t('common.menu')}</p>
          {enabled.map((widget) => (
            <button key={widget} type="button" role="menuitem" part="menu-item" tabIndex={-1} onPointerEnter={prefetch(widget)} onClick={() => show(widget)}>
              <Icon name={MENU_ICONS[widget]} />
              {t(`common.menu.${widget}`)}
            </button>
          ))}
        </div>
      )}
      {open && (
        <PanelShell
          key={open}
          title={title}
          closeLabel={t('common.close')}
          onClose={() => client.close()}
          returnFocus={focusLauncher}
          takeFocus={!visitorTypesInPage((launcherRef.current?.getRootNode() as ShadowRoot | undefined)?.host ?? document.body)}
          contentKey={Panel ?? loadFailed}
        >
          {Panel ? (
            <Panel {...panelProps} />
          ) : loadFailed ? (
            <div class="tl-center" role="alert">
              <p>{t('common.loadFailed')}</p>
              <button type="button" class="tl-submit" onClick={() => setAttempt(attempt + 1)}>
                {t('common.retry')}
              </button>
            </div>
          ) : (
            <p class="tl-center" role="status">
              {t('common.loading')}
            </p>
          )}
        </PanelShell>
      )}
      <button
        ref={launcherRef}
        type="button"
        class={label ? 'tl-launcher' : 'tl-launcher tl-icon'}
        part="launcher"
        aria-haspopup={enabled.length > 1 ? 'menu' : 'dialog'}
        aria-expanded={!!open || menuOpen}
        aria-controls={menuOpen ? 'tl-menu' : undefined}
        aria-label={unread > 0 && open !== 'chat' ? `${name}, ${t('common.unread', { count: unread })}` : name}
        onPointerEnter={launcherIntent}
        onFocus={launcherIntent}
        onClick={onLauncher}
      >
        <Icon name={open ? 'close' : config.appearance.launcherIcon} />
        {label && <span class="tl-lt">{label}</span>}
        {unread > 0 && open !== 'chat' && (
          <span class="tl-badge" part="badge" aria-hidden="true">
            {unread > 99 ? '99+' : unread}
          </span>
        )}
      </button>
    </>
  );
}
