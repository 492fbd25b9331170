import { loadBusinessHours, openNowAt, type BusinessHours, type SiteConfig } from '@threadline/core';
import { useEffect, useState } from 'preact/hooks';

type IsOpenAt = (hours: BusinessHours, at: Date) => boolean;

// setTimeout fires at once for delays above 2^31 − 1 ms (~24.8 days).
const LONGEST_TIMER_MS = 2 ** 31 - 1;

/**
 * Whether the site's business hours say "closed" now. The server's answer
 * (`config.openNow`, read on the server's clock in the site's time zone) holds
 * until its `changesAt`, when the widgets render again; only a page that
 * outlives that answer, or a config without one (a hand-written config, another
 * backend), loads the hours arithmetic from core (~1.4 KB gzip).
 */
export function useClosedByHours(config: SiteConfig, now: () => number): boolean {
  const hours = config.businessHours;
  const told = config.openNow;
  const [, expire] = useState(0);
  const [isOpenAt, setIsOpenAt] = useState<IsOpenAt | undefined>(undefined);
  const at = now();
  const changesAt = told?.changesAt;
  const toldOpen = openNowAt(told, at);
  const trusted = toldOpen !== undefined;

  useEffect(() => {
    if (!hours || trusted || isOpenAt) return;
    let live = true;
    void loadBusinessHours().then((module) => {
      if (live) setIsOpenAt(() => module.isOpenAt);
    });
    return () => {
      live = false;
    };
  }, [hours, trusted, isOpenAt]);

  useEffect(() => {
    if (!trusted || changesAt === undefined) return;
    const timer = setTimeout(() => expire((count) => count + 1), Math.min(changesAt - at, LONGEST_TIMER_MS));
    return () => clearTimeout(timer);
  }, [trusted, changesAt]);

  if (!hours) return false;
  if (trusted) return !toldOpen;
  // While the arithmetic downloads (milliseconds), the chat stays as it is.
  return isOpenAt ? !isOpenAt(hours, new Date(at)) : false;
}
