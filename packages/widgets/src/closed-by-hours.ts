import { createOpenAt, type SiteConfig } from '@threadline/core';
import { useEffect, useMemo, useState } from 'preact/hooks';

// setTimeout fires at once for delays above 2^31 − 1 ms (~24.8 days).
const LONGEST_TIMER_MS = 2 ** 31 - 1;

/**
 * Whether the site's business hours say "closed" now: the server's answer
 * (`config.openNow`) until its `changesAt`; past it, or for a config without one (a
 * hand-written config, another backend), core's hours arithmetic, loaded then (~1.6 KB
 * gzip). The widgets render again whenever open or closed changes.
 */
export function useClosedByHours(config: SiteConfig, now: () => number): boolean {
  const [, rerender] = useState(0);
  const openAt = useMemo(() => createOpenAt(config, () => rerender((count) => count + 1)), [config]);
  const at = now();
  // While the arithmetic downloads (milliseconds), the chat stays as it is.
  const span = openAt(at);
  const until = span?.until ?? Infinity;

  useEffect(() => {
    if (until === Infinity) return;
    const timer = setTimeout(() => rerender((count) => count + 1), Math.min(until - at, LONGEST_TIMER_MS));
    return () => clearTimeout(timer);
  }, [until]);

  return span?.open === false;
}
