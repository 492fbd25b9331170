import fc from 'fast-check';
import { expect, test } from 'vitest';
import { BusinessHoursSchema, callbackSlots, closingTime, isOpenAt, isThreadlineError, nextOpening, type BusinessHours } from '../src/index.ts';

type DayKey = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';
type Week = Partial<Record<DayKey, [from: string, to: string][]>>;

function hoursIn(timeZone: string, week: Week, closedDates: string[] = []): BusinessHours {
  const days = Object.fromEntries(Object.entries(week).map(([day, intervals]) => [day, intervals.map(([from, to]) => ({ from, to }))]));
  return BusinessHoursSchema.parse({ timeZone, days, closedDates });
}

const nineToSix: [string, string][] = [['09:00', '18:00']];
const weekdays = (intervals: [string, string][]): Week => ({ mon: intervals, tue: intervals, wed: intervals, thu: intervals, fri: intervals });
const at = (iso: string) => new Date(iso);
const iso = (date: Date | undefined) => date?.toISOString();
const slotsIso = (slots: { from: Date; to: Date }[]) => slots.map(({ from, to }) => `${from.toISOString()}/${to.toISOString()}`);

test('is open from the start of an interval up to, not including, its end, in the site time zone', () => {
  const kyiv = hoursIn('Europe/Kyiv', weekdays(nineToSix));
  // Monday 1 June 2026; Kyiv is UTC+3 in summer.
  expect(isOpenAt(kyiv, at('2026-06-01T05:59:59.999Z'))).toBe(false);
  expect(isOpenAt(kyiv, at('2026-06-01T06:00:00Z'))).toBe(true);
  expect(isOpenAt(kyiv, at('2026-06-01T14:59:59.999Z'))).toBe(true);
  expect(isOpenAt(kyiv, at('2026-06-01T15:00:00Z'))).toBe(false);
  // Saturday has no intervals.
  expect(isOpenAt(kyiv, at('2026-06-06T09:00:00Z'))).toBe(false);
});

test('reads 24:00 as the end of the day and treats back-to-back intervals across midnight as one opening', () => {
  const lateShift = hoursIn('UTC', { fri: [['22:00', '24:00']], sat: [['00:00', '06:00']] });
  expect(isOpenAt(lateShift, at('2026-06-05T23:59:59Z'))).toBe(true);
  expect(isOpenAt(lateShift, at('2026-06-06T00:00:00Z'))).toBe(true);
  expect(iso(closingTime(lateShift, at('2026-06-05T23:00:00Z')))).toBe('2026-06-06T06:00:00.000Z');
  expect(closingTime(lateShift, at('2026-06-06T07:00:00Z'))).toBeUndefined();
});

test('treats an interval whose end is not after its start as empty', () => {
  const backwards = hoursIn('UTC', { mon: [['22:00', '02:00'], ['10:00', '10:00']] });
  expect(isOpenAt(backwards, at('2026-06-01T23:00:00Z'))).toBe(false);
  expect(isOpenAt(backwards, at('2026-06-02T01:00:00Z'))).toBe(false);
  expect(isOpenAt(backwards, at('2026-06-01T10:00:00Z'))).toBe(false);
});

test('closes all day on closedDates read as dates in the site time zone', () => {
  // 24 December 2026, 20:00 UTC is already Friday 25 December, 09:00 in Auckland (UTC+13).
  const auckland = hoursIn('Pacific/Auckland', weekdays([['08:00', '17:00']]), ['2026-12-25']);
  expect(isOpenAt(auckland, at('2026-12-24T20:00:00Z'))).toBe(false);
  expect(isOpenAt(auckland, at('2026-12-23T20:00:00Z'))).toBe(true);
  // The next opening skips the holiday and the weekend: Monday 28 December, 08:00 NZDT.
  expect(iso(nextOpening(auckland, at('2026-12-24T20:00:00Z')))).toBe('2026-12-27T19:00:00.000Z');
});

test('finds the next opening, now when open, and none when closed for the next 14 days', () => {
  const kyiv = hoursIn('Europe/Kyiv', weekdays(nineToSix));
  // Friday 5 June 2026, 19:00 Kyiv → Monday 09:00 Kyiv.
  expect(iso(nextOpening(kyiv, at('2026-06-05T16:00:00Z')))).toBe('2026-06-08T06:00:00.000Z');
  expect(iso(nextOpening(kyiv, at('2026-06-08T07:15:00Z')))).toBe('2026-06-08T07:15:00.000Z');
  expect(nextOpening(hoursIn('Europe/Kyiv', {}), at('2026-06-08T07:15:00Z'))).toBeUndefined();
  const closedForAFortnight = Array.from({ length: 15 }, (_, day) => new Date(Date.UTC(2026, 5, 8 + day)).toISOString().slice(0, 10));
  expect(nextOpening(hoursIn('Europe/Kyiv', weekdays(nineToSix), closedForAFortnight), at('2026-06-07T12:00:00Z'))).toBeUndefined();
});

test('answers closingTime only while open, and not for a business open around the clock', () => {
  const kyiv = hoursIn('Europe/Kyiv', weekdays(nineToSix));
  expect(iso(closingTime(kyiv, at('2026-06-01T07:00:00Z')))).toBe('2026-06-01T15:00:00.000Z');
  expect(closingTime(kyiv, at('2026-06-01T16:00:00Z'))).toBeUndefined();
  const always = hoursIn('UTC', Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((day) => [day, [['00:00', '24:00']]])));
  expect(closingTime(always, at('2026-06-01T07:00:00Z'))).toBeUndefined();
});

test('keeps New York hours that span the March 2026 jump to daylight time three real hours long', () => {
  // Sunday 8 March 2026: 02:00 EST becomes 03:00 EDT at 07:00 UTC.
  const ny = hoursIn('America/New_York', { sun: [['01:00', '05:00']] });
  expect(iso(nextOpening(ny, at('2026-03-07T23:00:00Z')))).toBe('2026-03-08T06:00:00.000Z'); // 01:00 EST
  expect(isOpenAt(ny, at('2026-03-08T06:59:59Z'))).toBe(true);
  expect(isOpenAt(ny, at('2026-03-08T07:00:00Z'))).toBe(true);
  expect(iso(closingTime(ny, at('2026-03-08T06:30:00Z')))).toBe('2026-03-08T09:00:00.000Z'); // 05:00 EDT
});

test('opens New York hours that start inside the skipped hour at the moment the clock jumps', () => {
  const ny = hoursIn('America/New_York', { sun: [['02:30', '04:00']] });
  expect(isOpenAt(ny, at('2026-03-08T06:59:59Z'))).toBe(false); // 01:59:59 EST
  expect(iso(nextOpening(ny, at('2026-03-08T05:00:00Z')))).toBe('2026-03-08T07:00:00.000Z'); // 03:00 EDT
  expect(iso(closingTime(ny, at('2026-03-08T07:00:00Z')))).toBe('2026-03-08T08:00:00.000Z'); // 04:00 EDT
});

test('stays open through both copies of the repeated hour when New York falls back in November 2026', () => {
  // Sunday 1 November 2026: 02:00 EDT becomes 01:00 EST at 06:00 UTC.
  const ny = hoursIn('America/New_York', { sun: [['00:00', '03:00']] });
  expect(iso(nextOpening(ny, at('2026-10-31T20:00:00Z')))).toBe('2026-11-01T04:00:00.000Z'); // 00:00 EDT
  expect(isOpenAt(ny, at('2026-11-01T06:30:00Z'))).toBe(true); // 01:30 EST, the second time round
  expect(iso(closingTime(ny, at('2026-11-01T05:30:00Z')))).toBe('2026-11-01T08:00:00.000Z'); // 03:00 EST: four real hours
  // An interval inside the repeated hour opens twice.
  const repeated = hoursIn('America/New_York', { sun: [['01:00', '01:30']] });
  expect(iso(closingTime(repeated, at('2026-11-01T05:00:00Z')))).toBe('2026-11-01T05:30:00.000Z');
  expect(iso(nextOpening(repeated, at('2026-11-01T05:30:00Z')))).toBe('2026-11-01T06:00:00.000Z');
});

test('follows Kyiv across its March and October 2026 clock changes', () => {
  const kyiv = hoursIn('Europe/Kyiv', { ...weekdays(nineToSix), sun: [['03:00', '05:00']] });
  // Friday 27 March, 19:00 EET → Monday 30 March 09:00 EEST, which is 06:00 UTC, no longer 07:00.
  expect(iso(nextOpening(kyiv, at('2026-03-27T17:00:00Z')))).toBe('2026-03-29T01:00:00.000Z'); // Sunday: 03:00 EET does not exist, opens at 04:00 EEST
  expect(iso(closingTime(kyiv, at('2026-03-29T01:00:00Z')))).toBe('2026-03-29T02:00:00.000Z'); // 05:00 EEST
  expect(iso(nextOpening(kyiv, at('2026-03-29T03:00:00Z')))).toBe('2026-03-30T06:00:00.000Z');
  // Sunday 25 October: 04:00 EEST becomes 03:00 EET at 01:00 UTC; 03:00–05:00 lasts three real hours.
  expect(iso(nextOpening(kyiv, at('2026-10-24T20:00:00Z')))).toBe('2026-10-25T00:00:00.000Z'); // 03:00 EEST
  expect(iso(closingTime(kyiv, at('2026-10-25T00:00:00Z')))).toBe('2026-10-25T03:00:00.000Z'); // 05:00 EET
  expect(iso(nextOpening(kyiv, at('2026-10-25T04:00:00Z')))).toBe('2026-10-26T07:00:00.000Z'); // Monday 09:00 EET
});

test('offers callback slots from the next opening, on a grid that starts when the business opens', () => {
  const kyiv = hoursIn('Europe/Kyiv', weekdays([['09:15', '10:40']]));
  // Friday 5 June 2026, 20:00 Kyiv.
  expect(slotsIso(callbackSlots(kyiv, at('2026-06-05T17:00:00Z'), { count: 4, slotMinutes: 30 }))).toEqual([
    '2026-06-08T06:15:00.000Z/2026-06-08T06:45:00.000Z',
    '2026-06-08T06:45:00.000Z/2026-06-08T07:15:00.000Z',
    // 10:15–10:45 would run past closing: the next slot is Tuesday's first.
    '2026-06-09T06:15:00.000Z/2026-06-09T06:45:00.000Z',
    '2026-06-09T06:45:00.000Z/2026-06-09T07:15:00.000Z',
  ]);
});

test('starts the first slot at least leadMinutes ahead, rounded up to the grid', () => {
  const utc = hoursIn('UTC', weekdays(nineToSix));
  expect(slotsIso(callbackSlots(utc, at('2026-06-01T09:52:00Z'), { count: 2, slotMinutes: 30, leadMinutes: 15 }))).toEqual([
    '2026-06-01T10:30:00.000Z/2026-06-01T11:00:00.000Z',
    '2026-06-01T11:00:00.000Z/2026-06-01T11:30:00.000Z',
  ]);
  // Open around the clock: the grid starts at local midnight (New York, UTC−4 in June).
  const always = hoursIn('America/New_York', Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((day) => [day, [['00:00', '24:00']]])));
  expect(slotsIso(callbackSlots(always, at('2026-06-03T14:07:00Z'), { count: 1, slotMinutes: 60 }))).toEqual(['2026-06-03T15:00:00.000Z/2026-06-03T16:00:00.000Z']);
});

test('lays slots on real time across the New York jump and skips closed dates', () => {
  const ny = hoursIn('America/New_York', { sun: [['00:00', '06:00']], tue: [['09:00', '10:00']] }, ['2026-03-10']);
  // From Saturday 23:00 EST: Sunday 00:00 to 06:00 EDT is five real hours.
  expect(slotsIso(callbackSlots(ny, at('2026-03-08T04:00:00Z'), { count: 6, slotMinutes: 60 }))).toEqual([
    '2026-03-08T05:00:00.000Z/2026-03-08T06:00:00.000Z',
    '2026-03-08T06:00:00.000Z/2026-03-08T07:00:00.000Z',
    '2026-03-08T07:00:00.000Z/2026-03-08T08:00:00.000Z',
    '2026-03-08T08:00:00.000Z/2026-03-08T09:00:00.000Z',
    '2026-03-08T09:00:00.000Z/2026-03-08T10:00:00.000Z',
    // Tuesday 10 March is closed; Sunday 15 March, 00:00 EDT.
    '2026-03-15T04:00:00.000Z/2026-03-15T05:00:00.000Z',
  ]);
});

test('rejects an unknown or missing time zone with an invalid_input error naming timeZone', () => {
  const unknown = hoursIn('Mars/Olympus_Mons', weekdays(nineToSix));
  // Written by hand, unparsed: Intl would quietly fall back to the runtime's own zone.
  const missing = { ...unknown, timeZone: undefined } as unknown as BusinessHours;
  for (const hours of [unknown, missing]) {
    const calls = [
      () => isOpenAt(hours, at('2026-06-01T07:00:00Z')),
      () => nextOpening(hours, at('2026-06-01T07:00:00Z')),
      () => closingTime(hours, at('2026-06-01T07:00:00Z')),
      () => callbackSlots(hours, at('2026-06-01T07:00:00Z'), { count: 1, slotMinutes: 30 }),
    ];
    for (const call of calls) {
      expect(call).toThrow(expect.objectContaining({ name: 'ThreadlineError', code: 'invalid_input', field: 'timeZone' }));
    }
  }
});

test('rejects slot options and dates it cannot use, naming the field', () => {
  const hours = hoursIn('UTC', weekdays(nineToSix));
  const fieldOf = (call: () => unknown) => {
    try {
      call();
    } catch (error) {
      return isThreadlineError(error) ? error.field : 'not a ThreadlineError';
    }
    return 'did not throw';
  };
  expect(fieldOf(() => callbackSlots(hours, at('2026-06-01T07:00:00Z'), { count: 0, slotMinutes: 30 }))).toBe('count');
  expect(fieldOf(() => callbackSlots(hours, at('2026-06-01T07:00:00Z'), { count: 3, slotMinutes: 7.5 }))).toBe('slotMinutes');
  expect(fieldOf(() => callbackSlots(hours, at('2026-06-01T07:00:00Z'), { count: 3, slotMinutes: 30, leadMinutes: -1 }))).toBe('leadMinutes');
  expect(fieldOf(() => callbackSlots(hours, new Date('not a date'), { count: 3, slotMinutes: 30 }))).toBe('from');
  expect(fieldOf(() => isOpenAt(hours, new Date(Number.NaN)))).toBe('at');
});

// ---- Properties: every answer agrees with a brute-force reading of the wall clock ----

const ZONES = [
  'UTC',
  'Europe/Kyiv',
  'America/New_York',
  'Australia/Lord_Howe', // a 30-minute DST shift
  'Asia/Kathmandu', // UTC+5:45
  'America/St_Johns', // UTC−3:30 with DST
  'Pacific/Chatham', // UTC+12:45 with DST
  'Africa/Casablanca', // goes back an hour for Ramadan
  'America/Sao_Paulo',
] as const;

// 2026 transitions of the zones above, so that instants land near DST changes often.
const TRANSITIONS = ['2026-03-08T07:00:00Z', '2026-11-01T06:00:00Z', '2026-03-29T01:00:00Z', '2026-10-25T01:00:00Z', '2026-04-04T15:00:00Z', '2026-10-03T15:30:00Z', '2026-02-15T02:00:00Z'].map(Date.parse);

const clock = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
const intervalArb = fc
  .tuple(fc.oneof(fc.integer({ min: 0, max: 95 }).map((quarter) => quarter * 15), fc.integer({ min: 0, max: 1439 })), fc.oneof(fc.integer({ min: 1, max: 96 }).map((quarter) => quarter * 15), fc.integer({ min: 1, max: 1440 })))
  .map(([from, to]) => ({ from: clock(from), to: clock(to) }));
const dayArb = fc.array(intervalArb, { maxLength: 3 });
const hoursArb: fc.Arbitrary<BusinessHours> = fc.record({
  timeZone: fc.constantFrom(...ZONES),
  days: fc.record({ mon: dayArb, tue: dayArb, wed: dayArb, thu: dayArb, fri: dayArb, sat: dayArb, sun: dayArb }),
  closedDates: fc.array(fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2026, 11, 31) }).map((ms) => new Date(ms).toISOString().slice(0, 10)), { maxLength: 20 }),
});
const instantArb = fc.oneof(
  fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2027, 0, 1) }),
  fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2040, 0, 1) }),
  fc.tuple(fc.constantFrom(...TRANSITIONS), fc.integer({ min: -6 * 3_600_000, max: 6 * 3_600_000 })).map(([transition, delta]) => transition + delta),
);

/** The reference: ask Intl for the site's weekday, date and time, and look them up. */
const referenceFormats = new Map(
  ZONES.map((timeZone) => [
    timeZone,
    new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', weekday: 'short', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' }),
  ]),
);

function referenceIsOpen(hours: BusinessHours, instant: number): boolean {
  const parts = Object.fromEntries(
    referenceFormats
      .get(hours.timeZone as (typeof ZONES)[number])!
      .formatToParts(instant)
      .map((part) => [part.type, part.value]),
  );
  if (hours.closedDates.includes(`${parts.year}-${parts.month}-${parts.day}`)) return false;
  const minute = Number(parts.hour) * 60 + Number(parts.minute) + (Number(parts.second) + (instant % 1000) / 1000) / 60;
  const toMinutes = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3));
  return hours.days[parts.weekday!.toLowerCase() as DayKey].some(({ from, to }) => minute >= toMinutes(from) && minute < toMinutes(to));
}

test('isOpenAt agrees with the wall clock Intl reports, for any weekly schedule and instant', () => {
  fc.assert(
    fc.property(hoursArb, instantArb, (hours, instant) => {
      expect(isOpenAt(hours, new Date(instant))).toBe(referenceIsOpen(hours, instant));
    }),
    { numRuns: 500 },
  );
});

test('nextOpening and closingTime land exactly on the edges of opening hours', () => {
  fc.assert(
    fc.property(hoursArb, instantArb, (hours, instant) => {
      const opening = nextOpening(hours, new Date(instant));
      if (opening) {
        expect(referenceIsOpen(hours, opening.getTime())).toBe(true);
        if (opening.getTime() > instant) expect(referenceIsOpen(hours, opening.getTime() - 1)).toBe(false);
      }
      const closing = closingTime(hours, new Date(instant));
      if (closing) {
        expect(referenceIsOpen(hours, closing.getTime())).toBe(false);
        expect(referenceIsOpen(hours, closing.getTime() - 1)).toBe(true);
      }
      if (!referenceIsOpen(hours, instant)) expect(closing).toBeUndefined();
    }),
  );
});

test('every callback slot lies wholly inside opening hours, in order, after the lead time', () => {
  const MINUTE = 60_000;
  fc.assert(
    fc.property(
      hoursArb,
      instantArb,
      fc.integer({ min: 1, max: 8 }),
      fc.constantFrom(15, 20, 30, 45, 60, 90),
      fc.integer({ min: 0, max: 240 }),
      (hours, instant, count, slotMinutes, leadMinutes) => {
        const slots = callbackSlots(hours, new Date(instant), { count, slotMinutes, leadMinutes });
        expect(slots.length).toBeLessThanOrEqual(count);
        let previousEnd = instant + leadMinutes * MINUTE;
        for (const { from, to } of slots) {
          expect(from.getTime()).toBeGreaterThanOrEqual(previousEnd);
          expect(to.getTime() - from.getTime()).toBe(slotMinutes * MINUTE);
          for (let time = from.getTime(); time < to.getTime(); time += MINUTE) expect(referenceIsOpen(hours, time)).toBe(true);
          expect(referenceIsOpen(hours, to.getTime() - 1)).toBe(true);
          previousEnd = to.getTime();
        }
      },
    ),
  );
});
