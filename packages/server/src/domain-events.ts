import type { Queryable } from './db/database';
import type { Site } from './domain/sites';
import type { TimelineItem } from './domain/timeline';

/**
 * What happened in a thread, for the parts that react to it outside the
 * request (outgoing webhooks, CRM pushes, SMS notices).
 */
export type DomainEvent =
  | { type: 'lead.created'; site: string; contactId: string; item: TimelineItem }
  | { type: 'message.created'; site: string; contactId: string; item: TimelineItem }
  | { type: 'contact.merged'; site: string; winnerId: string; loserId: string }
  | { type: 'thread.closed'; site: string; threadId: string; contactId: string };

/** Records an event inside the transaction of the write that caused it; resolves with how many jobs it queued. */
export type RecordDomainEvent = (tx: Queryable, event: DomainEvent) => Promise<number>;

/**
 * A transactional outbox: a write records its events in its own transaction,
 * so their reactions are queued exactly when the write commits — a crash after
 * the commit loses nothing, a rollback queues nothing.
 */
export interface DomainEventOutbox {
  /**
   * The recorder for one site's writes. Give the Site when the write path has it
   * loaded already: a site without integrations then costs no query at all. An
   * id makes the recorder read the site inside the transaction.
   */
  forSite(site: Site | string): RecordDomainEvent;
  /** Called after a commit: runs the jobs recorded since soon, instead of at the next poll. */
  kick(): void;
}

/** An outbox that reacts to nothing (tools and tests without integrations). */
export const silentOutbox: DomainEventOutbox = {
  forSite: () => async () => 0,
  kick: () => {},
};
