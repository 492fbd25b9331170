import type { OpenNow } from './schemas/site-config';

/**
 * Whether the server's answer (the site config's `openNow`, read on the server's clock in
 * the site's time zone) says open at `at` (ms): `openNow.open` while `at` is before its
 * `changesAt` (or always, without one: nothing changes within the server's horizon).
 * Undefined without an answer, or once `at` has reached `changesAt`: the business has
 * opened or closed since, and only its hours (`loadBusinessHours`) can say for how long.
 * @example
 * const open = openNowAt(config.openNow, Date.now()) ?? (await loadBusinessHours()).isOpenAt(hours, new Date());
 */
export function openNowAt(openNow: OpenNow | undefined, at: number): boolean | undefined {
  return openNow && at < (openNow.changesAt ?? Infinity) ? openNow.open : undefined;
}
