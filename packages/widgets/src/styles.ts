import type { Appearance } from '@threadline/core';
import { isHexColor, readableTextColor } from './contrast';

/*
 * The widgets' only styles. They reach the Shadow DOM root through constructable
 * stylesheets (`root.adoptedStyleSheets`), so a page with `style-src 'self'` needs no
 * exception; a `<style nonce>` is used only when the browser lacks constructable
 * sheets and the page passed `styleNonce`.
 *
 * Custom properties a page may set on the widget's host element (they win over the
 * site config's values):
 *   --threadline-primary      launcher, header, visitor bubbles, buttons (site config primaryColor)
 *   --threadline-on-primary   text on the primary colour (textColor, or black/white when it fails 4.5:1)
 *   --threadline-surface      panel background (#fff)
 *   --threadline-text         panel text (#1f2937)
 *   --threadline-muted        secondary text: statuses, hints (#4b5563)
 *   --threadline-agent-bubble background of agent messages (#f3f4f6)
 *   --threadline-error        error text and the unread badge (#b91c1c)
 *   --threadline-font         font family (system-ui stack)
 *   --threadline-radius       corner radius of the panel (12px)
 *   --threadline-z-index      stacking order (site config zIndex)
 *   --threadline-offset-x / --threadline-offset-y   distance from the viewport edges
 *
 * ::part() names: root, launcher, badge, menu, menu-item, bubble,
 * bubble-dismiss, panel, header, title, close-button, body, notice, messages, message,
 * message-visitor, message-agent, author, avatar, status, retry-button, typing,
 * composer, input, send-button, form, field, hint, error, note, submit, success, timer.
 *
 * Classes the lazily loaded panels share: tl-field (tl-check for a checkbox row),
 * tl-hint, tl-error, tl-note, tl-required, tl-submit, tl-success, tl-lead, tl-timer,
 * tl-hp (honeypot, off screen), tl-sr (screen readers only).
 */
const BASE_CSS = `
:host{all:initial}
.tl{all:initial;position:fixed;z-index:var(--threadline-z-index);bottom:var(--threadline-offset-y);right:var(--threadline-offset-x);display:flex;flex-direction:column;align-items:flex-end;gap:12px;font:15px/1.45 var(--threadline-font,system-ui,-apple-system,"Segoe UI",Roboto,sans-serif);color:var(--threadline-text,#1f2937);-webkit-text-size-adjust:100%}
.tl[data-side=left]{right:auto;left:var(--threadline-offset-x);align-items:flex-start}
:where(.tl *,.tl ::before,.tl ::after){box-sizing:border-box;margin:0;padding:0;font:inherit;color:inherit;letter-spacing:normal;text-transform:none}
:where(.tl button,.tl input,.tl textarea,.tl select){appearance:none;border:0;background:none;cursor:pointer}
.tl input[type=checkbox],.tl input[type=radio]{appearance:auto;width:18px;height:18px;flex:none;accent-color:var(--threadline-primary)}
.tl :focus-visible{outline:3px solid var(--threadline-focus,#1d4ed8);outline-offset:2px;box-shadow:0 0 0 5px #fff}
:where(.tl a){color:inherit;text-decoration:underline}
.tl-sr,.tl-hp{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
.tl-hp{left:-9999px}
.tl-launcher{position:relative;display:inline-flex;align-items:center;justify-content:center;gap:8px;min-width:56px;height:56px;padding:0 16px;border-radius:28px;background:var(--threadline-primary);color:var(--threadline-on-primary);font-weight:600;box-shadow:0 4px 16px rgba(0,0,0,.25);transition:transform .15s}
.tl-launcher:hover{transform:scale(1.05)}
.tl-launcher svg{width:26px;height:26px;flex:none}
.tl-icon{padding:0}
.tl-badge{position:absolute;inset-block-start:-4px;inset-inline-end:-4px;min-width:22px;height:22px;padding:0 6px;border-radius:11px;background:var(--threadline-error,#b91c1c);color:#fff;font-size:12px;font-weight:700;line-height:22px;text-align:center}
.tl-menu,.tl-bubble,.tl-panel{background:var(--threadline-surface,#fff);border-radius:var(--threadline-radius,12px);box-shadow:0 8px 32px rgba(0,0,0,.22);animation:tl-in .18s ease-out}
.tl-menu{display:flex;flex-direction:column;padding:6px;min-width:220px}
.tl-menu p{padding:6px 12px;color:var(--threadline-muted,#4b5563);font-size:13px}
.tl-menu button{display:flex;align-items:center;gap:10px;padding:10px 12px;border-radius:8px;text-align:start}
.tl-menu button:hover,.tl-menu button:focus{background:var(--threadline-agent-bubble,#f3f4f6)}
.tl-menu svg{width:20px;height:20px;color:var(--threadline-primary)}
.tl-bubble{position:relative;max-width:300px;display:flex;align-items:flex-start}
.tl-bubble>button:first-child{padding:12px 4px;padding-inline-start:14px;text-align:start;white-space:pre-wrap;overflow-wrap:anywhere}
.tl-x{display:grid;place-items:center;flex:none;width:40px;height:40px;border-radius:8px}
.tl-x svg{width:18px;height:18px}
.tl-panel{display:flex;flex-direction:column;overflow:hidden;width:min(380px,calc(100vw - 2 * var(--threadline-offset-x)));height:min(620px,calc(100vh - 120px))}
.tl-head{display:flex;align-items:center;gap:8px;padding:8px;padding-inline-start:16px;background:var(--threadline-primary);color:var(--threadline-on-primary)}
.tl-head h2{flex:1;font-size:17px;font-weight:600}
.tl-body{flex:1;display:flex;flex-direction:column;min-height:0;overflow-y:auto}
.tl-notice{padding:8px 16px;background:#fef3c7;color:#78350f;font-size:14px}
.tl-log{flex:1;display:flex;flex-direction:column;gap:6px;padding:16px;overflow-y:auto;list-style:none}
.tl-msg{display:flex;flex-direction:column;align-items:flex-start;max-width:85%;align-self:flex-start}
.tl-msg[data-author=visitor]{align-self:flex-end;align-items:flex-end}
.tl-text{padding:8px 12px;border-radius:14px;background:var(--threadline-agent-bubble,#f3f4f6);white-space:pre-wrap;overflow-wrap:anywhere}
.tl-msg[data-author=visitor] .tl-text{background:var(--threadline-primary);color:var(--threadline-on-primary)}
.tl-author{display:flex;align-items:center;gap:6px;margin-block-start:6px;font-size:13px;color:var(--threadline-muted,#4b5563)}
.tl-avatar{display:grid;place-items:center;width:26px;height:26px;border-radius:50%;background:var(--threadline-primary);color:var(--threadline-on-primary);font-size:11px;font-weight:700}
.tl-status{display:flex;align-items:center;gap:8px;font-size:12px;color:var(--threadline-muted,#4b5563)}
.tl-status[data-status=failed]{color:var(--threadline-error,#b91c1c)}
.tl-status button{text-decoration:underline;font-weight:600;min-height:24px}
.tl-typing{padding:0 16px 6px;font-size:13px;color:var(--threadline-muted,#4b5563);min-height:1.5em}
.tl-compose{display:flex;align-items:flex-end;gap:8px;padding:8px 12px 12px;border-block-start:1px solid #e5e7eb}
.tl-compose textarea{flex:1;resize:none;max-height:120px;cursor:text}
.tl-compose textarea,.tl-field input:not([type=checkbox]):not([type=radio]),.tl-field textarea,.tl-field select{width:100%;min-height:44px;padding:10px 12px;border:1px solid #6b7280;border-radius:8px;background:#fff;color:#111827;cursor:text}
.tl-field select{cursor:pointer}
.tl-send,.tl-submit{display:inline-grid;place-items:center;min-height:44px;min-width:44px;padding:0 16px;border-radius:8px;background:var(--threadline-primary);color:var(--threadline-on-primary);font-weight:600}
.tl-send{padding:0}
.tl-send svg{width:22px;height:22px}
[dir=rtl] .tl-send svg{transform:scaleX(-1)}
.tl-send:disabled,.tl-submit:disabled{opacity:.6;cursor:default}
.tl-lead{display:flex;flex-direction:column;gap:14px;padding:16px}
.tl-field{display:flex;flex-direction:column;gap:4px;border:0}
.tl-field label,.tl-field legend{font-weight:600;font-size:14px}
.tl-check{flex-direction:row;flex-wrap:wrap;align-items:flex-start;gap:8px}
.tl-check label{flex:1;font-weight:400}
.tl-check .tl-error{flex-basis:100%}
.tl-hint,.tl-note{font-size:13px;color:var(--threadline-muted,#4b5563)}
.tl-error{font-size:13px;color:var(--threadline-error,#b91c1c);font-weight:600}
.tl-required{color:var(--threadline-error,#b91c1c)}
.tl-success{display:flex;flex-direction:column;gap:10px;padding:24px 16px;text-align:center}
.tl-success h2{font-size:18px;font-weight:600}
.tl-timer{font-size:28px;font-weight:700;font-variant-numeric:tabular-nums}
.tl-center{display:grid;place-items:center;gap:12px;padding:24px;flex:1;text-align:center}
@keyframes tl-in{from{opacity:0;transform:translateY(8px)}}
@media (prefers-reduced-motion:reduce){.tl *{animation:none!important;transition:none!important}}
@media (max-width:640px){.tl-panel{position:fixed;inset:var(--tl-vv-top,0px) 0 auto;width:auto;height:var(--tl-vv-height,100%);border-radius:0}.tl-compose textarea,.tl-field input,.tl-field textarea,.tl-field select{font-size:16px}}
@media (forced-colors:active){.tl-launcher,.tl-panel,.tl-menu,.tl-bubble{border:1px solid CanvasText}}
`;

// Colours and numbers come from the parsed site config; checked again here because
// they are written into CSS text, where anything else could break out of the rule.
function themeCss(appearance: Appearance, viewport?: { top: number; height: number }): string {
  const primary = isHexColor(appearance.primaryColor) ? appearance.primaryColor : '#2563eb';
  const text = isHexColor(appearance.textColor) ? appearance.textColor : '#ffffff';
  const px = (value: number) => `${Number.isFinite(value) ? Math.round(value) : 0}px`;
  const vars = [
    `--threadline-primary:${primary}`,
    `--threadline-on-primary:${readableTextColor(primary, text)}`,
    `--threadline-z-index:${Number.isInteger(appearance.zIndex) ? appearance.zIndex : 2147483000}`,
    `--threadline-offset-x:${px(appearance.offsetX)}`,
    `--threadline-offset-y:${px(appearance.offsetY)}`,
  ];
  const keyboard = viewport ? `.tl{--tl-vv-top:${px(viewport.top)};--tl-vv-height:${px(viewport.height)}}` : '';
  return `:host{${vars.join(';')}}${keyboard}`;
}

/** The widgets' stylesheets inside one Shadow DOM root. */
export interface WidgetStyles {
  /** Keeps the mobile panel inside the visual viewport (above the on-screen keyboard). */
  setViewport(viewport: { top: number; height: number } | undefined): void;
  remove(): void;
}

/**
 * Adds the base and theme stylesheets to `root`. Without constructable stylesheets
 * and without a nonce the widgets stay unstyled rather than break the page's CSP.
 */
export function adoptStyles(root: ShadowRoot, appearance: Appearance, nonce?: string): WidgetStyles {
  const constructable = typeof CSSStyleSheet === 'function' && 'replaceSync' in CSSStyleSheet.prototype && 'adoptedStyleSheets' in root;
  if (constructable) {
    const base = new CSSStyleSheet();
    const theme = new CSSStyleSheet();
    base.replaceSync(BASE_CSS);
    theme.replaceSync(themeCss(appearance));
    root.adoptedStyleSheets = [...root.adoptedStyleSheets, base, theme];
    return {
      setViewport: (viewport) => theme.replaceSync(themeCss(appearance, viewport)),
      remove() {
        root.adoptedStyleSheets = root.adoptedStyleSheets.filter((sheet) => sheet !== base && sheet !== theme);
      },
    };
  }
  if (nonce === undefined) return { setViewport() {}, remove() {} };
  const style = document.createElement('style');
  style.nonce = nonce;
  style.textContent = BASE_CSS + themeCss(appearance);
  root.prepend(style);
  return {
    setViewport: (viewport) => void (style.textContent = BASE_CSS + themeCss(appearance, viewport)),
    remove: () => style.remove(),
  };
}
