import type { KeyValueStore } from './key-value-store';

// Safari's ITP caps script-set cookies at 7 days; the cookie is only one mirror of
// the visitor id, so a short life is fine: it heals IndexedDB/localStorage and is
// healed by them.
const ONE_YEAR_SECONDS = 365 * 24 * 60 * 60;

/** The cookie name that holds `key` for a site: `tl_<site>_<key>`. */
export function cookieName(site: string, key: string): string {
  return `tl_${site}_${key}`;
}

/**
 * First-party cookies, one per key, for small values only (the visitor id).
 * Written `SameSite=Lax`, `Secure` on https, path `/`, for a year.
 */
export function createCookieStore(site: string): KeyValueStore {
  const prefix = cookieName(site, '');
  const read = () => {
    const found = new Map<string, string>();
    for (const pair of document.cookie.split('; ')) {
      const separator = pair.indexOf('=');
      if (separator > 0 && pair.startsWith(prefix)) found.set(pair.slice(prefix.length, separator), pair.slice(separator + 1));
    }
    return found;
  };
  const write = (key: string, value: string, maxAgeSeconds: number) => {
    const secure = location.protocol === 'https:' ? '; Secure' : '';
    document.cookie = `${prefix}${key}=${value}; Max-Age=${maxAgeSeconds}; Path=/; SameSite=Lax${secure}`;
  };
  return {
    kind: 'cookie',
    get: async <T>(key: string) => {
      const raw = read().get(key);
      return raw === undefined ? undefined : (JSON.parse(decodeURIComponent(raw)) as T);
    },
    set: async (key, value) => {
      write(key, encodeURIComponent(JSON.stringify(value)), ONE_YEAR_SECONDS);
    },
    del: async (key) => {
      write(key, '', 0);
    },
    keys: async () => [...read().keys()],
    clear: async () => {
      for (const key of read().keys()) write(key, '', 0);
    },
  };
}
