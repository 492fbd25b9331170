import { closingTime, isOpenAt, nextOpening } from '../business-hours';
import { createLogger } from '../internal/logger';
import type { BusinessHours, Trigger, TriggerAction, TriggerCondition } from '../schemas/site-config';
import { checkConditions, type PageViewState } from './conditions';
import { createFrequencyCaps, createMemoryTriggerStorage, type TriggerStorage } from './frequency-caps';
import { createUrlMatcher, type UrlMatcher } from './url-match';

/** The parts of `window` the trigger engine uses; the real `window` fits. */
export interface TriggerWindow {
  addEventListener: Window['addEventListener'];
  removeEventListener: Window['removeEventListener'];
  matchMedia?: Window['matchMedia'];
  readonly scrollY: number;
  readonly innerHeight: number;
  readonly location: { readonly href: string };
  readonly document: {
    addEventListener: Document['addEventListener'];
    removeEventListener: Document['removeEventListener'];
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
  /** The site's business hours, for businessHours conditions (without them those never hold). */
  businessHours?: BusinessHours;
  /** Called when a trigger fires. Errors it throws are logged and do not stop other triggers. */
  onFire: (trigger: Trigger, action: TriggerAction) => void;
  /**
   * Where frequency caps are kept across page loads, under the key `threadline:triggers`.
   * Default: memory (caps last for the page). The widgets pass a consent-aware store.
   */
  storage?: TriggerStorage;
  /** The clock, ms since the epoch. Default `Date.now`. */
  now?: () => number;
  /** Where scroll, pointer and key events are listened for. Default `globalThis.window`; none outside browsers. */
  window?: TriggerWindow;
  /** Logs `[threadline]` notes (bad regular expressions, throwing onFire) to the console. */
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
// Re-check business hours at least daily when they never change within nextOpening's horizon.
const HOURS_RECHECK_MS = 86_400_000;
// A config written for a newer SDK may carry condition types this one does not know.
const KNOWN_CONDITIONS: readonly string[] = ['timeOnPage', 'scrollDepth', 'exitIntent', 'url', 'visitCount', 'idle', 'businessHours'] satisfies TriggerCondition['type'][];
const ACTIVITY_EVENTS = ['pointerdown', 'pointermove', 'keydown', 'wheel', 'touchstart', 'scroll'] as const;

type Listener = [target: Pick<EventTarget, 'addEventListener' | 'removeEventListener'>, type: string, listener: (event: Event) => void, options: AddEventListenerOptions];

/**
 * Runs a site's proactive triggers in the page: watches time on page, scroll depth,
 * exit intent, idle time, the URL, the visit count and business hours, and calls
 * `onFire` when all conditions of a trigger hold, at most once per page view and within
 * its frequency caps. It never throws into the page.
 * @example
 * const engine = createTriggerEngine({
 *   triggers: siteConfig.triggers,
 *   businessHours: siteConfig.businessHours,
 *   visitCount: () => client.visitor.value?.visitCount ?? 1,
 *   sessionId: () => client.visitor.value?.sessionId ?? '',
 *   storage: { get: (key) => localStorage.getItem(key), set: (key, value) => localStorage.setItem(key, value) },
 *   onFire: (trigger, action) => (action.type === 'open' ? client.open(action.widget) : showBubble(action.text)),
 * });
 * router.afterEach((to) => engine.navigate(to.fullPath));
 */
export function createTriggerEngine(options: TriggerEngineOptions): TriggerEngine {
  const { triggers, businessHours, onFire } = options;
  const now = options.now ?? Date.now;
  const win: TriggerWindow | undefined = options.window ?? (typeof window === 'undefined' ? undefined : window);
  const logger = createLogger(options.debug ?? false);
  const caps = createFrequencyCaps(options.storage ?? createMemoryTriggerStorage(), (message, error) => logger.debug(message, error));

  const matchers = new Map<TriggerCondition, UrlMatcher>();
  const uses = new Set<TriggerCondition['type']>();
  for (const trigger of triggers) {
    for (const condition of trigger.conditions) {
      uses.add(condition.type);
      if (!KNOWN_CONDITIONS.includes(condition.type)) logger.debug(`trigger "${trigger.id}": unknown condition type ${String(condition.type)}; it never holds`);
      if (condition.type === 'url') {
        matchers.set(condition, createUrlMatcher(condition, (pattern, error) => logger.debug(`trigger "${trigger.id}": invalid regular expression ${pattern}; its url condition never holds`, error)));
      }
    }
  }

  let destroyed = false;
  /** Counts page views, so that a check interrupted by navigate() stops. */
  let pageView = 0;
  let url = win?.location.href ?? '';
  let viewStart = now();
  let lastActivity = viewStart;
  let scrollPercent = 0;
  /** Triggers done for this page view: fired, or held back by their caps. */
  let done = new Set<Trigger>();
  let urlResults = new Map<TriggerCondition, boolean>();
  let hours: { open: boolean; until: number } | undefined;
  let hoursFailed = false;
  let wakeTimer: ReturnType<typeof setTimeout> | undefined;
  let scrollTimer: ReturnType<typeof setTimeout> | undefined;
  let lastScrollMeasure = -Infinity;

  const businessHoursNow = (at: number): { open: boolean; until: number } | undefined => {
    if (!businessHours || hoursFailed) return undefined;
    if (hours && at < hours.until) return hours;
    try {
      const open = isOpenAt(businessHours, new Date(at));
      const change = open ? closingTime(businessHours, new Date(at)) : nextOpening(businessHours, new Date(at));
      hours = { open, until: change?.getTime() ?? at + HOURS_RECHECK_MS };
    } catch (error) {
      hoursFailed = true;
      logger.debug('business hours unusable; businessHours conditions never hold', error);
      return undefined;
    }
    return hours;
  };

  const pageState = (at: number, exitIntent: boolean): PageViewState => ({
    now: at,
    viewStart,
    scrollPercent,
    lastActivity,
    exitIntent,
    urlMatches(condition) {
      let result = urlResults.get(condition);
      if (result === undefined) {
        result = matchers.get(condition)?.(url) ?? false;
        urlResults.set(condition, result);
      }
      return result;
    },
    visitCount() {
      try {
        return options.visitCount();
      } catch (error) {
        logger.debug('visitCount() threw', error);
        return 0;
      }
    },
    businessHours: () => businessHoursNow(at),
  });

  const fire = (trigger: Trigger, at: number) => {
    done.add(trigger);
    let sessionId: string;
    try {
      sessionId = options.sessionId();
    } catch (error) {
      logger.debug('sessionId() threw', error);
      sessionId = '';
    }
    if (!caps.allows(trigger, sessionId, at)) return;
    // Counted before the call: a failing onFire must not make the trigger fire again and again.
    caps.record(trigger, sessionId, at);
    try {
      onFire(trigger, trigger.action);
    } catch (error) {
      logger.warn(`onFire threw for trigger "${trigger.id}"`, error);
    }
  };

  const schedule = (at: number) => {
    if (wakeTimer !== undefined) clearTimeout(wakeTimer);
    wakeTimer = undefined;
    if (destroyed || at === Infinity) return;
    wakeTimer = setTimeout(() => {
      wakeTimer = undefined;
      evaluate(false);
    }, Math.min(MAX_TIMER_MS, Math.max(0, at - now())));
  };

  /** Checks every trigger not yet done in this page view; fires those whose conditions hold; sleeps until the next time-based change. */
  function evaluate(exitIntent: boolean): void {
    if (destroyed) return;
    const view = pageView;
    const state = pageState(now(), exitIntent);
    let wakeAt = Infinity;
    for (const trigger of triggers) {
      if (done.has(trigger)) continue;
      const result = checkConditions(trigger.conditions, state);
      if (result.ok) fire(trigger, state.now);
      else if (result.wakeAt !== undefined) wakeAt = Math.min(wakeAt, result.wakeAt);
      // onFire may have destroyed the engine, or navigated (which checked the new page view itself).
      if (destroyed || view !== pageView) return;
    }
    schedule(wakeAt);
  }

  const measureScroll = () => {
    if (!win) return;
    lastScrollMeasure = now();
    const range = win.document.documentElement.scrollHeight - win.innerHeight;
    // One pixel of slack: zoomed pages stop a fraction of a pixel short of the bottom.
    const percent = range > 0 ? Math.min(100, ((win.scrollY + 1) / range) * 100) : 100;
    if (percent <= scrollPercent) return;
    scrollPercent = percent;
    evaluate(false);
  };

  const listeners: Listener[] = [];
  if (win) {
    if (uses.has('scrollDepth')) {
      listeners.push([
        win,
        'scroll',
        () => {
          if (scrollTimer !== undefined) return;
          const wait = lastScrollMeasure + SCROLL_THROTTLE_MS - now();
          if (wait <= 0) measureScroll();
          // The trailing measurement catches where the scroll came to rest.
          else
            scrollTimer = setTimeout(() => {
              scrollTimer = undefined;
              measureScroll();
            }, wait);
        },
        { passive: true },
      ]);
    }
    if (uses.has('idle')) {
      // Capture phase, so that scrolling inside any element counts too.
      const active = () => void (lastActivity = now());
      for (const type of ACTIVITY_EVENTS) listeners.push([win, type, active, { passive: true, capture: true }]);
    }
    // Exit intent means a mouse leaving through the top edge: a touch-only device has no
    // such gesture, and its emulated mouse events would only produce false alarms.
    if (uses.has('exitIntent') && win.matchMedia?.('(pointer: fine)').matches) {
      listeners.push([
        win.document,
        'mouseout',
        (event) => {
          const { relatedTarget, clientY } = event as MouseEvent;
          if (relatedTarget === null && clientY <= 0) evaluate(true);
        },
        { passive: true },
      ]);
    }
  }
  for (const [target, type, listener, listenerOptions] of listeners) target.addEventListener(type, listener, listenerOptions);

  // The first check waits for a 0 ms timer, so that onFire can already use the engine
  // createTriggerEngine returns.
  schedule(viewStart);

  return {
    navigate(next: string): void {
      if (destroyed) return;
      try {
        url = new URL(next, win?.location.href ?? url).href;
      } catch {
        url = next;
      }
      pageView += 1;
      viewStart = now();
      lastActivity = viewStart;
      scrollPercent = 0;
      lastScrollMeasure = -Infinity;
      done = new Set();
      urlResults = new Map();
      evaluate(false);
    },
    destroy(): void {
      if (destroyed) return;
      destroyed = true;
      if (wakeTimer !== undefined) clearTimeout(wakeTimer);
      if (scrollTimer !== undefined) clearTimeout(scrollTimer);
      wakeTimer = scrollTimer = undefined;
      for (const [target, type, listener, listenerOptions] of listeners) target.removeEventListener(type, listener, listenerOptions);
    },
  };
}
