// @vitest-environment node
import type { IdentifyRequest, Lead } from '@threadline/core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Database } from '../src/db/database';
import { identifyVisitor } from '../src/domain/identify';
import { liveContact, resolveContact } from '../src/domain/identity-resolution';
import { identityHash } from '../src/domain/identity-verification';
import { recordLead } from '../src/domain/leads';
import type { Site } from '../src/domain/sites';
import { appendItem } from '../src/domain/timeline';
import { recordVisitorMessage, visitorHistory } from '../src/domain/visitor-messages';
import { ThreadlineServerError } from '../src/errors';
import { createTestSite, DATABASE_START_TIMEOUT, openTestDatabase, randomId, siteFootprint } from './support/pglite';

// One PGlite for the whole file; every test creates its own site, so no test sees another's rows.
let db: Database;
beforeAll(async () => {
  db = await openTestDatabase();
}, DATABASE_START_TIMEOUT);
afterAll(async () => {
  await db?.close();
});

type LeadFields = Partial<Pick<Lead, 'name' | 'phone' | 'email' | 'message'>> & { kind?: Lead['kind'] };

function submitLead(site: Site, visitorId: string, fields: LeadFields) {
  return recordLead(db, site, { site: site.id, visitorId, clientId: randomId('lead'), kind: fields.phone ? 'callback' : 'form', ...fields });
}

function identify(site: Site, visitorId: string, person: IdentifyRequest['person'], hash?: string) {
  return identifyVisitor(db, site, { site: site.id, visitorId, clientId: randomId('identify'), person, ...(hash ? { hash } : {}) });
}

function say(site: Site, visitorId: string, text: string) {
  return recordVisitorMessage(db, site.id, { site: site.id, visitorId, clientId: randomId('msg'), text });
}

async function live(contactId: string): Promise<string> {
  return (await liveContact(db, contactId)).id;
}

async function liveContacts(site: Site): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>('select id from contacts where site_id = $1 and merged_into is null order by created_at, id', [site.id]);
  return rows.map((row) => row.id);
}

async function identitiesOf(site: Site, kind: string): Promise<{ contact_id: string; value: string; verified: boolean }[]> {
  const { rows } = await db.query<{ contact_id: string; value: string; verified: boolean }>('select contact_id, value, verified from identities where site_id = $1 and kind = $2 order by value', [site.id, kind]);
  return rows;
}

test('treats "8 (999) 123-45-67" on a RU site and "+7 999 1234567" as one phone identity', async () => {
  const site = await createTestSite(db, { defaultCountry: 'RU' });
  const national = await submitLead(site, randomId('v'), { phone: '8 (999) 123-45-67' });
  const international = await submitLead(site, randomId('v'), { phone: '+7 999 1234567' });

  expect(await live(international.receipt.contactId)).toBe(await live(national.receipt.contactId));
  expect(international.receipt.threadId).toBe(national.receipt.threadId);
  expect(await identitiesOf(site, 'phone')).toEqual([{ contact_id: national.receipt.contactId, value: '+79991234567', verified: false }]);
});

test('treats "067 123 45 67" on a UA site and "+380 67 123 45 67" as one phone identity', async () => {
  const site = await createTestSite(db, { defaultCountry: 'UA' });
  const national = await submitLead(site, randomId('v'), { phone: '067 123 45 67' });
  const international = await submitLead(site, randomId('v'), { phone: '+380 67 123 45 67' });

  expect(await live(international.receipt.contactId)).toBe(await live(national.receipt.contactId));
  expect((await identitiesOf(site, 'phone')).map((row) => row.value)).toEqual(['+380671234567']);
});

test('treats e-mails that differ only in case and surrounding spaces as one identity', async () => {
  const site = await createTestSite(db, { defaultCountry: 'UA' });
  const receipts = [];
  for (const email of ['Olena.K@Example.COM', ' olena.k@example.com ', 'OLENA.K@EXAMPLE.COM']) receipts.push((await submitLead(site, randomId('v'), { email })).receipt);

  const contacts = new Set(await Promise.all(receipts.map((receipt) => live(receipt.contactId))));
  expect(contacts.size).toBe(1);
  expect(await liveContacts(site)).toEqual([...contacts]);
  expect((await identitiesOf(site, 'email')).map((row) => row.value)).toEqual(['olena.k@example.com']);
});

test('grants a device contact access with a valid HMAC hash, after which its history shows the whole thread', async () => {
  const site = await createTestSite(db, { defaultCountry: 'UA' });
  const laptop = randomId('laptop');
  const phone = randomId('phone');
  const known = await identify(site, laptop, { userId: 'user-42', email: 'olena@example.com' }, identityHash(site.secret, 'user-42'));
  expect(known).toMatchObject({ access: 'contact', verified: true });
  const fromLaptop = await say(site, laptop, 'Is delivery to Lviv free?');
  // An agent's reply that went to Telegram: no web device wrote it.
  await appendItem(db, { site: site.id, threadId: fromLaptop.item.threadId, type: 'message', channel: 'telegram', direction: 'out', author: { kind: 'agent', name: 'Ira' }, text: 'Yes, above 500 UAH.' });
  const fromPhone = await say(site, phone, 'Hi, it is me again');
  expect((await visitorHistory(db, site.id, phone, 0)).messages.map((item) => item.text)).toEqual(['Hi, it is me again']);

  const result = await identify(site, phone, { userId: 'user-42' }, identityHash(site.secret, 'user-42'));

  expect(result).toEqual({ contactId: known.contactId, access: 'contact', verified: true });
  const history = await visitorHistory(db, site.id, phone, 0);
  expect(history.threadId).toBe(fromLaptop.item.threadId);
  expect(history.messages.map((item) => item.text)).toEqual(['Is delivery to Lviv free?', 'Yes, above 500 UAH.', 'Hi, it is me again']);
  expect(history.messages.map((item) => item.seq)).toEqual([1, 2, 3]);
  expect(history.messages[2]?.payload).toMatchObject({ origSeq: fromPhone.item.seq });
});

test('joins a self-asserted identify to the contact for agents but keeps the device reading only its own messages', async () => {
  const site = await createTestSite(db, { defaultCountry: 'UA' });
  const owner = randomId('owner');
  const stranger = randomId('stranger');
  const known = await identify(site, owner, { userId: 'user-7' }, identityHash(site.secret, 'user-7'));
  await say(site, owner, 'My order number is 1234');
  await say(site, stranger, 'hello?');

  const result = await identify(site, stranger, { userId: 'user-7' });

  expect(result).toEqual({ contactId: known.contactId, access: 'own', verified: false });
  expect((await visitorHistory(db, site.id, stranger, 0)).messages.map((item) => item.text)).toEqual(['hello?']);
  expect((await visitorHistory(db, site.id, owner, 0)).messages.map((item) => item.text)).toEqual(['My order number is 1234', 'hello?']);
});

test('refuses a wrong hash with a 401 and stores nothing', async () => {
  const site = await createTestSite(db, { defaultCountry: 'UA' });
  const before = await siteFootprint(db, site.id);

  const attempt = identify(site, randomId('v'), { userId: 'user-1', email: 'a@example.com', phone: '+380671234567' }, identityHash('not the site secret', 'user-1'));

  await expect(attempt).rejects.toBeInstanceOf(ThreadlineServerError);
  await expect(attempt).rejects.toMatchObject({ status: 401, code: 'unauthorized', field: 'hash' });
  expect(await siteFootprint(db, site.id)).toEqual(before);
});

test('never merges two contacts with different verified user ids and records a merge suggestion instead', async () => {
  const site = await createTestSite(db, { defaultCountry: 'UA' });
  const mother = await identify(site, randomId('v'), { userId: 'user-mother', phone: '067 123 45 67' }, identityHash(site.secret, 'user-mother'));
  const sonDevice = randomId('v');
  const son = await identify(site, sonDevice, { userId: 'user-son', phone: '+380671234567' }, identityHash(site.secret, 'user-son'));
  // Even verified evidence (the son shares the family phone from Telegram) does not join two known users.
  const viaTelegram = await db.transaction((tx) =>
    resolveContact(tx, site.id, son.contactId, [{ kind: 'phone', value: '+380671234567', verified: true, via: 'telegram_contact' }], 'telegram'),
  );

  expect(son.contactId).not.toBe(mother.contactId);
  expect(viaTelegram).toEqual({ contactId: son.contactId, merges: [], suggestions: 1 });
  expect(await liveContacts(site)).toEqual([mother.contactId, son.contactId]);
  const { rows: suggestions } = await db.query<{ a_contact_id: string; b_contact_id: string; reason: string; evidence: Record<string, unknown> }>(
    'select a_contact_id, b_contact_id, reason, evidence from merge_suggestions where site_id = $1 order by created_at',
    [site.id],
  );
  // The identify and the Telegram share raised the same suggestion: one open row remains.
  expect(suggestions).toHaveLength(1);
  for (const suggestion of suggestions) {
    expect(suggestion).toMatchObject({ a_contact_id: son.contactId, b_contact_id: mother.contactId, reason: 'different-verified-users' });
    expect(suggestion.evidence).toMatchObject({ kind: 'phone', value: '+380671234567' });
  }
  const { rows: merges } = await db.query('select 1 from contact_merges where site_id = $1', [site.id]);
  expect(merges).toHaveLength(0);
});

test('merges an anonymous visitor who types a known verified contact’s phone, folding its thread after the winner’s last seq', async () => {
  const site = await createTestSite(db, { defaultCountry: 'RU' });
  const ownerDevice = randomId('owner');
  const known = await identify(site, ownerDevice, { userId: 'crm-1001', phone: '+7 999 765-43-21' }, identityHash(site.secret, 'crm-1001'));
  const first = await say(site, ownerDevice, 'First question');
  await say(site, ownerDevice, 'Second question');
  const anonymous = randomId('anon');
  const anonymousFirst = await say(site, anonymous, 'Anonymous one');
  await say(site, anonymous, 'Anonymous two');
  const anonymousThread = anonymousFirst.item.threadId;
  const anonymousContact = anonymousFirst.contactId;

  const lead = await submitLead(site, anonymous, { kind: 'callback', phone: '8 999 765 43 21', name: 'Ivan' });

  const winnerThread = first.item.threadId;
  expect(lead.receipt).toMatchObject({ contactId: known.contactId, threadId: winnerThread });
  expect(lead.merges).toEqual([{ winnerId: known.contactId, loserId: anonymousContact, kind: 'phone', value: '+79997654321' }]);
  const { rows: audit } = await db.query('select winner_id, loser_id, identity_kind, identity_value, reason, evidence from contact_merges where site_id = $1', [site.id]);
  expect(audit).toEqual([
    { winner_id: known.contactId, loser_id: anonymousContact, identity_kind: 'phone', identity_value: '+79997654321', reason: 'lead:callback', evidence: { verified: false, via: null } },
  ]);
  expect((await db.query('select merged_into from contacts where id = $1', [anonymousContact])).rows).toEqual([{ merged_into: known.contactId }]);
  expect((await db.query('select status, merged_into from threads where id = $1', [anonymousThread])).rows).toEqual([{ status: 'closed', merged_into: winnerThread }]);
  const { rows: items } = await db.query<{ seq: string; body: string | null; type: string; payload: Record<string, unknown> }>(
    'select seq, body, type, payload from timeline_items where thread_id = $1 order by seq',
    [winnerThread],
  );
  expect(items.map((item) => [Number(item.seq), item.type, item.body])).toEqual([
    [1, 'message', 'First question'],
    [2, 'message', 'Second question'],
    [3, 'message', 'Anonymous one'],
    [4, 'message', 'Anonymous two'],
    [5, 'lead', null],
  ]);
  expect(items[2]?.payload).toMatchObject({ origThread: anonymousThread, origSeq: 1 });
  expect(items[3]?.payload).toMatchObject({ origThread: anonymousThread, origSeq: 2 });
  expect((await db.query('select count(*)::int as count from timeline_items where thread_id = $1', [anonymousThread])).rows).toEqual([{ count: 0 }]);
  expect((await db.query('select last_seq::int as last_seq from threads where id = $1', [winnerThread])).rows).toEqual([{ last_seq: 5 }]);
  // The merge is for agents: the anonymous browser still reads only what it wrote.
  expect((await db.query('select contact_id, access from visitors where site_id = $1 and id = $2', [site.id, anonymous])).rows).toEqual([{ contact_id: known.contactId, access: 'own' }]);
  expect((await visitorHistory(db, site.id, anonymous, 0)).messages.map((item) => item.text)).toEqual(['Anonymous one', 'Anonymous two']);
});

test('keeps two people who share one device apart when their phones and e-mails differ', async () => {
  const site = await createTestSite(db, { defaultCountry: 'UA' });
  const familyLaptop = randomId('shared');
  const anna = await submitLead(site, familyLaptop, { phone: '067 111 22 33', email: 'anna@example.com', name: 'Anna' });
  const boris = await submitLead(site, familyLaptop, { phone: '050 444 55 66', email: 'Boris@Example.com', name: 'Boris' });

  expect(boris.receipt.contactId).not.toBe(anna.receipt.contactId);
  expect(boris.receipt.threadId).not.toBe(anna.receipt.threadId);
  expect(boris.merges).toEqual([]);
  expect(new Set(await liveContacts(site))).toEqual(new Set([anna.receipt.contactId, boris.receipt.contactId]));
  const owners = [...(await identitiesOf(site, 'phone')), ...(await identitiesOf(site, 'email'))].map((row) => [row.value, row.contact_id] as const);
  expect(new Map(owners)).toEqual(
    new Map([
      ['+380671112233', anna.receipt.contactId],
      ['anna@example.com', anna.receipt.contactId],
      ['+380504445566', boris.receipt.contactId],
      ['boris@example.com', boris.receipt.contactId],
    ]),
  );
});

test('leaves a shared device with its owner when a guest’s lead on it joins two of the guest’s own contacts', async () => {
  const site = await createTestSite(db, { defaultCountry: 'UA' });
  const familyLaptop = randomId('shared');
  const owner = await submitLead(site, familyLaptop, { phone: '067 111 22 33', email: 'anna@example.com' });
  const guestByPhone = await submitLead(site, randomId('guest-phone'), { phone: '050 444 55 66' });
  const guestByEmail = await submitLead(site, randomId('guest-laptop'), { email: 'boris@example.com' });

  const guest = await submitLead(site, familyLaptop, { phone: '+380 50 444 55 66', email: 'Boris@Example.com' });
  const ownerAgain = await say(site, familyLaptop, 'Anna again: any news?');

  expect(guest.merges).toHaveLength(1);
  expect(await live(guest.receipt.contactId)).toBe(await live(guestByPhone.receipt.contactId));
  expect(await live(guest.receipt.contactId)).toBe(await live(guestByEmail.receipt.contactId));
  expect((await db.query('select contact_id from visitors where site_id = $1 and id = $2', [site.id, familyLaptop])).rows).toEqual([{ contact_id: owner.receipt.contactId }]);
  expect(ownerAgain.contactId).toBe(owner.receipt.contactId);
  expect(ownerAgain.item.threadId).toBe(owner.receipt.threadId);
});

test('joins an anonymous lead to the contact that owns its e-mail even when the phone beside it is new', async () => {
  const site = await createTestSite(db, { defaultCountry: 'UA' });
  const known = await identify(site, randomId('laptop'), { userId: 'user-9', email: 'olena@example.com' }, identityHash(site.secret, 'user-9'));

  // The form sends the phone first; the outcome must not depend on that order.
  const lead = await submitLead(site, randomId('phone'), { kind: 'form', phone: '067 123 45 67', email: 'Olena@Example.com' });

  expect(lead.receipt.contactId).toBe(known.contactId);
  expect(lead.merges).toHaveLength(1);
  expect(await identitiesOf(site, 'phone')).toEqual([{ contact_id: known.contactId, value: '+380671234567', verified: false }]);
  expect((await db.query('select 1 from merge_suggestions where site_id = $1', [site.id])).rows).toEqual([]);
});

test('re-binds a device identified as another verified user instead of merging the two users', async () => {
  const site = await createTestSite(db, { defaultCountry: 'UA' });
  const kiosk = randomId('kiosk');
  const first = await identify(site, kiosk, { userId: 'user-a' }, identityHash(site.secret, 'user-a'));
  const second = await identify(site, kiosk, { userId: 'user-b' }, identityHash(site.secret, 'user-b'));

  expect(second.contactId).not.toBe(first.contactId);
  expect(second.access).toBe('contact');
  expect(new Set(await liveContacts(site))).toEqual(new Set([first.contactId, second.contactId]));
  expect((await db.query('select contact_id from visitors where site_id = $1 and id = $2', [site.id, kiosk])).rows).toEqual([{ contact_id: second.contactId }]);
});

test('ignores placeholder user ids such as "null", "undefined" and "0"', async () => {
  const site = await createTestSite(db, { defaultCountry: 'UA' });
  const results = [];
  for (const userId of ['null', 'undefined', '0', ' NULL ']) results.push(await identify(site, randomId('v'), { userId, name: `Visitor ${userId}` }));

  expect(new Set(results.map((result) => result.contactId)).size).toBe(4);
  expect(await liveContacts(site)).toHaveLength(4);
  expect(await identitiesOf(site, 'user_id')).toEqual([]);
});

test('keeps a Telegram conversation unreadable to a verified site user who typed that phone before its owner shared it', async () => {
  const site = await createTestSite(db, { defaultCountry: 'UA' });
  const mallory = randomId('mallory');
  await identify(site, mallory, { userId: 'mallory' }, identityHash(site.secret, 'mallory'));
  await say(site, mallory, 'hi from mallory');
  // Mallory types the victim's phone into a callback form: a self-asserted claim.
  await submitLead(site, mallory, { phone: '067 123 45 67' });
  // The victim writes to the bot, then shares the contact: Telegram proves the phone is theirs.
  const victim = await db.transaction((tx) => resolveContact(tx, site.id, undefined, [{ kind: 'telegram', value: '123456789', verified: true, via: 'telegram_inbound' }], 'telegram'));
  await db.transaction(async (tx) => {
    const threadId = (await tx.query<{ id: string }>('insert into threads (id, site_id, contact_id) values (gen_random_uuid(), $1, $2) returning id', [site.id, victim.contactId])).rows[0]!.id;
    await appendItem(tx, { site: site.id, threadId, type: 'message', channel: 'telegram', direction: 'in', author: { kind: 'contact' }, text: 'my card ends with 4242' });
  });
  const shared = await db.transaction((tx) =>
    resolveContact(
      tx,
      site.id,
      victim.contactId,
      [
        { kind: 'telegram', value: '123456789', verified: true, via: 'telegram_inbound' },
        { kind: 'phone', value: '+380671234567', verified: true, via: 'telegram_contact' },
      ],
      'telegram',
    ),
  );

  expect(shared).toEqual({ contactId: victim.contactId, merges: [], suggestions: 1 });
  expect((await visitorHistory(db, site.id, mallory, 0)).messages.map((item) => item.text)).toEqual(['hi from mallory']);
  expect((await db.query('select reason from merge_suggestions where site_id = $1', [site.id])).rows).toEqual([{ reason: 'unverified-identity-on-verified-contact' }]);
});
