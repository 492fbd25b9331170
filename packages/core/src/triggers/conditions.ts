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
  /** Whether the business is open now, and until when that stays so (ms; Infinity: no change ahead), or undefined when unknown. */
  openNow(): { open: boolean; until: number } | undefined;
}

/**
 * When one condition holds, as far as the passing of time alone can tell (ms): a moment
 * at or before `state.now` when it holds now, a later one when it will then (time on page,
 * idle, business hours), Infinity when only an event (scroll, exit intent, navigation) can
 * make it hold. Conditions of unknown types never hold.
 */
export function holdsFrom(condition: TriggerCondition, state: PageViewState): number {
  const when = (holds: boolean) => (holds ? 0 : Infinity);
  switch (condition.type) {
    case 'timeOnPage':
      return state.viewStart + condition.seconds * 1000;
    case 'idle':
      // Activity only moves lastActivity; the wake-up re-checks and sleeps again if needed,
      // so a moving mouse costs an assignment, not a timer.
      return state.lastActivity + condition.seconds * 1000;
    case 'scrollDepth':
      return when(state.scrollPercent >= condition.percent);
    case 'exitIntent':
      return when(state.exitIntent);
    case 'url':
      return when(state.urlMatches(condition));
    case 'visitCount': {
      const visits = state.visitCount();
      return when(visits >= (condition.min ?? 0) && visits <= (condition.max ?? Infinity));
    }
    case 'businessHours': {
      const hours = state.openNow();
      return hours?.open === condition.open ? 0 : (hours?.until ?? Infinity);
    }
    default:
      return Infinity;
  }
}
