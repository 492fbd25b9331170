import type { TriggerCondition } from '../schemas/site-config';

/** What the engine knows about the current page view when it checks a trigger. */
export interface PageViewState {
  /** Now, ms since the epoch. */
  now: number;
  /** When the page view (load or SPA navigation) started. */
  viewStart: number;
  /** The deepest scroll of this page view, 0–100. */
  scrollPercent: number;
  /** Last pointer, key, wheel, scroll or touch activity (or the page view's start). */
  lastActivity: number;
  /** True only while handling the event that showed exit intent. */
  exitIntent: boolean;
  /** Whether the url condition matches the current page. */
  urlMatches(condition: Extract<TriggerCondition, { type: 'url' }>): boolean;
  visitCount(): number;
  /** Whether the business is open now, and until when that stays so (ms), or undefined without business hours. */
  businessHours(): { open: boolean; until: number } | undefined;
}

/**
 * The verdict on one condition: `ok`, or not yet with `wakeAt` (ms) when the passing of
 * time alone may make it hold. Without `wakeAt` only an event (scroll, exit intent,
 * navigation) can change it.
 */
export type ConditionResult = { ok: true } | { ok: false; wakeAt?: number };

const OK: ConditionResult = { ok: true };
const NOT_YET: ConditionResult = { ok: false };

/** Evaluates one trigger condition against the page view. Conditions of unknown types never hold. */
export function checkCondition(condition: TriggerCondition, state: PageViewState): ConditionResult {
  switch (condition.type) {
    case 'timeOnPage': {
      const at = state.viewStart + condition.seconds * 1000;
      return state.now >= at ? OK : { ok: false, wakeAt: at };
    }
    case 'scrollDepth':
      return state.scrollPercent >= condition.percent ? OK : NOT_YET;
    case 'exitIntent':
      return state.exitIntent ? OK : NOT_YET;
    case 'url':
      return state.urlMatches(condition) ? OK : NOT_YET;
    case 'visitCount': {
      const visits = state.visitCount();
      return (condition.min === undefined || visits >= condition.min) && (condition.max === undefined || visits <= condition.max) ? OK : NOT_YET;
    }
    case 'idle': {
      // Activity only moves lastActivity; the wake-up re-checks and sleeps again if needed,
      // so a moving mouse costs an assignment, not a timer.
      const at = state.lastActivity + condition.seconds * 1000;
      return state.now >= at ? OK : { ok: false, wakeAt: at };
    }
    case 'businessHours': {
      const hours = state.businessHours();
      if (!hours) return NOT_YET;
      return hours.open === condition.open ? OK : { ok: false, wakeAt: hours.until };
    }
    default:
      return NOT_YET;
  }
}

/**
 * All conditions of a trigger at once: `ok` when every one holds; otherwise when to look
 * again, if only time stands in the way (the latest of the conditions' wake-ups).
 */
export function checkConditions(conditions: readonly TriggerCondition[], state: PageViewState): ConditionResult {
  let wakeAt = -Infinity;
  for (const condition of conditions) {
    const result = checkCondition(condition, state);
    if (result.ok) continue;
    if (result.wakeAt === undefined) return NOT_YET;
    wakeAt = Math.max(wakeAt, result.wakeAt);
  }
  return wakeAt === -Infinity ? OK : { ok: false, wakeAt };
}
