import type { ClientEvents, ThreadlineClient } from '../src/index.ts';

let counter = 0;

/** A site key no other test uses, so IndexedDB, localStorage and cookies never leak between tests. */
export function uniqueSite(): string {
  counter += 1;
  return `t${counter}${Math.random().toString(36).slice(2, 8)}`;
}

/** Resolves with the next payload of a client event. */
export function nextEvent<K extends keyof ClientEvents>(client: ThreadlineClient, event: K): Promise<ClientEvents[K]> {
  return new Promise((resolve) => {
    const stop = client.on(event, (payload) => {
      stop();
      resolve(payload);
    });
  });
}

/**
 * The visitor-id cookie's value, or undefined when absent or emptied. (happy-dom
 * keeps an emptied cookie after `Max-Age=0`; browsers delete it, RFC 6265 §5.2.2.)
 */
export function visitorCookie(site: string): string | undefined {
  const pair = document.cookie.split('; ').find((cookie) => cookie.startsWith(`tl_${site}_vid=`));
  const value = pair?.slice(pair.indexOf('=') + 1);
  return value ? (JSON.parse(decodeURIComponent(value)) as string) : undefined;
}
