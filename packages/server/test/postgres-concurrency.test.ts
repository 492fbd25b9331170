// @vitest-environment node
//
// Races between requests that name the same person. PGlite has one connection,
// so there its transactions run one after another and these tests only check the
// bookkeeping; on a real PostgreSQL (THREADLINE_TEST_DATABASE_URL, set by
// scripts/with-services.sh and always in CI) the transactions truly overlap and
// the advisory locks of identity-resolution.ts are what keeps them apart.
import type { Lead, LeadReceipt } from '@threadline/core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Database } from '../src/db/database';
import { identifyVisitor } from '../src/domain/identify';
import { liveContact } from '../src/domain/identity-resolution';
import { identityHash } from '../src/domain/identity-verification';
import { recordLead } from '../src/domain/leads';
import type { Site } from '../src/domain/sites';
import { recordVisitorMessage } from '../src/domain/visitor-messages';
import { createTestSite, DATABASE_START_TIMEOUT, openTestDatabase, randomId } from './support/pglite';
import { createScratchPostgres, POSTGRES_SKIP_REASON, TEST_DATABASE_URL, type ScratchPostgres } from './support/postgres';

const RACERS = 10;

// The default reporter shows only a count of skipped tests: say once why.
if (!TEST_DATABASE_URL) console.warn(`[threadline] the PostgreSQL half of postgres-concurrency.test.ts is skipped: it ${POSTGRES_SKIP_REASON}`);

let pglite: Database;
let postgres: ScratchPostgres | undefined;
beforeAll(async () => {
  pglite = await openTestDatabase();
  if (TEST_DATABASE_URL) postgres = await createScratchPostgres(TEST_DATABASE_URL, RACERS + 2);
}, DATABASE_START_TIMEOUT);
afterAll(async () => {
  await pglite?.close();
  await postgres?.drop();
});

function lead(site: Site, visitorId: string, fields: Partial<Lead>): Lead {
  return { site: site.id, visitorId, clientId: randomId('lead'), kind: 'callback', ...fields };
}

/** Every receipt points at the site's only live contact and only open thread; returns them. */
async function expectOneCustomer(db: Database, site: Site, receipts: LeadReceipt[]): Promise<{ contactId: string; threadId: string }> {
  const { rows: contacts } = await db.query<{ id: string }>('select id from contacts where site_id = $1 and merged_into is null', [site.id]);
  expect(contacts).toHaveLength(1);
  const contactId = contacts[0]!.id;
  for (const receipt of receipts) expect((await liveContact(db, receipt.contactId)).id).toBe(contactId);
  const { rows: threads } = await db.query<{ id: string; contact_id: string }>("select id, contact_id from threads where site_id = $1 and status = 'open' and merged_into is null", [site.id]);
  expect(threads).toEqual([{ id: expect.any(String), contact_id: contactId }]);
  // Nothing was left behind on a merged contact, where no agent would look.
  const { rows: stranded } = await db.query(
    `select i.id from timeline_items i join threads t on t.id = i.thread_id join contacts c on c.id = t.contact_id
      where i.site_id = $1 and (c.merged_into is not null or t.merged_into is not null)`,
    [site.id],
  );
  expect(stranded).toEqual([]);
  return { contactId, threadId: threads[0]!.id };
}

/** The thread's seqs are 1..n with no gap and no repeat, and match its last_seq. */
async function expectGaplessSeqs(db: Database, threadId: string, count: number): Promise<void> {
  const { rows } = await db.query<{ seq: number }>('select seq::int as seq from timeline_items where thread_id = $1 order by seq', [threadId]);
  expect(rows.map((row) => row.seq)).toEqual(Array.from({ length: count }, (_, index) => index + 1));
  expect((await db.query('select last_seq::int as last_seq from threads where id = $1', [threadId])).rows).toEqual([{ last_seq: count }]);
}

const PHONE_FORMATS = ['8 (999) 123-45-67', '+7 999 1234567', '+79991234567', '8 999 123 45 67', '+7 (999) 123-45-67'];

async function sameTypedPhone(db: Database): Promise<void> {
  const site = await createTestSite(db, { defaultCountry: 'RU' });
  const results = await Promise.all(Array.from({ length: RACERS }, (_, index) => recordLead(db, site, lead(site, randomId(`v${index}`), { phone: PHONE_FORMATS[index % PHONE_FORMATS.length] }))));

  const { threadId } = await expectOneCustomer(
    db,
    site,
    results.map((result) => result.receipt),
  );
  expect(new Set(results.map((result) => result.receipt.threadId))).toEqual(new Set([threadId]));
  expect((await db.query("select value from identities where site_id = $1 and kind = 'phone'", [site.id])).rows).toEqual([{ value: '+79991234567' }]);
  await expectGaplessSeqs(db, threadId, RACERS);
}

async function sameTypedPhoneAfterChats(db: Database): Promise<void> {
  const site = await createTestSite(db, { defaultCountry: 'UA' });
  const visitors = Array.from({ length: RACERS }, (_, index) => randomId(`v${index}`));
  // Every visitor has a thread of its own before the race: the merges must fold them all.
  for (const visitorId of visitors) await recordVisitorMessage(db, site.id, { site: site.id, visitorId, clientId: randomId('msg'), text: `hello from ${visitorId}` });

  const results = await Promise.all(visitors.map((visitorId) => recordLead(db, site, lead(site, visitorId, { phone: '067 123 45 67' }))));

  const { threadId } = await expectOneCustomer(
    db,
    site,
    results.map((result) => result.receipt),
  );
  await expectGaplessSeqs(db, threadId, 2 * RACERS);
  // Which contact wins depends on who got the lock first, so a folded thread may point at
  // another folded one; every chain ends at the live thread.
  const { rows: folded } = await db.query<{ id: string; merged_into: string }>("select id, merged_into from threads where site_id = $1 and status = 'closed'", [site.id]);
  expect(folded).toHaveLength(RACERS - 1);
  const mergedInto = new Map(folded.map((thread) => [thread.id, thread.merged_into]));
  for (const thread of folded) {
    let end = thread.id;
    while (mergedInto.has(end)) end = mergedInto.get(end)!;
    expect(end).toBe(threadId);
  }
  expect((await db.query('select count(*)::int as count from contact_merges where site_id = $1', [site.id])).rows).toEqual([{ count: RACERS - 1 }]);
}

async function sameClientId(db: Database): Promise<void> {
  const site = await createTestSite(db, { defaultCountry: 'UA' });
  const once = lead(site, randomId('v'), { phone: '+380 67 123 45 67', name: 'Olena' });

  const results = await Promise.all(Array.from({ length: RACERS }, () => recordLead(db, site, { ...once })));

  expect(results.filter((result) => result.created)).toHaveLength(1);
  expect(new Set(results.map((result) => JSON.stringify(result.receipt))).size).toBe(1);
  expect((await db.query('select id from timeline_items where site_id = $1 and client_id = $2', [site.id, once.clientId])).rows).toEqual([{ id: results[0]!.receipt.leadId }]);
  expect((await db.query('select count(*)::int as count from contacts where site_id = $1', [site.id])).rows).toEqual([{ count: 1 }]);
}

async function linkedPhonesAndEmails(db: Database): Promise<void> {
  const site = await createTestSite(db, { defaultCountry: 'UA' });
  // Visitor i types phone i % 2 and e-mail i % 3: every pair is linked through the others,
  // so the merges chain across transactions that lock overlapping identities.
  const phones = ['067 123 45 67', '050 765 43 21'];
  const emails = ['olena@example.com', 'Olena.K@Example.com', 'o.kovalenko@example.com'];
  const results = await Promise.all(
    Array.from({ length: RACERS }, (_, index) => recordLead(db, site, lead(site, randomId(`v${index}`), { kind: 'form', phone: phones[index % 2], email: emails[index % 3] }))),
  );

  const { contactId } = await expectOneCustomer(
    db,
    site,
    results.map((result) => result.receipt),
  );
  const { rows } = await db.query<{ kind: string; contact_id: string }>("select kind, contact_id from identities where site_id = $1 and kind in ('phone', 'email')", [site.id]);
  expect(rows).toHaveLength(5);
  for (const row of rows) expect(row.contact_id).toBe(contactId);
}

async function knownContactReachedTwoWays(db: Database): Promise<void> {
  const site = await createTestSite(db, { defaultCountry: 'UA' });
  const visitors = Array.from({ length: RACERS }, (_, index) => randomId(`v${index}`));
  for (const visitorId of visitors) await recordVisitorMessage(db, site.id, { site: site.id, visitorId, clientId: randomId('msg'), text: `hello from ${visitorId}` });
  // The customer is newer than every visitor's contact, so it loses each merge: a racer that
  // read it as the owner of its claim finds it folded into another racer's contact.
  const known = await recordLead(db, site, lead(site, randomId('known'), { kind: 'form', phone: '067 123 45 67', email: 'olena@example.com' }));

  // Half the visitors name the customer by phone, half by e-mail: their locks do not overlap,
  // yet every merge ends at the same contact.
  const results = await Promise.all(
    visitors.map((visitorId, index) => recordLead(db, site, lead(site, visitorId, index % 2 ? { kind: 'callback', phone: '+380 67 123 45 67' } : { kind: 'form', email: 'Olena@Example.com' }))),
  );

  const { threadId } = await expectOneCustomer(db, site, [known.receipt, ...results.map((result) => result.receipt)]);
  await expectGaplessSeqs(db, threadId, 1 + 2 * RACERS);
}

async function sameVerifiedUser(db: Database): Promise<void> {
  const site = await createTestSite(db, { defaultCountry: 'UA' });
  const hash = identityHash(site.secret, 'user-42');

  const results = await Promise.all(
    Array.from({ length: RACERS }, (_, index) => identifyVisitor(db, site, { site: site.id, visitorId: randomId(`v${index}`), clientId: randomId('identify'), person: { userId: 'user-42' }, hash })),
  );

  const contacts = new Set(await Promise.all(results.map(async (result) => (await liveContact(db, result.contactId)).id)));
  expect(contacts.size).toBe(1);
  expect(results.every((result) => result.access === 'contact' && result.verified)).toBe(true);
  expect((await db.query("select count(*)::int as count from identities where site_id = $1 and kind = 'user_id'", [site.id])).rows).toEqual([{ count: 1 }]);
  expect((await db.query('select count(*)::int as count from contacts where site_id = $1 and merged_into is null', [site.id])).rows).toEqual([{ count: 1 }]);
}

const scenarios: [string, (db: Database) => Promise<void>][] = [
  [`files ${RACERS} simultaneous leads with one phone in different formats into one contact and one thread`, sameTypedPhone],
  [`folds the chat threads of ${RACERS} visitors who submit one phone at once into one gapless thread`, sameTypedPhoneAfterChats],
  [`stores one lead when one client id arrives ${RACERS} times at once`, sameClientId],
  [`joins simultaneous leads linked through shared phones and e-mails into one contact`, linkedPhonesAndEmails],
  [`joins ${RACERS} chatting visitors who name one known customer by phone or by e-mail at once into its thread`, knownContactReachedTwoWays],
  [`joins ${RACERS} devices identified as one verified user at once into one contact`, sameVerifiedUser],
];

for (const [name, scenario] of scenarios) {
  test(`${name} on PGlite`, () => scenario(pglite));
  // Skipped, never silently passed, without a server: the title says what is needed.
  test.skipIf(!TEST_DATABASE_URL)(`${name} on PostgreSQL (needs THREADLINE_TEST_DATABASE_URL)`, () => scenario(postgres!.database));
}
