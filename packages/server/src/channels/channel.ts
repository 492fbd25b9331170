import type { FastifyInstance } from 'fastify';
import type { Database, Queryable } from '../db/database';
import type { IdentityKind } from '../domain/identity-resolution';
import type { Site } from '../domain/sites';
import type { JobQueue } from '../jobs/job-queue';
import type { RealtimePublisher } from '../realtime/publisher';
import type { DomainEventOutbox } from '../domain-events';

/** The messenger channels a customer can write from, besides the website. */
export type ChannelName = 'telegram' | 'whatsapp' | 'email';

/** What every channel module is given: the database, the job queue, the realtime fan-out and the process environment. */
export interface ChannelContext {
  db: Database;
  jobs: JobQueue;
  realtime: RealtimePublisher;
  /** Queues the reactions to a write (outgoing webhooks, CRM pushes) inside its transaction. */
  events: DomainEventOutbox;
  env: Record<string, string | undefined>;
  /** The server's public base URL (THREADLINE_PUBLIC_URL), for webhook registration and deep links. */
  publicUrl?: string;
}

/** An agent's reply on its way to a customer in their messenger. */
export interface OutboundMessage {
  site: Site;
  threadId: string;
  itemId: string;
  contactId: string;
  text: string;
  /** The customer's address in this channel: a Telegram chat id, a wa_id, an e-mail address. */
  recipient: string;
  /** What the channel stored with the recipient's last inbound item (e-mail Message-ID, subject …). */
  replyContext: Record<string, unknown>;
}

/** Why the agent cannot write in this channel now (WhatsApp outside its 24-hour window …). */
export interface ReplyRefusal {
  code: string;
  message: string;
}

/**
 * One messenger behind the one interface the server knows: inbound webhooks or
 * listeners it registers itself, and `send` for agent replies, which the job
 * queue calls (retried with backoff; a failure never loses the agent's text).
 */
export interface Channel {
  readonly name: ChannelName;
  /** The identity kind that addresses a customer in this channel. */
  readonly identityKind: IdentityKind;
  /** Whether the site (or the environment) has this channel set up. */
  isConfigured(site: Site): boolean;
  /** Registers webhook routes (and starts listeners such as SMTP). */
  register(app: FastifyInstance, context: ChannelContext): Promise<void>;
  /** Refuses a reply that the provider would reject (asked inside the reply's transaction). */
  checkReply?(tx: Queryable, reply: { site: Site; threadId: string; contactId: string; recipient: string }): Promise<ReplyRefusal | undefined>;
  /** Delivers an agent reply; throws a JobFailure. Resolves with the provider's message id. */
  send(message: OutboundMessage, context: ChannelContext): Promise<{ externalId?: string; context?: Record<string, unknown> }>;
  /** What the site's public config may say about this channel (a bot's @name, never a secret); answered at once, no provider call waited for. */
  publicProfile?(site: Site): { username?: string };
  /** Stops listeners (SMTP) at server close. */
  close?(): Promise<void>;
}
