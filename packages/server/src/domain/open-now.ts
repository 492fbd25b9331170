import { closingTime, isOpenAt, nextOpening, type BusinessHours, type OpenNow } from '@threadline/core';

/**
 * Whether the business is open at `at` by its hours, and when that changes: the
 * server answers it with the site config, so the browser needs no time-zone
 * arithmetic on the chat's path and a visitor's wrong clock or zone cannot
 * open a closed business.
 */
export function openNow(hours: BusinessHours, at: Date): OpenNow {
  const open = isOpenAt(hours, at);
  const change = open ? closingTime(hours, at) : nextOpening(hours, at);
  return change ? { open, changesAt: change.getTime() } : { open };
}
