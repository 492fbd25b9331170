import type { Attribution, LeadConsent, LeadKind, Page } from '@threadline/core';
import type { Queryable } from '../db/database';
import type { TimelineItem } from '../domain/timeline';

/** A website lead as integrations send it on: what the visitor typed, normalised, with its page and campaign. */
export interface LeadRecord {
  id: string;
  threadId: string;
  contactId: string;
  visitorId: string | null;
  kind: LeadKind;
  name: string | null;
  /** E.164, or null when the typed phone did not normalise (then `phoneTyped` keeps it). */
  phone: string | null;
  phoneTyped: string | null;
  email: string | null;
  message: string | null;
  preferredTime: { from: string; to: string } | null;
  fields: Record<string, unknown> | null;
  page: Page | null;
  attribution: Attribution | null;
  consent: LeadConsent | null;
  ip: string | null;
  createdAt: string;
}

/** Reads the lead out of its timeline item (domain/leads.ts stores the submission in the payload). */
export function leadRecordFromItem(item: TimelineItem, contactId: string): LeadRecord {
  const payload = item.payload;
  const text = (key: string) => (typeof payload[key] === 'string' ? (payload[key] as string) : null);
  const object = <T>(key: string) => (payload[key] && typeof payload[key] === 'object' ? (payload[key] as T) : null);
  return {
    id: item.id,
    threadId: item.threadId,
    contactId,
    visitorId: item.visitorId,
    kind: (text('kind') ?? 'form') as LeadKind,
    name: text('name'),
    phone: text('phoneE164'),
    phoneTyped: text('phone'),
    email: text('emailNormalized'),
    message: item.text,
    preferredTime: object('preferredTime'),
    fields: object('fields'),
    page: object('page'),
    attribution: object('attribution'),
    consent: object('consent'),
    ip: text('ip'),
    createdAt: item.createdAt,
  };
}

interface LeadRow {
  id: string;
  thread_id: string;
  visitor_id: string | null;
  body: string | null;
  payload: Record<string, unknown>;
  created_at: Date;
  contact_id: string;
}

/** Loads a lead by its timeline item id; undefined when it is not a lead of this site. */
export async function loadLeadRecord(db: Queryable, site: string, itemId: string): Promise<LeadRecord | undefined> {
  const row = (
    await db.query<LeadRow>(
      `select i.id, i.thread_id, i.visitor_id, i.body, i.payload, i.created_at, t.contact_id
         from timeline_items i join threads t on t.id = i.thread_id
        where i.id = $1 and i.site_id = $2 and i.type = 'lead'`,
      [itemId, site],
    )
  ).rows[0];
  if (!row) return undefined;
  return leadRecordFromItem(
    {
      id: row.id,
      threadId: row.thread_id,
      seq: 0,
      type: 'lead',
      channel: 'web',
      direction: 'in',
      visitorId: row.visitor_id,
      author: { kind: 'contact', id: null, name: null },
      text: row.body,
      payload: row.payload,
      clientId: null,
      createdAt: new Date(row.created_at).toISOString(),
    },
    row.contact_id,
  );
}
