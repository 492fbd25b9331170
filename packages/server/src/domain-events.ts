import type { TimelineItem } from './domain/timeline';

/**
 * What happened in a thread, after the commit, for the parts that react to it
 * outside the request (outgoing webhooks, CRM pushes, SMS notices).
 */
export type DomainEvent =
  | { type: 'lead.created'; site: string; contactId: string; item: TimelineItem }
  | { type: 'message.created'; site: string; contactId: string; item: TimelineItem }
  | { type: 'contact.merged'; site: string; winnerId: string; loserId: string }
  | { type: 'thread.closed'; site: string; threadId: string; contactId: string };

export interface DomainEvents {
  emit(event: DomainEvent): void;
  /** Listens to every event; returns the unsubscribe function. */
  on(listener: (event: DomainEvent) => void | Promise<void>): () => void;
}

/** A synchronous fan-out: a failing listener is reported and never fails the request that emitted. */
export function createDomainEvents(onError: (error: unknown) => void = () => {}): DomainEvents {
  const listeners = new Set<(event: DomainEvent) => void | Promise<void>>();
  return {
    emit(event) {
      for (const listener of listeners) {
        try {
          const result = listener(event);
          if (result instanceof Promise) result.catch(onError);
        } catch (error) {
          onError(error);
        }
      }
    },
    on(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
