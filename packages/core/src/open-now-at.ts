import type { BusinessHours, OpenNow } from './schemas/site-config';
import { loadBusinessHours } from './load-business-hours';

// Re-read the hours at least daily when they never change within nextOpening's horizon.
const RECHECK_MS = 86_400_000;

/**
 * Whether the server's answer (the site config's `openNow`, read on the server's clock in
 * the site's time zone) says open at `at` (ms): `openNow.open` while `at` is before its
 * `changesAt` (or always, without one: nothing changes within the server's horizon).
 * Undefined without an answer, or once `at` has reached `changesAt`: the business has
 * opened or closed since, and only its hours can say for how long.
 * @example
 * const open = openNowAt(config.openNow, Date.now());
 */
export function openNowAt(openNow: OpenNow | undefined, at: number): boolean | undefined {
  return openNow && at < (openNow.changesAt ?? Infinity) ? openNow.open : undefined;
}

/** Open or closed, and until when (ms since the epoch; Infinity when nothing changes ahead). */
export interface OpenSpan {
  open: boolean;
  until: number;
}

/**
 * Creates `openAt(at)`: whether the business is open at `at` and until when. It answers
 * from the server's `openNow` while that holds; past its `changesAt` (a page left open over
 * an opening or a closing), or without it, from `businessHours` through core's hours
 * arithmetic, loaded on first need (~1.6 KB gzip): until then it answers undefined, and
 * `onLoad` is called once the arithmetic is there. Undefined as well without hours, or
 * with hours this runtime cannot read (an unknown time zone).
 * @example
 * const openAt = createOpenAt(siteConfig, () => render());
 * const closed = openAt(Date.now())?.open === false;
 */
export function createOpenAt(config: { openNow?: OpenNow | undefined; businessHours?: BusinessHours | undefined }, onLoad: () => void): (at: number) => OpenSpan | undefined {
  let { businessHours } = config;
  let known: OpenSpan | undefined;
  /** The hours arithmetic: null while it loads. */
  let arithmetic: Awaited<ReturnType<typeof loadBusinessHours>> | null | undefined;
  return (at) => {
    if (known && at < known.until) return known;
    const told = openNowAt(config.openNow, at);
    if (told !== undefined) return (known = { open: told, until: config.openNow?.changesAt ?? Infinity });
    if (!businessHours) return undefined;
    if (arithmetic === undefined) {
      arithmetic = null;
      loadBusinessHours().then(
        (loaded) => {
          arithmetic = loaded;
          onLoad();
        },
        // Offline, say: no answer rather than a wrong one.
        () => (businessHours = undefined),
      );
    }
    if (!arithmetic) return undefined;
    try {
      const date = new Date(at);
      const open = arithmetic.isOpenAt(businessHours, date);
      return (known = { open, until: (open ? arithmetic.closingTime : arithmetic.nextOpening)(businessHours, date)?.getTime() ?? at + RECHECK_MS });
    } catch {
      businessHours = undefined;
      return undefined;
    }
  };
}
