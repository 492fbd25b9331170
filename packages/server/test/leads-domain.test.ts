// @vitest-environment node
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Lead } from '@threadline/core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Database } from '../src/db/database';
import { MIGRATIONS, migrate } from '../src/db/migrate';
import { openDatabase } from '../src/db/open-database';
import { liveContact } from '../src/domain/identity-resolution';
import { recordLead } from '../src/domain/leads';
import { findSite, type Site } from '../src/domain/sites';
import { findByClientId } from '../src/domain/timeline';
import { recordVisitorMessage, visitorHistory } from '../src/domain/visitor-messages';
import { countRows, createTestSite, DATABASE_START_TIMEOUT, openTestDatabase, randomId } from './support/pglite';

// One PGlite for the whole file; every test creates its own site, so no test sees another's rows.
let db: Database;
beforeAll(async () => {
  db = await openTestDatabase();
}, DATABASE_START_TIMEOUT);
afterAll(async () => {
  await db?.close();
});

function callback(site: Site, visitorId: string, phone: string, extra: Partial<Lead> = {}): Lead {
  return { site: site.id, visitorId, clientId: randomId('lead'), kind: 'callback', phone, ...extra };
}

test('returns the same ids for a replayed lead and stores it once', async () => {
  const site = await createTestSite(db, { defaultCountry: 'UA' });
  const lead = callback(site, randomId('v'), '067 123 45 67', { name: 'Olena', message: 'After 18:00, please' });

  const first = await recordLead(db, site, lead);
  const replay = await recordLead(db, site, lead);
  const replayAgain = await recordLead(db, site, { ...lead });

  expect(first.created).toBe(true);
  expect(replay).toEqual({ receipt: first.receipt, created: false, merges: [] });
  expect(replayAgain.receipt).toEqual(first.receipt);
  expect(await countRows(db, 'timeline_items', site.id)).toBe(1);
  const stored = await findByClientId(db, site.id, lead.clientId);
  expect(stored).toMatchObject({ id: first.receipt.leadId, type: 'lead', seq: 1, text: 'After 18:00, please' });
  expect(stored?.payload).toMatchObject({ phone: '067 123 45 67', phoneE164: '+380671234567', name: 'Olena' });
});

test('files leads of two visitors who type the same phone into one contact and one thread, in seq order', async () => {
  const site = await createTestSite(db, { defaultCountry: 'RU' });
  const first = randomId('first');
  const second = randomId('second');
  await recordVisitorMessage(db, site.id, { site: site.id, visitorId: first, clientId: randomId('msg'), text: 'private question from the first visitor' });
  const firstLead = await recordLead(db, site, callback(site, first, '8 (916) 123-45-67'));
  await recordVisitorMessage(db, site.id, { site: site.id, visitorId: second, clientId: randomId('msg'), text: 'hello from the second visitor' });
  const secondLead = await recordLead(db, site, callback(site, second, '+7 916 123 45 67'));

  expect(secondLead.receipt.threadId).toBe(firstLead.receipt.threadId);
  expect((await liveContact(db, secondLead.receipt.contactId)).id).toBe((await liveContact(db, firstLead.receipt.contactId)).id);
  expect((await db.query('select id from contacts where site_id = $1 and merged_into is null', [site.id])).rows).toHaveLength(1);
  expect((await db.query("select id from threads where site_id = $1 and status = 'open' and merged_into is null", [site.id])).rows).toEqual([{ id: firstLead.receipt.threadId }]);
  const { rows: leads } = await db.query<{ id: string; seq: number; visitor_id: string }>(
    "select id, seq::int as seq, visitor_id from timeline_items where thread_id = $1 and type = 'lead' order by seq",
    [firstLead.receipt.threadId],
  );
  expect(leads.map((lead) => lead.id)).toEqual([firstLead.receipt.leadId, secondLead.receipt.leadId]);
  expect(leads[0]!.seq).toBeLessThan(leads[1]!.seq);
  // A typed phone is no proof: the second browser reads nothing of the first visitor's.
  const history = await visitorHistory(db, site.id, second, 0);
  expect(history.threadId).toBe(firstLead.receipt.threadId);
  expect(history.messages.map((item) => item.text)).toEqual(['hello from the second visitor']);
  expect((await visitorHistory(db, site.id, first, 0)).messages.map((item) => item.text)).toEqual(['private question from the first visitor']);
});

test('keeps a lead whose phone or e-mail does not normalise, as typed and flagged, without using it to find the customer', async () => {
  // The browser accepted these leads (its schema checks a phone's shape, not numbering
  // plans): refusing them here would lose them for good, name and message included.
  const site = await createTestSite(db, { defaultCountry: 'RU' });
  const known = await recordLead(db, site, callback(site, randomId('v'), '+7 999 123 45 67'));
  for (const phone of ['8 (999) 123', '+7 000 000 00 00', '12345678901234']) {
    const recorded = await recordLead(db, site, { ...callback(site, randomId('v'), phone), name: 'Typed badly', message: 'call me' });
    expect(recorded.created).toBe(true);
    expect(recorded.receipt.contactId).not.toBe(known.receipt.contactId);
    expect(recorded.item?.payload).toMatchObject({ phone, phoneE164: null, invalidFields: ['phone'], name: 'Typed badly', message: 'call me' });
  }
  const email = await recordLead(db, site, { site: site.id, visitorId: randomId('v'), clientId: randomId('lead'), kind: 'form', email: 'olena@localhost' });
  expect(email.item?.payload).toMatchObject({ email: 'olena@localhost', emailNormalized: null, invalidFields: ['email'] });
  const phones = await db.query<{ value: string }>("select value from identities where site_id = $1 and kind in ('phone', 'email')", [site.id]);
  expect(phones.rows.map((row) => row.value)).toEqual(['+79991234567']);
});

test('refuses a lead whose client id already names a chat message', async () => {
  const site = await createTestSite(db, { defaultCountry: 'UA' });
  const visitorId = randomId('v');
  const clientId = randomId('dup');
  await recordVisitorMessage(db, site.id, { site: site.id, visitorId, clientId, text: 'hi' });

  const attempt = recordLead(db, site, { ...callback(site, visitorId, '067 123 45 67'), clientId });

  await expect(attempt).rejects.toMatchObject({ status: 409, code: 'conflict', field: 'clientId' });
  expect(await countRows(db, 'timeline_items', site.id)).toBe(1);
});

test('keeps leads across a restart of the embedded database and does not re-apply migrations', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'threadline-restart-'));
  try {
    const before = await openDatabase({ dataDir });
    const site = await createTestSite(before, { defaultCountry: 'UA' });
    const lead = callback(site, randomId('v'), '067 123 45 67', { name: 'Olena' });
    const written = await recordLead(before, site, lead);
    await before.close();

    const after = await openDatabase({ dataDir });
    try {
      expect(await migrate(after)).toEqual([]);
      expect((await after.query('select version, name from schema_migrations order by version')).rows).toEqual(MIGRATIONS.map(({ version, name }) => ({ version, name })));
      const reopenedSite = await findSite(after, site.id);
      expect(reopenedSite).toEqual(site);
      expect(await findByClientId(after, site.id, lead.clientId)).toMatchObject({ id: written.receipt.leadId, threadId: written.receipt.threadId, type: 'lead' });
      // The idempotency key survives too: the browser's retry after the restart gets the same ids.
      expect((await recordLead(after, reopenedSite!, lead)).receipt).toEqual(written.receipt);
    } finally {
      await after.close();
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}, DATABASE_START_TIMEOUT);
