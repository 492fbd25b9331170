import type { OutboxLock } from './outbox';

interface LockManagerLike {
  request<T>(name: string, callback: () => Promise<T>): Promise<T>;
}

/**
 * The Web Locks API serialises the outbox across every tab of the origin. Without
 * it (old browsers, Node) an in-page queue still serialises this client's sends.
 */
export function createOutboxLock(locks: LockManagerLike | undefined = (globalThis.navigator as { locks?: LockManagerLike } | undefined)?.locks): OutboxLock {
  if (locks) return { run: (name, work) => locks.request(name, work) };
  let tail: Promise<unknown> = Promise.resolve();
  return {
    run<T>(_name: string, work: () => Promise<T>): Promise<T> {
      const result = tail.then(work, work);
      tail = result.catch(() => {});
      return result;
    },
  };
}
