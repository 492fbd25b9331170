import { ThreadlineError } from './errors';
import type { BusinessHours } from './schemas/site-config';

// Opening hours are wall-clock times in the site's IANA time zone. The one source of
// truth for "open" is: the site's wall clock at that instant (as Intl reports it) falls
// inside an interval of that weekday, and that date is not closed. Everything else here
// (next opening, closing time, slots) is derived from it, so the answers agree with
// isOpenAt across DST changes too: an interval that starts in a spring-forward gap opens
// at the jump; one that spans a fall-back hour stays open through both copies of it.
//
// "Wall ms" below means the wall-clock date-time read as if it were UTC
// (Date.UTC(year, month, day, hour, minute, second)); instant + zone offset = wall ms.

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
/** How far ahead nextOpening, closingTime and callbackSlots look. */
const HORIZON_MS = 14 * DAY_MS;
// No real zone changes its offset twice within 12 hours, so sampling the offset at this
// step and bisecting where it differs finds every transition.
const OFFSET_PROBE_MS = 12 * 3_600_000;
const DAY_KEYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

/** A time window: from (inclusive) to (exclusive). */
export interface TimeSlot {
  from: Date;
  to: Date;
}

/** Options of `callbackSlots`. */
export interface CallbackSlotOptions {
  /** How many slots to return at most (1–100). */
  count: number;
  /** Length of one slot in minutes (1–1440). */
  slotMinutes: number;
  /** The earliest slot starts at least this many minutes after `from` (default 0). */
  leadMinutes?: number;
}

type Range = [start: number, end: number];

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    try {
      // Intl would silently use the runtime's own zone for a missing one.
      if (typeof timeZone !== 'string' || timeZone === '') throw new RangeError('no time zone given');
      formatter = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch (cause) {
      throw new ThreadlineError('invalid_input', `timeZone "${timeZone}" is not an IANA time zone this browser knows`, { field: 'timeZone', cause });
    }
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The site's wall clock at `at` (ms), as wall ms. */
function wallAt(formatter: Intl.DateTimeFormat, at: number): number {
  const fields: Record<string, number> = {};
  for (const part of formatter.formatToParts(at)) if (part.type !== 'literal') fields[part.type] = Number(part.value);
  const msOfSecond = ((at % 1000) + 1000) % 1000;
  // Years before 100 would be read as 19xx by Date.UTC; setUTCFullYear takes them as they are.
  const wall = new Date(Date.UTC(2000, fields.month! - 1, fields.day!, fields.hour! % 24, fields.minute!, fields.second!, msOfSecond));
  wall.setUTCFullYear(fields.year!, fields.month! - 1, fields.day!);
  return wall.getTime();
}

const offsetAt = (formatter: Intl.DateTimeFormat, at: number) => wallAt(formatter, at) - at;

function minutesOf(clock: string): number {
  const match = /^(\d\d):(\d\d)$/.exec(clock);
  return match ? Number(match[1]) * 60 + Number(match[2]) : Number.NaN;
}

/** The intervals of the wall day starting at `dayStart` (wall ms), as wall ms ranges; none on a closed date. */
function wallIntervals(hours: BusinessHours, dayStart: number): Range[] {
  if ((hours.closedDates ?? []).includes(new Date(dayStart).toISOString().slice(0, 10))) return [];
  const intervals = hours.days?.[DAY_KEYS[new Date(dayStart).getUTCDay()]!] ?? [];
  const ranges: Range[] = [];
  // An interval whose `to` is not after its `from` is empty: overnight hours are written
  // as two intervals, `22:00–24:00` and the next day's `00:00–02:00`.
  for (const { from, to } of intervals) {
    const start = minutesOf(from);
    const end = minutesOf(to);
    if (start < end) ranges.push([dayStart + start * MINUTE_MS, dayStart + end * MINUTE_MS]);
  }
  return ranges;
}

/** Instants in [from, to) with one zone offset each, split where the offset changes. */
function offsetSegments(formatter: Intl.DateTimeFormat, from: number, to: number): [start: number, end: number, offset: number][] {
  const segments: [number, number, number][] = [];
  let start = from;
  let offset = offsetAt(formatter, from);
  let probe = from;
  while (probe < to) {
    const next = Math.min(probe + OFFSET_PROBE_MS, to);
    const nextOffset = offsetAt(formatter, next);
    if (nextOffset === offset) {
      probe = next;
      continue;
    }
    // Bisect to the first millisecond with the new offset.
    let low = probe;
    let high = next;
    while (high - low > 1) {
      const middle = Math.floor((low + high) / 2);
      if (offsetAt(formatter, middle) === offset) low = middle;
      else high = middle;
    }
    segments.push([start, high, offset]);
    start = high;
    offset = offsetAt(formatter, high);
    probe = high;
  }
  segments.push([start, to, offset]);
  return segments;
}

function timeOf(date: Date, field: string): number {
  const time = date instanceof Date ? date.getTime() : Number.NaN;
  if (!Number.isFinite(time)) throw new ThreadlineError('invalid_input', `${field} must be a valid Date`, { field });
  return time;
}

/** The instants in [from, to) when the business is open, as sorted, merged ranges. */
function openRanges(hours: BusinessHours, from: number, to: number): Range[] {
  const formatter = formatterFor(hours.timeZone);
  const ranges: Range[] = [];
  for (const [start, end, offset] of offsetSegments(formatter, from, to)) {
    for (let dayStart = Math.floor((start + offset) / DAY_MS) * DAY_MS; dayStart < end + offset; dayStart += DAY_MS) {
      for (const [wallStart, wallEnd] of wallIntervals(hours, dayStart)) {
        const rangeStart = Math.max(start, wallStart - offset);
        const rangeEnd = Math.min(end, wallEnd - offset);
        if (rangeStart < rangeEnd) ranges.push([rangeStart, rangeEnd]);
      }
    }
  }
  ranges.sort((a, b) => a[0] - b[0]);
  const merged: Range[] = [];
  for (const range of ranges) {
    const last = merged[merged.length - 1];
    // Touching ranges are one opening: 22:00–24:00 then 00:00–06:00, or hours across a DST jump.
    if (last && range[0] <= last[1]) last[1] = Math.max(last[1], range[1]);
    else merged.push(range);
  }
  return merged;
}

/**
 * True when the business is open at `at`: the site's wall clock falls inside one of that
 * weekday's intervals and the date is not in `closedDates`. Throws a ThreadlineError
 * (`invalid_input`, field `timeZone`) for a time zone the runtime does not know.
 * @example
 * const hours = { timeZone: 'Europe/Kyiv', days: { mon: [{ from: '09:00', to: '18:00' }], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] }, closedDates: [] };
 * isOpenAt(hours, new Date('2026-06-01T07:30:00Z')); // true: Monday 10:30 in Kyiv
 */
export function isOpenAt(hours: BusinessHours, at: Date): boolean {
  const formatter = formatterFor(hours.timeZone);
  const wall = wallAt(formatter, timeOf(at, 'at'));
  const dayStart = Math.floor(wall / DAY_MS) * DAY_MS;
  return wallIntervals(hours, dayStart).some(([start, end]) => wall >= start && wall < end);
}

/**
 * The first instant at or after `at` when the business is open (`at` itself when it is
 * open now), or undefined when it is closed for the whole next 14 days.
 * @example
 * nextOpening(hours, new Date()); // e.g. Monday 09:00 Kyiv time, for "we are back on Monday at 9"
 */
export function nextOpening(hours: BusinessHours, at: Date): Date | undefined {
  const start = timeOf(at, 'at');
  const first = openRanges(hours, start, start + HORIZON_MS)[0];
  return first ? new Date(first[0]) : undefined;
}

/**
 * When the current opening ends, if the business is open at `at`. Back-to-back intervals
 * (`22:00–24:00`, then `00:00–06:00`) count as one opening. Undefined when closed at
 * `at`, or when it stays open for the whole next 14 days.
 * @example
 * closingTime(hours, new Date()); // e.g. today 18:00 site time, for "open until 18:00"
 */
export function closingTime(hours: BusinessHours, at: Date): Date | undefined {
  const start = timeOf(at, 'at');
  const first = openRanges(hours, start, start + HORIZON_MS)[0];
  if (!first || first[0] !== start || first[1] >= start + HORIZON_MS) return undefined;
  return new Date(first[1]);
}

function assertWhole(value: number, field: string, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ThreadlineError('invalid_input', `${field} must be a whole number from ${min} to ${max}`, { field });
  }
}

/**
 * The next `count` windows of `slotMinutes` that lie wholly inside opening hours and
 * start at least `leadMinutes` after `from`: the choices of a "call me at…" picker
 * outside business hours. Slots are laid end to end from the moment the business opens
 * (from local midnight when it is open around the clock); a slot that would run past
 * closing is left out. Looks 14 days ahead, so it may return fewer than `count`.
 * @example
 * callbackSlots(hours, new Date(), { count: 6, slotMinutes: 30, leadMinutes: 15 });
 * // [{ from: Mon 09:00, to: Mon 09:30 }, { from: Mon 09:30, to: Mon 10:00 }, …]
 */
export function callbackSlots(hours: BusinessHours, from: Date, options: CallbackSlotOptions): TimeSlot[] {
  const { count, slotMinutes, leadMinutes = 0 } = options;
  assertWhole(count, 'count', 1, 100);
  assertWhole(slotMinutes, 'slotMinutes', 1, 1440);
  if (!Number.isFinite(leadMinutes) || leadMinutes < 0) throw new ThreadlineError('invalid_input', 'leadMinutes must be 0 or more', { field: 'leadMinutes' });
  const formatter = formatterFor(hours.timeZone);
  const slotMs = slotMinutes * MINUTE_MS;
  const earliest = timeOf(from, 'from') + leadMinutes * MINUTE_MS;
  // Start a day early so that an opening already under way keeps its real opening time
  // as the slot grid's origin.
  const windowStart = earliest - DAY_MS;
  const slots: TimeSlot[] = [];
  for (const [start, end] of openRanges(hours, windowStart, earliest + HORIZON_MS)) {
    if (end <= earliest) continue;
    const wall = wallAt(formatter, earliest);
    const origin = start > windowStart ? start : earliest - (wall - Math.floor(wall / DAY_MS) * DAY_MS);
    let slotStart = origin + Math.max(0, Math.ceil((earliest - origin) / slotMs)) * slotMs;
    for (; slotStart + slotMs <= end && slots.length < count; slotStart += slotMs) {
      slots.push({ from: new Date(slotStart), to: new Date(slotStart + slotMs) });
    }
    if (slots.length === count) break;
  }
  return slots;
}
