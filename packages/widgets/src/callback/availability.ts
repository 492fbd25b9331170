import { CALLBACK_SLOT_OPTIONS, loadBusinessHours, openNowAt, type SiteConfig, type TimeSlot } from '@threadline/core';
import { useEffect, useState } from 'preact/hooks';

/** Whether someone can call now, and the slots to offer otherwise. */
export interface Availability {
  open: boolean;
  slots: TimeSlot[];
}

const ALWAYS_OPEN: Availability = { open: true, slots: [] };

/** The server's answer (`config.openNow`) while it holds. */
function toldByServer(config: SiteConfig, at: number): Availability | undefined {
  const open = openNowAt(config.openNow, at);
  if (open === undefined) return undefined;
  // The config may be a few minutes old: offer the slots still ahead.
  const slots = (config.openNow?.slots ?? []).filter((slot) => slot.from >= at).map((slot) => ({ from: new Date(slot.from), to: new Date(slot.to) }));
  return { open, slots };
}

/**
 * Whether someone can call now and which slots to offer otherwise (no hours set:
 * always open), read once when the panel opens: from the server's `openNow`, or —
 * past it, or for a config without it — from core's hours arithmetic, downloaded
 * only then. Undefined while that downloads.
 */
export function useCallbackAvailability(config: SiteConfig, now: () => number): Availability | undefined {
  const [availability, setAvailability] = useState<Availability | undefined>(() => (config.businessHours ? toldByServer(config, now()) : ALWAYS_OPEN));
  useEffect(() => {
    const hours = config.businessHours;
    if (availability || !hours) return;
    let live = true;
    loadBusinessHours().then(
      ({ isOpenAt, callbackSlots }) => {
        const at = new Date(now());
        let computed = ALWAYS_OPEN;
        try {
          if (!isOpenAt(hours, at)) computed = { open: false, slots: callbackSlots(hours, at, CALLBACK_SLOT_OPTIONS) };
        } catch {
          // A time zone this browser does not know: take the request and let people call when they can.
        }
        if (live) setAvailability(computed);
      },
      () => {
        if (live) setAvailability(ALWAYS_OPEN);
      },
    );
    return () => {
      live = false;
    };
  }, []);
  return availability;
}
