import { createLogger } from '../internal/logger';
import { createOpenAt } from '../open-now-at';
import type { BusinessHours, OpenNow, Trigger, TriggerAction, TriggerCondition } from '../schemas/site-config';
import { createFrequencyCaps, type TriggerStorage } from './frequency-caps';
import { createUrlMatcher, type UrlMatcher } from './url-match';

/** The parts of `window` the trigger engine uses; the real `window` fits. */
export interface TriggerWindow {
  addEventListener: Window['addEventListener'];
  matchMedia?: Window['matchMedia'];
  readonly scrollY: number;
  readonly innerHeight: number;
  readonly location: { readonly href: string };
  readonly document: {
    addEventListener: Document['addEventListener'];
    readonly documentElement: { readonly scrollHeight: number };
  };
}

/** Options of `createTriggerEngine`. */
export interface TriggerEngineOptions {
  /** The site config's triggers, as parsed by `SiteConfigSchema` or `TriggerSchema`. */
  triggers: readonly Trigger[];
  /** The visitor's visit count now (read whenever a visitCount condition is checked). */
  visitCount: () => number;
  /** The visitor's session id now; `perSession` caps count per id. */
  sessionId: () => string;
  /**
   * The site config's `openNow`, the server's answer to "open now, and until when?", for
   * businessHours conditions: it holds until its `changesAt`.
   */
  openNow?: OpenNow | undefined;
  /**
   * The site's business hours, for businessHours conditions once `openNow` has run out (or
   * without it): the hours arithmetic is then loaded on demand. Without either, those
   * conditions never hold.
   */
  businessHours?: BusinessHours | undefined;
  /** Called when a trigger fires. Errors it throws are logged and do not stop other triggers. */
  onFire: (trigger: Trigger, action: TriggerAction) => void;
  /**
   * Where frequency caps are kept across page loads, under the key `threadline:triggers`.
   * Default: none (caps last for the page). The widgets pass a consent-aware store.
   */
  storage?: TriggerStorage;
  /** The clock, ms since the epoch. Default `Date.now`. */
  now?: () => number;
  /** Where scroll, pointer and key events are listened for. Default `globalThis.window`; none outside browsers. */
  window?: TriggerWindow;
  /** Logs `[threadline]` notes (bad regular expressions, throwing callbacks) to the console. */
  debug?: boolean;
}

/** A running trigger engine. */
export interface TriggerEngine {
  /** Tells the engine about an SPA route change: a new page view at `url` (absolute, or relative to the current location). */
  navigate(url: string): void;
  /** Removes every listener and timer; the engine does nothing afterwards. */
  destroy(): void;
}

// Scroll events come at frame rate; measuring the page at most every 200 ms is plenty
// for a "scrolled past 50 %" rule and keeps layout reads off most frames.
const SCROLL_THROTTLE_MS = 200;
// setTimeout fires at once for delays above 2^31 − 1 ms (about 24.8 days).
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Runs a site's proactive triggers in the page: watches time on page, scroll depth,
 * exit intent, idle time, the URL, the visit count and business hours, and calls
 * `onFire` when all conditions of a trigger hold, at most once per page view and within
 * its frequency caps. It never throws into the page.
 * @example
 * const engine = createTriggerEngine({
 *   triggers: siteConfig.triggers,
 *   openNow: siteConfig.openNow,
 *   businessHours: siteConfig.businessHours,
 *   visitCount: () => client.visitor.value?.visitCount ?? 1,
 *   sessionId: () => client.visitor.value?.sessionId ?? '',
 *   storage: { get: (key) => localStorage.getItem(key), set: (key, value) => localStorage.setItem(key, value) },
 *   onFire: (trigger, action) => (action.type === 'open' ? client.open(action.widget) : showBubble(action.text)),
 * });
 * router.afterEach((to) => engine.navigate(to.fullPath));
 */
export function createTriggerEngine(options: TriggerEngineOptions): TriggerEngine {
  const { triggers } = options;
  const now = options.now ?? Date.now;
  const win = options.window ?? (typeof window === 'undefined' ? undefined : window);
  const logger = createLogger(options.debug ?? false);
  const takeFire = createFrequencyCaps(options.storage, logger.debug);
  // One abort removes every listener.
  const listening = new AbortController();
  const listen = (target: Pick<TriggerWindow, 'addEventListener'>, types: string[], listener: (event: Event) => void, capture = false) => {
    for (const type of types) target.addEventListener(type, listener, { passive: true, capture, signal: listening.signal });
  };

  const matchers = new Map<TriggerCondition, UrlMatcher>();
  const uses = new Set<string>();
  for (const trigger of triggers) {
    for (const condition of trigger.conditions) {
      uses.add(condition.type);
      if (condition.type === 'url') {
        matchers.set(condition, createUrlMatcher(condition, (pattern, error) => logger.debug(`trigger "${trigger.id}": invalid regular expression ${pattern}; its url condition never holds`, error)));
      }
    }
  }

  /** Counts page views, so that a check interrupted by navigate() stops. */
  let pageView = 0;
  let url = win?.location.href ?? '';
  let viewStart = now();
  let lastActivity = viewStart;
  /** The deepest scroll of this page view, 0–100. */
  let scrollPercent = 0;
  let lastScrollMeasure = -Infinity;
  /** Triggers done for this page view: fired, or held back by their caps. */
  let done = new Set<Trigger>();
  let wakeTimer: ReturnType<typeof setTimeout> | undefined;
  let scrollTimer: ReturnType<typeof setTimeout> | undefined;

  const openAt = createOpenAt(options, () => evaluate(false));

  /**
   * When one condition holds, as far as the passing of time alone can tell (ms): a moment
   * at or before `at` when it holds now, a later one when it will then (time on page, idle,
   * business hours), Infinity when only an event (scroll, exit intent, navigation) can make
   * it hold. Conditions of unknown types never hold.
   */
  const holdsFrom = (condition: TriggerCondition, at: number, exitIntent: boolean): number => {
    const when = (holds: boolean) => (holds ? 0 : Infinity);
    switch (condition.type) {
      case 'timeOnPage':
        return viewStart + condition.seconds * 1000;
      case 'idle':
        // Activity only moves lastActivity; the wake-up re-checks and sleeps again if needed,
        // so a moving mouse costs an assignment, not a timer.
        return lastActivity + condition.seconds * 1000;
      case 'scrollDepth':
        return when(scrollPercent >= condition.percent);
      case 'exitIntent':
        return when(exitIntent);
      case 'url':
        return when(matchers.get(condition)!(url));
      case 'visitCount': {
        const visits = options.visitCount();
        return when(visits >= (condition.min ?? 0) && visits <= (condition.max ?? Infinity));
      }
      case 'businessHours': {
        const open = openAt(at);
        return open?.open === condition.open ? 0 : (open?.until ?? Infinity);
      }
      default:
        return Infinity;
    }
  };

  const schedule = (at: number) => {
    clearTimeout(wakeTimer);
    if (!listening.signal.aborted && at < Infinity) wakeTimer = setTimeout(() => evaluate(false), Math.min(MAX_TIMER_MS, at - now()));
  };

  /** Checks every trigger not yet done in this page view; fires those whose conditions hold; sleeps until the next time-based change. */
  function evaluate(exitIntent: boolean): void {
    const view = pageView;
    const at = now();
    let wakeAt = Infinity;
    for (const trigger of triggers) {
      // onFire may have destroyed the engine, or navigated (which checked the new page view itself).
      if (listening.signal.aborted || view !== pageView) return;
      if (done.has(trigger)) continue;
      // A throwing visitCount, sessionId or onFire stops this trigger's check only.
      try {
        // All conditions must hold at once: the trigger holds from the latest moment any of them does.
        const from = Math.max(...trigger.conditions.map((condition) => holdsFrom(condition, at, exitIntent)));
        if (from > at) {
          wakeAt = Math.min(wakeAt, from);
          continue;
        }
        done.add(trigger);
        // Counted before the call: a failing onFire must not make the trigger fire again and again.
        if (takeFire(trigger, options.sessionId(), at)) options.onFire(trigger, trigger.action);
      } catch (error) {
        logger.warn(`trigger "${trigger.id}" threw`, error);
      }
    }
    if (view === pageView) schedule(wakeAt);
  }

  const measureScroll = (page: TriggerWindow) => {
    lastScrollMeasure = now();
    const range = page.document.documentElement.scrollHeight - page.innerHeight;
    // One pixel of slack: zoomed pages stop a fraction of a pixel short of the bottom.
    const percent = range > 0 ? Math.min(100, ((page.scrollY + 1) / range) * 100) : 100;
    if (percent > scrollPercent) {
      scrollPercent = percent;
      evaluate(false);
    }
  };

  if (win) {
    if (uses.has('scrollDepth')) {
      listen(win, ['scroll'], () => {
        if (scrollTimer !== undefined) return;
        const wait = lastScrollMeasure + SCROLL_THROTTLE_MS - now();
        if (wait <= 0) return measureScroll(win);
        // The trailing measurement catches where the scroll came to rest.
        scrollTimer = setTimeout(() => {
          scrollTimer = undefined;
          measureScroll(win);
        }, wait);
      });
    }
    // Capture phase, so that scrolling inside any element counts too.
    if (uses.has('idle')) listen(win, ['pointerdown', 'pointermove', 'keydown', 'wheel', 'touchstart', 'scroll'], () => void (lastActivity = now()), true);
    // Exit intent means a mouse leaving through the top edge: a touch-only device has no
    // such gesture, and its emulated mouse events would only produce false alarms.
    if (uses.has('exitIntent') && win.matchMedia?.('(pointer: fine)').matches) {
      listen(win.document, ['mouseout'], (event) => {
        const { relatedTarget, clientY } = event as MouseEvent;
        if (relatedTarget === null && clientY <= 0) evaluate(true);
      });
    }
  }

  // The first check waits for a 0 ms timer, so that onFire can already use the engine
  // createTriggerEngine returns.
  schedule(viewStart);

  return {
    navigate(next) {
      if (listening.signal.aborted) return;
      try {
        url = new URL(next, win?.location.href ?? url).href;
      } catch {
        url = next;
      }
      pageView += 1;
      viewStart = lastActivity = now();
      scrollPercent = 0;
      lastScrollMeasure = -Infinity;
      done = new Set();
      evaluate(false);
    },
    destroy() {
      listening.abort();
      clearTimeout(wakeTimer);
      clearTimeout(scrollTimer);
    },
  };
}
