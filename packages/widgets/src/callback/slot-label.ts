import type { TimeSlot } from '@threadline/core';

/**
 * "Mon, 24 Nov, 09:00 – 10:00" in the visitor's own time zone and language: the slots
 * are computed in the site's zone (core's callbackSlots), but a visitor abroad must
 * read when their phone will ring.
 */
export function slotLabel(slot: TimeSlot, locale: string): string {
  const format = new Intl.DateTimeFormat(locale, { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
  return format.formatRange(slot.from, slot.to);
}

/** The visitor's IANA time zone, named in the slot hint. */
export function visitorTimeZone(): string {
  return new Intl.DateTimeFormat().resolvedOptions().timeZone;
}
