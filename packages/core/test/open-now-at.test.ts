import { expect, test, vi } from 'vitest';
import { BusinessHoursSchema, createOpenAt, openNowAt } from '../src/index.ts';

// Monday 1 June 2026; Kyiv is UTC+3.
const NINE_KYIV = Date.parse('2026-06-01T06:00:00Z');
const SIX_PM_KYIV = Date.parse('2026-06-01T15:00:00Z');
const KYIV_OFFICE = BusinessHoursSchema.parse({ timeZone: 'Europe/Kyiv', days: { mon: [{ from: '09:00', to: '18:00' }], tue: [{ from: '09:00', to: '18:00' }] } });

test("answers the server's openNow until its changesAt, and nothing from then on", () => {
  const openNow = { open: true, changesAt: SIX_PM_KYIV };
  expect(openNowAt(openNow, SIX_PM_KYIV - 1)).toBe(true);
  expect(openNowAt(openNow, SIX_PM_KYIV)).toBeUndefined();
  expect(openNowAt({ open: false }, Number.MAX_SAFE_INTEGER)).toBe(false);
  expect(openNowAt(undefined, NINE_KYIV)).toBeUndefined();
});

test("reads the hours, loaded on demand, once the server's answer has run out, and says until when", async () => {
  const onLoad = vi.fn();
  const openAt = createOpenAt({ openNow: { open: true, changesAt: SIX_PM_KYIV }, businessHours: KYIV_OFFICE }, onLoad);
  expect(openAt(NINE_KYIV)).toEqual({ open: true, until: SIX_PM_KYIV });
  expect(openAt(SIX_PM_KYIV)).toBeUndefined();
  await vi.waitFor(() => expect(onLoad).toHaveBeenCalledTimes(1));
  // Closed from 18:00 until Tuesday 09:00.
  expect(openAt(SIX_PM_KYIV)).toEqual({ open: false, until: NINE_KYIV + 86_400_000 });
});

test('answers nothing without hours, or with a time zone this runtime does not know', async () => {
  const onLoad = vi.fn();
  const unknownZone = createOpenAt({ businessHours: { ...KYIV_OFFICE, timeZone: 'Mars/Olympus_Mons' } }, onLoad);
  expect(unknownZone(NINE_KYIV)).toBeUndefined();
  await vi.waitFor(() => expect(onLoad).toHaveBeenCalled());
  expect(unknownZone(NINE_KYIV)).toBeUndefined();
  expect(createOpenAt({}, onLoad)(NINE_KYIV)).toBeUndefined();
});
