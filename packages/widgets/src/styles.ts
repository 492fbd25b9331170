import type { Appearance } from '@threadline/core';
import { isHexColor, readableTextColor } from './contrast';

/*
 * The widgets' styles. They reach the Shadow DOM root only through constructable
 * stylesheets (`root.adoptedStyleSheets`), so a page with `style-src 'self'` needs no
 * exception; a `<style nonce>` is used only where constructable sheets are missing
 * and the page passed `styleNonce`.
 *
 * Custom properties a page may set on the widget's host element (they win over the
 * site config's values):
 *   --threadline-primary      launcher, header, visitor bubbles, buttons (config primaryColor)
 *   --threadline-on-primary   text on the primary colour (config textColor; black or white when the pair fails 4.5:1)
 *   --threadline-surface      panel background (#fff)
 *   --threadline-text         panel text (#1f2937)
 *   --threadline-muted        secondary text: statuses, hints (#4b5563)
 *   --threadline-bubble       background of agent messages, hovered menu items (#f3f4f6)
 *   --threadline-error        errors and the unread badge (#b91c1c)
 *   --threadline-focus        focus ring (#1d4ed8)
 *   --threadline-font         font family (system-ui stack)
 *   --threadline-radius       corner radius of the panel, menu and bubble (12px)
 *   --threadline-z-index      stacking order (config zIndex)
 *   --threadline-offset-x, --threadline-offset-y   distance from the viewport edges (config offsetX/Y)
 *
 * ::part() names: root, launcher, badge, menu, menu-item, bubble, bubble-dismiss,
 * panel, header, title, close-button, body, notice, messages, message,
 * message-visitor, message-agent, author, avatar, status, retry-button, typing,
 * composer, input, send-button; in forms: form, field, hint, error, note, submit,
 * success, timer.
 *
 * Classes the lazily loaded forms (callback request, lead form, leave a message) share:
 * tl-lead (the form), tl-field (label + control + messages; tl-check for a checkbox
 * row), tl-hint, tl-error, tl-note, tl-required, tl-submit, tl-success, tl-timer,
 * tl-hp (the honeypot, off screen), tl-sr (for screen readers only).
 */
// Internal aliases (--m, --e, …) resolve each page-overridable property once. Children keep
// to their corner with auto margins, not align-items, which would flip in a right-to-left layout.
// The panel's height leaves room for the 56 px launcher, the 12 px gap and 16 px above it
// (dvh: the browser's toolbars come and go), so that its header never leaves a short window.
const BASE_CSS = `:host{all:initial;--p:var(--threadline-primary);--o:var(--threadline-on-primary);--s:var(--threadline-surface,#fff);--m:var(--threadline-muted,#4b5563);--b:var(--threadline-bubble,#f3f4f6);--e:var(--threadline-error,#b91c1c);--r:var(--threadline-radius,12px)}
.tl{all:initial;position:fixed;z-index:var(--threadline-z-index);bottom:var(--threadline-offset-y);right:var(--threadline-offset-x);display:flex;flex-direction:column;gap:12px;font:15px/1.45 var(--threadline-font,system-ui,sans-serif);color:var(--threadline-text,#1f2937)}
.tl>*{margin-left:auto}
.tl[data-side=left]{right:auto;left:var(--threadline-offset-x)}
.tl[data-side=left]>*{margin:0 auto 0 0}
:where(.tl *,.tl ::before,.tl ::after){box-sizing:border-box;margin:0;padding:0;font:inherit;color:inherit}
:where(.tl button,.tl input,.tl textarea,.tl select){appearance:none;border:0;background:none;cursor:pointer}
.tl :focus-visible{outline:3px solid var(--threadline-focus,#1d4ed8);outline-offset:2px;box-shadow:0 0 0 5px #fff}
.tl-sr{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
.tl-launcher{position:relative;display:flex;align-items:center;gap:8px;min-width:56px;max-width:calc(100vw - 2 * var(--threadline-offset-x));height:56px;padding:0 16px;border-radius:28px;background:var(--p);color:var(--o);font-weight:600;box-shadow:0 4px 16px #0004}
.tl-icon{padding:0;justify-content:center}
.tl-lt{overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.tl svg{width:24px;height:24px;flex:none}
.tl-badge{position:absolute;top:-4px;inset-inline-end:-4px;min-width:22px;padding:0 6px;border-radius:11px;background:var(--e);color:#fff;font-size:12px;line-height:22px}
.tl-menu,.tl-bubble,.tl-panel{background:var(--s);border-radius:var(--r);box-shadow:0 8px 32px #0004;animation:tl-in .2s}
.tl-menu{display:flex;flex-direction:column;padding:6px}
.tl-menu p{padding:6px 12px;color:var(--m);font-size:13px}
.tl-menu button{display:flex;gap:10px;padding:10px 12px;border-radius:8px}
.tl-menu button:hover,.tl-menu button:focus{background:var(--b)}
.tl-bubble{display:flex;max-width:300px}
.tl-bubble>button:first-child{padding:12px 14px;text-align:start;white-space:pre-wrap}
.tl-x{display:grid;place-items:center;width:40px;height:40px;border-radius:8px}
.tl-panel{display:flex;flex-direction:column;overflow:hidden;width:min(380px,calc(100vw - 2 * var(--threadline-offset-x)));height:min(620px,calc(100dvh - var(--threadline-offset-y) - 84px))}
.tl-head{display:flex;align-items:center;padding:8px;padding-inline-start:16px;background:var(--p);color:var(--o)}
.tl-head h2{flex:1;font-size:17px;font-weight:600}
.tl-body{flex:1;display:flex;flex-direction:column;min-height:0;overflow-y:auto}
.tl-notice{padding:8px 16px;background:#fef3c7;color:#78350f}
.tl-ml{display:flex;align-items:center;gap:8px;min-height:44px;padding:0 16px;border-bottom:1px solid #e5e7eb;font-weight:600}
.tl-log{flex:1;min-height:0;display:flex;flex-direction:column;gap:6px;padding:16px;overflow-y:auto;list-style:none}
.tl-msg{display:flex;flex-direction:column;align-items:flex-start;max-width:85%}
.tl-msg[data-author=visitor]{align-self:flex-end;align-items:flex-end}
.tl-text{padding:8px 12px;border-radius:14px;background:var(--b);white-space:pre-wrap;overflow-wrap:anywhere}
.tl-text a{text-decoration:underline}
[data-author=visitor] .tl-text{background:var(--p);color:var(--o)}
.tl-author{display:flex;align-items:center;gap:6px;margin-top:6px}
.tl-avatar{width:26px;line-height:26px;text-align:center;border-radius:50%;background:var(--p);color:var(--o);font-size:11px}
.tl-status,.tl-typing{font-size:13px;color:var(--m)}
.tl-status[data-status=failed]{color:var(--e)}
.tl-status button,.tl-notice button{margin-inline-start:8px;text-decoration:underline;min-height:24px}
.tl-typing{padding:0 16px;min-height:1.5em}
.tl-compose{display:flex;align-items:flex-end;gap:8px;padding:8px 12px 12px;border-top:1px solid #e5e7eb}
.tl-compose textarea{flex:1;resize:none;max-height:120px}
.tl textarea,.tl input:not([type=checkbox],[type=radio]),.tl select{min-height:44px;padding:10px 12px;border:1px solid #6b7280;border-radius:8px;background:#fff;color:#111827}
.tl-send,.tl-submit{display:grid;place-items:center;min-height:44px;min-width:44px;padding:0 16px;border-radius:8px;background:var(--p);color:var(--o);font-weight:600}
.tl-send{padding:0}
[dir=rtl] .tl-send svg{transform:scaleX(-1)}
.tl-center{display:grid;place-items:center;gap:12px;padding:24px;flex:1;text-align:center}
.tl-lead{display:flex;flex-direction:column;gap:14px;padding:16px}
.tl-field{display:flex;flex-direction:column;gap:4px;border:0}
.tl-field label,.tl-field legend{font-weight:600;font-size:14px}
.tl-check{flex-flow:row wrap;align-items:flex-start;gap:8px}
.tl-check label{flex:1;font-weight:400}
.tl-check .tl-error{flex-basis:100%}
.tl input[type=checkbox],.tl input[type=radio]{appearance:auto;width:18px;height:18px;accent-color:var(--p)}
.tl-hint,.tl-note{font-size:13px;color:var(--m)}
.tl-error{font-size:13px;color:var(--e);font-weight:600}
.tl-required{color:var(--e)}
.tl-submit:disabled{opacity:.6}
.tl-success{display:flex;flex-direction:column;gap:10px;padding:24px 16px;text-align:center}
.tl-success h2{font-size:18px;font-weight:600}
.tl-timer{font-size:28px;font-weight:700;font-variant-numeric:tabular-nums}
.tl-hp{position:absolute;left:-9999px;width:1px;height:1px;overflow:hidden}
@keyframes tl-in{from{opacity:0;transform:translateY(8px)}}
@media (prefers-reduced-motion:reduce){.tl *{animation:none!important}}
@media (max-width:640px){.tl-panel{position:fixed;inset:var(--vt,0px) 0 auto;width:auto;height:var(--vh,100%);border-radius:0}.tl-panel~.tl-launcher{display:none}.tl textarea,.tl input,.tl select{font-size:16px}}
@media (forced-colors:active){.tl-launcher,.tl-panel,.tl-menu,.tl-bubble{border:1px solid}}`;

// Colours and numbers come from the parsed site config; checked again here because
// they are written into CSS text, where anything else could break out of the rule.
function themeCss(appearance: Appearance, viewport?: { top: number; height: number }): string {
  const primary = isHexColor(appearance.primaryColor) ? appearance.primaryColor : '#2563eb';
  const text = isHexColor(appearance.textColor) ? appearance.textColor : '#ffffff';
  const px = (value: number) => `${Math.round(value) || 0}px`;
  return (
    `:host{--threadline-primary:${primary};--threadline-on-primary:${readableTextColor(primary, text)};--threadline-z-index:${Math.round(appearance.zIndex) || 0};--threadline-offset-x:${px(appearance.offsetX)};--threadline-offset-y:${px(appearance.offsetY)}}` +
    (viewport ? `.tl{--vt:${px(viewport.top)};--vh:${px(viewport.height)}}` : '')
  );
}

/** The widgets' stylesheets inside one Shadow DOM root. */
export interface WidgetStyles {
  /** Keeps the mobile panel inside the visual viewport (above the on-screen keyboard). */
  setViewport(viewport: { top: number; height: number } | undefined): void;
  /** Applies a new look and placement (a page's `threadline('config', …)`). */
  setAppearance(appearance: Appearance): void;
  remove(): void;
}

/**
 * Adds the base and theme stylesheets to `root`. Without constructable stylesheets
 * and without a nonce the widgets stay unstyled rather than break the page's CSP.
 */
export function adoptStyles(root: ShadowRoot, appearance: Appearance, nonce?: string): WidgetStyles {
  const constructable = 'adoptedStyleSheets' in root && 'replaceSync' in CSSStyleSheet.prototype;
  const sheets: (CSSStyleSheet | HTMLStyleElement)[] = [];
  const make = (css: string) => {
    if (constructable) {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(css);
      root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
      sheets.push(sheet);
    } else if (nonce !== undefined) {
      const style = document.createElement('style');
      style.nonce = nonce;
      style.textContent = css;
      root.prepend(style);
      sheets.push(style);
    }
  };
  make(BASE_CSS);
  make(themeCss(appearance));
  const theme = sheets[1];
  let viewport: { top: number; height: number } | undefined;
  const write = () => {
    const css = themeCss(appearance, viewport);
    if (constructable) (theme as CSSStyleSheet).replaceSync(css);
    else if (theme) (theme as HTMLStyleElement).textContent = css;
  };
  return {
    setViewport(next) {
      viewport = next;
      write();
    },
    setAppearance(next) {
      appearance = next;
      write();
    },
    remove() {
      if (constructable) root.adoptedStyleSheets = root.adoptedStyleSheets.filter((sheet) => !sheets.includes(sheet));
      else for (const style of sheets as HTMLStyleElement[]) style.remove();
    },
  };
}
