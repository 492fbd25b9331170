import { CALLBACK_SLOT_OPTIONS, callbackSlots, closingTime, isOpenAt, nextOpening, type BusinessHours, type OpenNow } from '@threadline/core';

/**
 * Whether the business is open at `at` by its hours, when that changes, and when
 * closed the callback slots to offer: the server answers them with the site
 * config, so the browser needs no time-zone arithmetic (~1.2 KB gzip off every
 * widget download) and a visitor's wrong clock or zone cannot open a closed business.
 */
export function openNow(hours: BusinessHours, at: Date): OpenNow {
  const open = isOpenAt(hours, at);
  const change = open ? closingTime(hours, at) : nextOpening(hours, at);
  return {
    open,
    ...(change ? { changesAt: change.getTime() } : {}),
    ...(open ? {} : { slots: callbackSlots(hours, at, CALLBACK_SLOT_OPTIONS).map((slot) => ({ from: slot.from.getTime(), to: slot.to.getTime() })) }),
  };
}
