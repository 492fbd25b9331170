// The launcher bubble the loader draws before any widget code has arrived. Styles go
// through a constructable stylesheet, which a strict CSP (`style-src 'self'`) allows:
// no inline <style> and no style attributes. The widgets remove it (by its
// `data-threadline-loader` attribute) when they draw their own launcher.

/** The appearance fields the bubble reads from the raw site config. */
export interface LauncherLook {
  primaryColor?: unknown;
  textColor?: unknown;
  position?: unknown;
  offsetX?: unknown;
  offsetY?: unknown;
  zIndex?: unknown;
  launcherIcon?: unknown;
  launcherText?: unknown;
}

const ICONS: Record<string, string> = {
  chat: 'M4 4h16v12H8l-4 4z',
  phone: 'M6 3h4l2 5-3 2a11 11 0 0 0 5 5l2-3 5 2v4a2 2 0 0 1-2 2A17 17 0 0 1 4 5a2 2 0 0 1 2-2',
  mail: 'M3 5h18v14H3zm0 0 9 7 9-7',
};

// No checks here: the server answers the config parsed by SiteConfigSchema (colours
// are #hex, offsets and z-index integers, every field defaulted), and the page's own
// overrides are the page's business.

/** The bubble's stylesheet text. `:host { all: initial !important }` wins over any `!important` rule of the page: inside a shadow tree, important declarations of the inner context beat the outer one. */
export function launcherCss(look: LauncherLook): string {
  return `:host{all:initial!important}[data-threadline-loader]{position:fixed;${look.position === 'left' ? 'left' : 'right'}:${look.offsetX}px;bottom:${look.offsetY}px;z-index:${look.zIndex};display:flex;align-items:center;gap:8px;min-width:56px;max-width:calc(100vw - ${2 * Number(look.offsetX)}px);height:56px;padding:0 16px;box-sizing:border-box;overflow:hidden;white-space:nowrap;margin:0;border:0;border-radius:28px;background:${look.primaryColor};color:${look.textColor};font:600 15px system-ui,sans-serif;cursor:pointer;box-shadow:0 4px 14px #0004}[data-threadline-loader]:focus-visible{outline:3px solid ${look.primaryColor};outline-offset:3px}[data-threadline-loader] svg{width:24px;fill:none;stroke:currentColor;stroke-width:2}`;
}

/** Draws the bubble into `root` and returns it. */
export function drawLauncher(root: ShadowRoot, look: LauncherLook): HTMLButtonElement {
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(launcherCss(look));
  root.adoptedStyleSheets = [sheet];
  const button = document.createElement('button');
  button.type = 'button';
  button.setAttribute('part', 'launcher');
  button.setAttribute('data-threadline-loader', '');
  const text = typeof look.launcherText === 'string' ? look.launcherText : '';
  // English until the widgets take over with the visitor's locale (loaded at idle at the latest).
  button.setAttribute('aria-label', text || 'Contact us');
  // Markup from constants only; the configured text goes in as a text node.
  button.innerHTML = `<svg viewBox="0 0 24 24" aria-hidden="true"><path d="${ICONS[look.launcherIcon as string] ?? ICONS.chat}"/></svg>`;
  button.append(text);
  root.append(button);
  return button;
}
