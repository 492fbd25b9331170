import type { OutboxLock } from './outbox';

interface LockManagerLike {
  request<T>(name: string, callback: () => Promise<T>): Promise<T>;
}

/**
 * The Web Locks API serialises the outbox across every tab of the origin. Without
 * it (old browsers, Node), or where it refuses (an opaque-origin sandboxed iframe
 * rejects every request with a SecurityError), an in-page queue still serialises
 * this client's sends.
 */
export function createOutboxLock(locks: LockManagerLike | undefined = (globalThis.navigator as { locks?: LockManagerLike } | undefined)?.locks): OutboxLock {
  let tail: Promise<unknown> = Promise.resolve();
  const inPage = <T>(work: () => Promise<T>): Promise<T> => {
    const result = tail.then(work, work);
    tail = result.catch(() => {});
    return result;
  };
  let useWebLocks = Boolean(locks);
  return {
    async run<T>(name: string, work: () => Promise<T>): Promise<T> {
      if (!useWebLocks) return inPage(work);
      let started = false;
      try {
        return await locks!.request(name, () => {
          started = true;
          return work();
        });
      } catch (error) {
        // Only a refusal of the lock itself switches to the in-page queue; a failure of the work is the caller's.
        if (started) throw error;
        useWebLocks = false;
        return inPage(work);
      }
    },
  };
}
