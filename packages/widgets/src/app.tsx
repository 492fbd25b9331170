import type { Signal } from '@preact/signals-core';
import type { WidgetName } from '@threadline/core';
import type { ComponentChildren, ComponentType } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { useClosedByHours } from './closed-by-hours';
import type { Texts } from './i18n';
import { Icon, type IconName } from './icons';
import { PanelShell, activeElementOf } from './panel-shell';
import type { AwayProps } from './chat/away-form';
import type { PanelProps } from './panel-props';
import { useSignalValue } from './use-signal-value';

const WIDGETS: readonly WidgetName[] = ['chat', 'callback', 'form'];
const MENU_ICONS: Record<WidgetName, IconName> = { chat: 'chat', callback: 'phone', form: 'mail' };

/**
 * Panels in chunks of their own, with their own strings: `away` is what the chat offers while nobody can
 * answer. The chat's chunk holds the socket session too, so neither the callback nor the form downloads it.
 */
type LazyPanel = WidgetName | 'away';
const LAZY_PANELS: Record<LazyPanel, () => Promise<ComponentType<AwayProps & { children?: ComponentChildren }>>> = {
  chat: () => import('./chat/chat-panel').then((module) => module.ChatPanel),
  callback: () => import('./callback/callback-panel').then((module) => module.CallbackPanel),
  form: () => import('./lead-form/lead-form-panel').then((module) => module.LeadFormPanel),
  away: () => import('./chat/away-form').then((module) => module.AwayForm),
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
  const { client, config, t, now } = panel;
  const enabled = WIDGETS.filter((widget) => config.widgets[widget]);
  const openWidget = useSignalValue(client.openWidget);
  const open = openWidget && config.widgets[openWidget] ? openWidget : undefined;
  const unread = useSignalValue(client.chat.unread);
  const agentsOnline = useSignalValue(client.chat.agentsOnline);
  const closedByHours = useClosedByHours(config, now);
  const bubbleText = useSignalValue(bubble);
  const [menuOpen, setMenuOpen] = useState(false);
  const [loaded, setLoaded] = useState<Partial<Record<LazyPanel, ComponentType<AwayProps>>>>({});
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

  // Nobody can answer now: no agent online, or outside business hours. Swapping the whole chat for a
  // form hid the team's replies and the history, and moved the focus (issue 4). Now a visitor with a
  // conversation, or a known person, keeps the chat and gets a notice and a contact capture above it, as
  // Chatwoot does ("continuity via email", /work/shared/research/features.md §3.5); only a visitor with
  // neither gets the "leave a message" form (Rocket.Chat's LeaveMessage, Jivo's sendOfflineMessage).
  // Both are chosen once per opening, when known, so that an agent leaving or coming back never swaps
  // what the visitor is typing in; a reply to the left message turns the form into the conversation.
  const nobody = agentsOnline === 0 || closedByHours;
  const talking = useSignalValue(client.chat.messages).length > 0;
  const person = useSignalValue(client.person);
  const chosen = useRef<{ form?: boolean; notice?: boolean }>({});
  if (open !== 'chat') chosen.current = {};
  else {
    chosen.current.form ??= agentsOnline === undefined && !closedByHours ? undefined : nobody && !talking && !person;
    chosen.current.notice ||= nobody;
  }
  const away = chosen.current.form && !talking;
  const notice = open === 'chat' && !away && chosen.current.notice;
  const main = open === 'chat' && away ? 'away' : open;
  // The chat always comes with its panel: a reply to the left message turns the form into it.
  const wanted: LazyPanel[] = open === 'chat' ? (away || notice ? ['chat', 'away'] : ['chat']) : open ? [open] : [];
  const missing = wanted.filter((name) => !loaded[name]);
  const fetchPanel = (name: LazyPanel) =>
    Promise.all([LAZY_PANELS[name](), texts.load(name)]).then(([Panel]) => setLoaded((panels) => ({ ...panels, [name]: Panel })));
  // Pointing at a way in starts its download, so that the panel is mostly there by the click. Not on
  // focus: opening the menu focuses its first item, and the callback's visitors would download the chat.
  const prefetch = (widget: WidgetName) => () => void fetchPanel(widget).catch(() => undefined);
  useEffect(() => {
    if (missing.length === 0) return;
    let current = true;
    setLoadFailed(false);
    Promise.all(missing.map(fetchPanel)).catch(() => current && setLoadFailed(true));
    return () => {
      current = false;
    };
  }, [missing.join(), attempt]);

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
  const Main = main && loaded[main];
  const Away = notice && loaded.away;
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
          contentKey={`${!!Main}${!!Away}${loadFailed}`}
        >
          {Main ? (
            <Main {...panelProps}>{Away && <Away {...panelProps} inChat nobody={nobody} />}</Main>
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
