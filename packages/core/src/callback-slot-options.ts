import type { CallbackSlotOptions } from './business-hours';

/**
 * The slots a callback request offers outside business hours: one-hour windows across
 * the next opening, enough choice for a working day without a long list on a phone.
 * The server computes them with these options for the site config's `openNow.slots`.
 */
export const CALLBACK_SLOT_OPTIONS: CallbackSlotOptions = { count: 8, slotMinutes: 60, leadMinutes: 15 };
