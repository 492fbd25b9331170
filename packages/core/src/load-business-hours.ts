/**
 * Loads the business-hours functions (isOpenAt, nextOpening, closingTime,
 * callbackSlots) on demand: ~1.4 KB gzip that a chat needs only when the server
 * did not say whether the business is open (the site config's `openNow`).
 * @example
 * const { isOpenAt } = await loadBusinessHours();
 */
export const loadBusinessHours = () => import('./business-hours');
