import type { Lead } from '@threadline/core';
import type { Database } from '../db/database';
import type { RecordDomainEvent } from '../domain-events';
import { ThreadlineServerError } from '../errors';
import { resolveContact, type IdentityClaim, type MergeRecord } from './identity-resolution';
import { lockKeys } from './identity-resolution';
import { transactionWithRetry } from './retry-transaction';
import { normalizeEmail, normalizePhone } from './normalize';
import type { Site } from './sites';
import { appendItem, findByClientId, openThreadFor, type TimelineItem } from './timeline';
import { ensureVisitor } from './visitors';

export interface LeadReceipt {
  leadId: string;
  contactId: string;
  threadId: string;
}

export interface RecordedLead {
  receipt: LeadReceipt;
  /** False when this client id was seen before and the first result is returned. */
  created: boolean;
  item?: TimelineItem;
  merges: MergeRecord[];
}

/**
 * Stores a lead exactly once per client id and files it into its customer's
 * thread. The typed phone and e-mail are self-asserted claims: they may join
 * the lead to an existing customer for agents, but never widen what the
 * browser may read. `recordEvent` queues the lead's (and its merges') reactions in
 * the same transaction.
 */
export async function recordLead(db: Database, site: Site, lead: Lead, context: { ip?: string; userAgent?: string } = {}, recordEvent?: RecordDomainEvent): Promise<RecordedLead> {
  // The browser accepted this lead (core's schema checks the shape of a phone, not
  // numbering plans): refusing it now would lose it for good, name and message included.
  // A phone or e-mail that does not normalise is kept as typed, flagged for the agent,
  // and not used to find the customer.
  const phone = lead.phone ? normalizePhone(lead.phone, site.defaultCountry ?? undefined) : undefined;
  const email = lead.email ? normalizeEmail(lead.email) : undefined;
  const unverifiable = [...(lead.phone && !phone ? ['phone'] : []), ...(lead.email && !email ? ['email'] : [])];

  return transactionWithRetry(db, async (tx) => {
    await lockKeys(tx, [`client:${site.id}:${lead.clientId}`]);
    const replay = await findByClientId(tx, site.id, lead.clientId);
    if (replay) {
      // A replay comes from the browser that sent the lead; another visitor must not learn its receipt.
      if (replay.type !== 'lead' || replay.visitorId !== lead.visitorId) throw new ThreadlineServerError(409, 'conflict', 'clientId was already used for another write', 'clientId');
      const contact = await tx.query<{ contact_id: string }>('select contact_id from threads where id = $1', [replay.threadId]);
      return { receipt: { leadId: replay.id, contactId: contact.rows[0]!.contact_id, threadId: replay.threadId }, created: false, merges: [] };
    }
    const visitor = await ensureVisitor(tx, site.id, lead.visitorId, lead.attribution ? { firstTouch: lead.attribution.firstTouch, lastTouch: lead.attribution.lastTouch } : undefined);
    const claims: IdentityClaim[] = [
      ...(phone ? [{ kind: 'phone' as const, value: phone, raw: lead.phone, verified: false }] : []),
      ...(email ? [{ kind: 'email' as const, value: email, raw: lead.email, verified: false }] : []),
    ];
    const resolution = await resolveContact(tx, site.id, visitor.contactId, claims, `lead:${lead.kind}`);
    // The device is not re-bound here: when its own contact was folded into another, mergeContacts
    // already moved it; when the lead is someone else's (a shared device), the device stays with its
    // owner even if that lead joined two of the other person's contacts.
    if (lead.name) await tx.query('update contacts set name = coalesce(name, $2), updated_at = now() where id = $1', [resolution.contactId, lead.name]);
    const threadId = await openThreadFor(tx, site.id, resolution.contactId);
    const { site: _site, clientId, visitorId, ...content } = lead;
    const item = await appendItem(tx, {
      site: site.id,
      threadId,
      type: 'lead',
      channel: 'web',
      direction: 'in',
      visitorId,
      author: { kind: 'contact', ...(lead.name ? { name: lead.name } : {}) },
      ...(lead.message ? { text: lead.message } : {}),
      payload: {
        ...content,
        phoneE164: phone ?? null,
        emailNormalized: email ?? null,
        ...(unverifiable.length > 0 ? { invalidFields: unverifiable } : {}),
        ip: context.ip ?? null,
        userAgent: context.userAgent ?? null,
      },
      clientId,
    });
    if (recordEvent) {
      await recordEvent(tx, { type: 'lead.created', site: site.id, contactId: resolution.contactId, item });
      for (const merge of resolution.merges) await recordEvent(tx, { type: 'contact.merged', site: site.id, winnerId: merge.winnerId, loserId: merge.loserId });
    }
    return { receipt: { leadId: item.id, contactId: resolution.contactId, threadId }, created: true, item, merges: resolution.merges };
  });
}
