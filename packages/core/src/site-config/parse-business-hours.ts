import type { BusinessHours } from '../schemas/site-config';
import { isObject, textOf, validItems, withDefault, type Reader } from './read';

type Interval = { from: string; to: string };

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const CLOCK = /^(?:[01]\d|2[0-3]):[0-5]\d$/;

const interval: Reader<Interval> = (value) => {
  if (!isObject(value)) return undefined;
  const from = textOf(5, 0, CLOCK)(value.from);
  const to = value.to === '24:00' ? '24:00' : textOf(5, 0, CLOCK)(value.to);
  return from && to ? { from, to } : undefined;
};

const closedDate = textOf(Infinity, 0, /^\d{4}-\d{2}-\d{2}$/);

/**
 * Business hours as BusinessHoursSchema parses them, forgiving: an invalid interval or
 * closed date is dropped, an invalid day is closed; without a time zone and a `days`
 * object the hours mean nothing and are left out (undefined).
 *
 * An interval whose `to` is not after its `from` (22:00–02:00) is read as running
 * past midnight: it becomes `22:00–24:00` that day and `00:00–02:00` the next (Sunday
 * carries into Monday; an end of `00:00` adds nothing to the next day). The schema
 * accepts such intervals but business-hours.ts would treat them as empty.
 */
export function parseBusinessHours(value: unknown): BusinessHours | undefined {
  if (!isObject(value) || !isObject(value.days)) return undefined;
  const timeZone = textOf(64, 1)(value.timeZone);
  if (timeZone === undefined) return undefined;
  const source = value.days;
  const days = Object.fromEntries(DAYS.map((day) => [day, (source[day] === undefined ? [] : validItems(source[day], interval, 8)) ?? []])) as Record<(typeof DAYS)[number], Interval[]>;
  const overnight = DAYS.map((day) => days[day].filter(({ from, to }) => to <= from));
  DAYS.forEach((day, index) => {
    if (overnight[index]!.length === 0) return;
    const next = DAYS[(index + 1) % 7]!;
    days[day] = days[day].map((open) => (open.to <= open.from ? { from: open.from, to: '24:00' } : open));
    days[next] = [...overnight[index]!.filter(({ to }) => to !== '00:00').map(({ to }) => ({ from: '00:00', to })), ...days[next]];
  });
  return { timeZone, days, closedDates: withDefault(value, 'closedDates', (dates) => validItems(dates, closedDate, 366), []) };
}
