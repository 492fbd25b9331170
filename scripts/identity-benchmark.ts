// Identity-resolution benchmark: how often does the server put one person's
// events in one live contact (recall), and never two people's (precision)?
//
//   node --import tsx scripts/identity-benchmark.ts [--people 1200] [--seed 20261123]
//
// A seeded generator makes synthetic people with a phone, an e-mail, sometimes a
// site account and a Telegram account, and 1–4 devices. Each arrives through 1–4
// channels, played through the domain functions that exist today on an in-memory
// PGlite: web leads (national and international phone formats, e-mails in any
// case), anonymous chat, identify calls with and without the site's HMAC, a
// Telegram contact share (resolveContact with a verified telegram id and a
// verified phone, as the Telegram channel will do), and leads typed on someone
// else's device. Every call is an event whose ground-truth person is known;
// precision and recall are counted over pairs of events ("same live contact").
//
// The generator only makes data that carries the evidence needed to join a
// person's events: a shared device is used by its guest only for leads with both
// a phone and an e-mail after its owner has left theirs on it (and never while its
// owner is logged in on it), and a person whose
// events share no phone, e-mail, account, Telegram id or device gets the phone
// added to its leads. Cases that no algorithm could tell apart would measure the
// generator, not the server.
//
// Prints a markdown table and exits 1 when precision < 100 % or recall < 99 %.
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { IdentifyRequest, Lead } from '@threadline/core';
import type { Database } from '../packages/server/src/db/database';
import { openDatabase } from '../packages/server/src/db/open-database';
import { identifyVisitor } from '../packages/server/src/domain/identify';
import { resolveContact, type IdentityClaim } from '../packages/server/src/domain/identity-resolution';
import { identityHash } from '../packages/server/src/domain/identity-verification';
import { recordLead } from '../packages/server/src/domain/leads';
import { normalizePhone } from '../packages/server/src/domain/normalize';
import { findSite, upsertSite, type Site } from '../packages/server/src/domain/sites';
import { recordVisitorMessage } from '../packages/server/src/domain/visitor-messages';

const PRECISION_GOAL = 1;
const RECALL_GOAL = 0.99;

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? Number(process.argv[index + 1]) : fallback;
  if (!Number.isInteger(value) || value <= 0) throw new Error(`--${name} must be a positive integer`);
  return value;
}

const PEOPLE = option('people', 1200);
const SEED = option('seed', 20261123);

// ── Seeded randomness (mulberry32: small, fast, good enough for test data) ──
function createRandom(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    chance: (p: number) => next() < p,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!,
    weighted: <T extends string>(weights: Record<T, number>): T => {
      const entries = Object.entries(weights) as [T, number][];
      let roll = next() * entries.reduce((sum, [, weight]) => sum + weight, 0);
      for (const [key, weight] of entries) if ((roll -= weight) < 0) return key;
      return entries[entries.length - 1]![0];
    },
    id: (prefix: string) => `${prefix}-${Array.from({ length: 16 }, () => Math.floor(next() * 16).toString(16)).join('')}`,
  };
}
const random = createRandom(SEED);

// ── Synthetic people ──
interface SiteSpec {
  id: string;
  country: 'UA' | 'RU';
  secret: string;
}

interface Person {
  index: number;
  site: SiteSpec;
  name: string;
  /** National significant number, e.g. 671234567 (UA) or 9161234567 (RU). */
  nsn: string;
  phone: string;
  email: string;
  userId?: string;
  /** Whether the site signs this person's identify calls (HMAC); otherwise they arrive without a hash. */
  signed: boolean;
  telegramId: string;
  devices: string[];
}

type Step =
  | { kind: 'chat'; person: Person; device: string; text: string }
  | { kind: 'lead'; person: Person; device: string; phone?: string; email?: string; guest?: boolean }
  | { kind: 'identify'; person: Person; device: string; userId?: string; email?: string; phone?: string }
  | { kind: 'telegram'; person: Person; sharesPhone: boolean };

interface TimedStep {
  at: number;
  order: number;
  step: Step;
}

const FIRST_NAMES = ['Olena', 'Ivan', 'Anna', 'Dmytro', 'Maria', 'Oleksii', 'Iryna', 'Sergei', 'Natalia', 'Andrii', 'Yulia', 'Pavel', 'Oksana', 'Mikhail', 'Tetiana', 'Artem'];
const LAST_NAMES = ['Kovalenko', 'Ivanov', 'Shevchenko', 'Petrova', 'Bondarenko', 'Smirnov', 'Melnyk', 'Kuznetsova', 'Tkachenko', 'Popov', 'Kravchenko', 'Volkova'];
const DOMAINS = ['gmail.com', 'ukr.net', 'yandex.ru', 'mail.ru', 'outlook.com', 'i.ua', 'proton.me'];
const UA_CODES = ['50', '63', '66', '67', '68', '73', '93', '95', '96', '97', '98', '99'];
const RU_CODES = ['903', '905', '915', '916', '925', '926', '977', '985', '999', '950'];

const usedPhones = new Set<string>();
function newPhone(country: 'UA' | 'RU'): { nsn: string; e164: string } {
  for (;;) {
    const nsn = country === 'UA' ? `${random.pick(UA_CODES)}${random.int(1_000_000, 9_999_999)}` : `${random.pick(RU_CODES)}${random.int(1_000_000, 9_999_999)}`;
    const e164 = normalizePhone(country === 'UA' ? `+380${nsn}` : `+7${nsn}`);
    if (e164 && !usedPhones.has(e164)) {
      usedPhones.add(e164);
      return { nsn, e164 };
    }
  }
}

/** The phone as a person might type it into a form: national with the trunk prefix, or international. */
function typedPhone(person: Person): string {
  const n = person.nsn;
  if (person.site.country === 'UA') {
    return random.pick([
      `0${n}`,
      `0${n.slice(0, 2)} ${n.slice(2, 5)} ${n.slice(5, 7)} ${n.slice(7)}`,
      `(0${n.slice(0, 2)}) ${n.slice(2, 5)}-${n.slice(5, 7)}-${n.slice(7)}`,
      `+380 ${n.slice(0, 2)} ${n.slice(2, 5)} ${n.slice(5, 7)} ${n.slice(7)}`,
      `+380${n}`,
      `380${n}`,
      `+38 (0${n.slice(0, 2)}) ${n.slice(2)}`,
    ]);
  }
  return random.pick([
    `8${n}`,
    `8 (${n.slice(0, 3)}) ${n.slice(3, 6)}-${n.slice(6, 8)}-${n.slice(8)}`,
    `8 ${n.slice(0, 3)} ${n.slice(3, 6)} ${n.slice(6, 8)} ${n.slice(8)}`,
    `+7 ${n.slice(0, 3)} ${n.slice(3)}`,
    `+7 (${n.slice(0, 3)}) ${n.slice(3, 6)}-${n.slice(6, 8)}-${n.slice(8)}`,
    `+7${n}`,
    `7${n}`,
  ]);
}

/** The e-mail as typed: any case, sometimes with stray spaces. */
function typedEmail(person: Person): string {
  const cased = random.weighted({ lower: 5, upper: 1, title: 2, random: 2 });
  let email = person.email;
  if (cased === 'upper') email = email.toUpperCase();
  if (cased === 'title') email = email.replace(/(^|[.@])([a-z])/g, (_, separator: string, letter: string) => separator + letter.toUpperCase());
  if (cased === 'random') email = [...email].map((character) => (random.chance(0.3) ? character.toUpperCase() : character)).join('');
  return random.chance(0.15) ? ` ${email} ` : email;
}

function makePeople(sites: SiteSpec[]): Person[] {
  return Array.from({ length: PEOPLE }, (_, index) => {
    const site = sites[index % sites.length]!;
    const first = random.pick(FIRST_NAMES);
    const last = random.pick(LAST_NAMES);
    const { nsn, e164 } = newPhone(site.country);
    const hasAccount = random.chance(0.45);
    return {
      index,
      site,
      name: `${first} ${last}`,
      nsn,
      phone: e164,
      email: `${first}.${last}${index}@${random.pick(DOMAINS)}`.toLowerCase(),
      ...(hasAccount ? { userId: `u${100_000 + index}` } : {}),
      signed: random.chance(0.75),
      telegramId: String(100_000_000 + index * 7 + random.int(0, 6)),
      devices: Array.from({ length: random.int(1, 3) }, () => random.id('v')),
    };
  });
}

// ── Channels: what one arrival of a person looks like ──
type Channel = 'web' | 'account' | 'telegram' | 'guest';

function deviceFor(person: Person, used: Set<string>): string {
  const device = used.size > 0 && random.chance(0.5) ? random.pick([...used]) : random.pick(person.devices);
  used.add(device);
  return device;
}

function leadFields(person: Person): { phone?: string; email?: string } {
  const phone = random.chance(0.75);
  const email = !phone || random.chance(0.4);
  return { ...(phone ? { phone: typedPhone(person) } : {}), ...(email ? { email: typedEmail(person) } : {}) };
}

function channelSteps(person: Person, channel: Channel, used: Set<string>): Step[] {
  switch (channel) {
    case 'web': {
      const device = deviceFor(person, used);
      const steps: Step[] = [];
      if (random.chance(0.4)) steps.push({ kind: 'chat', person, device, text: 'Hello, is anyone there?' });
      steps.push({ kind: 'lead', person, device, ...leadFields(person) });
      if (random.chance(0.3)) steps.push({ kind: 'chat', person, device, text: 'Thanks, waiting for the call' });
      return steps;
    }
    case 'account': {
      const device = deviceFor(person, used);
      const steps: Step[] = [];
      if (random.chance(0.3)) steps.push({ kind: 'chat', person, device, text: 'Before I log in: do you ship abroad?' });
      if (person.userId) {
        steps.push({ kind: 'identify', person, device, userId: person.userId, ...(random.chance(0.7) ? { email: typedEmail(person) } : {}), ...(random.chance(0.2) ? { phone: typedPhone(person) } : {}) });
      } else {
        // No account: the site knows the e-mail from a newsletter link.
        steps.push({ kind: 'identify', person, device, email: typedEmail(person) });
      }
      if (random.chance(0.5)) steps.push({ kind: 'chat', person, device, text: 'Where is my order?' });
      if (random.chance(0.25)) steps.push({ kind: 'lead', person, device, ...leadFields(person) });
      return steps;
    }
    case 'telegram':
      return random.chance(0.5) ? [{ kind: 'telegram', person, sharesPhone: false }, { kind: 'telegram', person, sharesPhone: true }] : [{ kind: 'telegram', person, sharesPhone: true }];
    case 'guest':
      throw new Error('guest steps are placed after their host’s lead');
  }
}

/** Joins the person's steps by the evidence they carry; adds the phone where a part would stay unreachable. */
function connect(steps: Step[]): void {
  const parent = new Map<string, string>();
  const find = (key: string): string => {
    while (parent.get(key) !== undefined && parent.get(key) !== key) key = parent.get(key)!;
    return key;
  };
  const union = (a: string, b: string) => parent.set(find(a), find(b));
  const keysOf = (step: Step): string[] => {
    const keys: string[] = [];
    if (step.kind === 'telegram') keys.push('telegram', ...(step.sharesPhone ? ['phone'] : []));
    else {
      if (!(step.kind === 'lead' && step.guest)) keys.push(`device:${step.device}`);
      if (step.kind !== 'chat') {
        if (step.phone) keys.push('phone');
        if (step.email) keys.push('email');
        if (step.kind === 'identify' && step.userId) keys.push('user');
      }
    }
    return keys;
  };
  const link = () => {
    parent.clear();
    for (const step of steps) {
      const keys = keysOf(step);
      for (const key of keys) if (!parent.has(key)) parent.set(key, key);
      for (const key of keys.slice(1)) union(keys[0]!, key);
    }
  };
  link();
  const roots = new Set(steps.map((step) => find(keysOf(step)[0]!)));
  if (roots.size <= 1) return;
  for (const step of steps) if ((step.kind === 'lead' || step.kind === 'identify') && !step.phone) step.phone = typedPhone(step.person);
  link();
  if (new Set(steps.map((step) => find(keysOf(step)[0]!))).size > 1) throw new Error(`generator: person ${steps[0]!.person.index} stays disconnected`);
}

function makeSteps(people: Person[]): TimedStep[] {
  const timed: TimedStep[] = [];
  let order = 0;
  const hosts: { person: Person; device: string; at: number }[] = [];
  const guests: Extract<Step, { kind: 'lead' }>[] = [];
  for (const person of people) {
    const used = new Set<string>();
    const channels = Array.from({ length: random.int(1, 4) }, () => random.weighted<Channel>({ web: 4, account: 2, telegram: 2, guest: 1 }));
    const own: { at: number; steps: Step[] }[] = [];
    const borrowed: Extract<Step, { kind: 'lead' }>[] = [];
    for (const channel of channels) {
      // The device is chosen below, once every owner's leads are known.
      if (channel === 'guest') borrowed.push({ kind: 'lead', person, device: '', phone: typedPhone(person), email: typedEmail(person), guest: true });
      else own.push({ at: random.next(), steps: channelSteps(person, channel, used) });
    }
    if (own.length === 0) own.push({ at: random.next(), steps: channelSteps(person, 'web', used) });
    connect([...own.flatMap((entry) => entry.steps), ...borrowed]);
    guests.push(...borrowed);
    // A device where its owner logs in is never lent: a site calls reset() on logout, which
    // gives the next person a new visitorId (research/backend.md §5, pitfall 2). Lending a
    // logged-in session is indistinguishable from its owner typing a new number.
    const loggedIn = new Set(own.flatMap((entry) => entry.steps.flatMap((step) => (step.kind === 'identify' ? [step.device] : []))));
    for (const entry of own) {
      entry.steps.forEach((step, position) => {
        const at = entry.at + position * 1e-9;
        timed.push({ at, order: order++, step });
        if (step.kind === 'lead' && (step.phone || step.email) && !loggedIn.has(step.device)) hosts.push({ person, device: step.device, at });
      });
    }
  }
  // Guests type their own phone and e-mail on a device whose owner already left theirs on it.
  for (const guest of guests) {
    const host = random.pick(hosts.filter((candidate) => candidate.person.site === guest.person.site && candidate.person !== guest.person));
    guest.device = host.device;
    timed.push({ at: host.at + (1 - host.at) * random.next(), order: order++, step: guest });
  }
  return timed.sort((a, b) => a.at - b.at || a.order - b.order);
}

// ── Playing the steps through the domain ──
async function play(db: Database, sites: Map<string, Site>, step: Step): Promise<string> {
  const site = sites.get(step.person.site.id)!;
  const clientId = random.id('c');
  switch (step.kind) {
    case 'chat':
      return (await recordVisitorMessage(db, site.id, { site: site.id, visitorId: step.device, clientId, text: step.text })).contactId;
    case 'lead': {
      const lead: Lead = { site: site.id, visitorId: step.device, clientId, kind: step.phone ? 'callback' : 'form', name: step.person.name, ...(step.phone ? { phone: step.phone } : {}), ...(step.email ? { email: step.email } : {}) };
      const first = await recordLead(db, site, lead);
      // An outbox retry of the same lead must change nothing.
      if (random.chance(0.05)) {
        const replay = await recordLead(db, site, lead);
        if (replay.created || JSON.stringify(replay.receipt) !== JSON.stringify(first.receipt)) throw new Error(`replayed lead ${clientId} got a different receipt`);
      }
      return first.receipt.contactId;
    }
    case 'identify': {
      const person: IdentifyRequest['person'] = { name: step.person.name, ...(step.userId ? { userId: step.userId } : {}), ...(step.email ? { email: step.email } : {}), ...(step.phone ? { phone: step.phone } : {}) };
      const signedValue = step.userId ?? step.email?.trim().toLowerCase();
      const hash = step.person.signed && signedValue ? identityHash(site.secret, signedValue) : undefined;
      return (await identifyVisitor(db, site, { site: site.id, visitorId: step.device, clientId, person, ...(hash ? { hash } : {}) })).contactId;
    }
    case 'telegram': {
      // What the Telegram channel will do: the sender's id is proven by Telegram; a
      // contact shared by its own owner proves the phone (research/backend.md §10).
      const claims: IdentityClaim[] = [{ kind: 'telegram', value: step.person.telegramId, verified: true, via: 'telegram_inbound' }];
      if (step.sharesPhone) {
        const raw = step.person.phone.slice(1);
        claims.push({ kind: 'phone', value: normalizePhone(raw, undefined, 'messenger')!, raw, verified: true, via: 'telegram_contact' });
      }
      return (await db.transaction((tx) => resolveContact(tx, site.id, undefined, claims, 'telegram'))).contactId;
    }
  }
}

// ── Scoring ──
const pairs = (n: number) => (n * (n - 1)) / 2;

interface Score {
  truePairs: number;
  mergedPairs: number;
  correctPairs: number;
  suggestedCorrectPairs: number;
}

function score(events: { person: number; contact: string }[], suggestionRoot: (contact: string) => string): Score {
  const countBy = (key: (event: { person: number; contact: string }) => string) => {
    const counts = new Map<string, number>();
    for (const event of events) counts.set(key(event), (counts.get(key(event)) ?? 0) + 1);
    return [...counts.values()].reduce((sum, n) => sum + pairs(n), 0);
  };
  return {
    truePairs: countBy((event) => String(event.person)),
    mergedPairs: countBy((event) => event.contact),
    correctPairs: countBy((event) => `${event.person}|${event.contact}`),
    suggestedCorrectPairs: countBy((event) => `${event.person}|${suggestionRoot(event.contact)}`),
  };
}

const percent = (value: number) => `${(value * 100).toFixed(2)} %`;

async function main(): Promise<void> {
  const sites: SiteSpec[] = [
    { id: 'bench_ua', country: 'UA', secret: randomBytes(32).toString('hex') },
    { id: 'bench_ru', country: 'RU', secret: randomBytes(32).toString('hex') },
  ];
  const people = makePeople(sites);
  const steps = makeSteps(people);

  const opening = performance.now();
  const db = await openDatabase({});
  const openMs = performance.now() - opening;
  const siteRows = new Map<string, Site>();
  for (const spec of sites) {
    await upsertSite(db, { id: spec.id, name: spec.id, allowedOrigins: [], secret: spec.secret, defaultCountry: spec.country });
    siteRows.set(spec.id, (await findSite(db, spec.id))!);
  }

  const started = performance.now();
  const recorded: { person: number; contact: string; step: Step }[] = [];
  for (const { step } of steps) recorded.push({ person: step.person.index, contact: await play(db, siteRows, step), step });
  const wallMs = performance.now() - started;

  // Every event's contact as it is now: follow the merge tombstones to the live one.
  const mergedInto = new Map((await db.query<{ id: string; merged_into: string | null }>('select id, merged_into from contacts')).rows.map((row) => [row.id, row.merged_into]));
  const liveOf = (id: string): string => {
    let current = id;
    for (let next = mergedInto.get(current); next; next = mergedInto.get(current)) current = next;
    return current;
  };
  const events = recorded.map((event) => ({ ...event, contact: liveOf(event.contact) }));

  const count = async (sql: string) => Number((await db.query<{ count: string }>(sql)).rows[0]!.count);
  const merges = await count('select count(*)::text as count from contact_merges');
  const suggestions = await count("select count(*)::text as count from merge_suggestions where state = 'open'");
  const suggestionRows = (await db.query<{ a_contact_id: string; b_contact_id: string; reason: string }>("select a_contact_id, b_contact_id, reason from merge_suggestions where state = 'open'")).rows;
  const suggestionParent = new Map<string, string>();
  const root = (id: string): string => {
    let current = liveOf(id);
    while (suggestionParent.has(current)) current = suggestionParent.get(current)!;
    return current;
  };
  for (const row of suggestionRows) {
    const [a, b] = [root(row.a_contact_id), root(row.b_contact_id)];
    if (a !== b) suggestionParent.set(a, b);
  }

  const result = score(events, root);
  const precision = result.mergedPairs === 0 ? 1 : result.correctPairs / result.mergedPairs;
  const recall = result.truePairs === 0 ? 1 : result.correctPairs / result.truePairs;
  const contacts = new Set(events.map((event) => event.contact)).size;

  const n = (value: number) => value.toLocaleString('en');
  const kinds = { lead: 0, chat: 0, identify: 0, telegram: 0 };
  for (const event of events) kinds[event.step.kind]++;
  const guestLeads = events.filter((event) => event.step.kind === 'lead' && event.step.guest).length;
  const lines = [
    '| people | events | contacts | merges | suggestions | precision | recall | wall time |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|',
    `| ${n(PEOPLE)} | ${n(events.length)} | ${n(contacts)} | ${n(merges)} | ${n(suggestions)} | ${percent(precision)} | ${percent(recall)} | ${(wallMs / 1000).toFixed(1)} s |`,
    '',
    `Seed ${SEED}. Events: ${n(kinds.lead)} leads (${n(guestLeads)} typed on someone else's device), ${n(kinds.chat)} chat messages, ` +
      `${n(kinds.identify)} identify calls, ${n(kinds.telegram)} Telegram updates. Pairs: ${n(result.truePairs)} same-person, ` +
      `${n(result.mergedPairs)} in one live contact, ${n(result.correctPairs)} both. Recall counting open merge suggestions as joined: ` +
      `${percent(result.truePairs === 0 ? 1 : result.suggestedCorrectPairs / result.truePairs)}. *Contacts* are the live contacts holding ` +
      `events; the wall time covers the events only, not PGlite's start and migrations (${(openMs / 1000).toFixed(1)} s).`,
  ];

  // What went wrong, person by person, so that a miss can be traced to its rule.
  const byPerson = new Map<number, Set<string>>();
  const byContact = new Map<string, Set<number>>();
  for (const event of events) {
    byPerson.set(event.person, (byPerson.get(event.person) ?? new Set()).add(event.contact));
    byContact.set(event.contact, (byContact.get(event.contact) ?? new Set()).add(event.person));
  }
  const split = [...byPerson.entries()].filter(([, set]) => set.size > 1);
  const mixed = [...byContact.entries()].filter(([, set]) => set.size > 1);
  if (mixed.length > 0) lines.push('', `Contacts holding two or more people: ${n(mixed.length)}.`);
  if (split.length > 0) {
    const reasons = new Map<string, number>();
    const unlinked: typeof split = [];
    for (const entry of split) {
      const ids = [...entry[1]];
      const linking = [...new Set(suggestionRows.filter((row) => ids.includes(liveOf(row.a_contact_id)) && ids.includes(liveOf(row.b_contact_id))).map((row) => row.reason))];
      if (linking.length === 0) unlinked.push(entry);
      const reason = linking.length > 0 ? `\`${linking.join('` + `')}\`` : 'no suggestion';
      reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
    }
    // What proves each part of a split person: the rule that kept the parts apart depends on it.
    const proofs = new Map<string, Set<string>>();
    for (const row of (await db.query<{ contact_id: string; kind: string }>("select contact_id, kind from identities where verified and kind in ('user_id', 'email', 'telegram')")).rows) {
      const contact = liveOf(row.contact_id);
      proofs.set(contact, (proofs.get(contact) ?? new Set()).add(row.kind === 'telegram' ? 'Telegram-verified' : 'HMAC-verified'));
    }
    const parts = new Map<string, number>();
    for (const [, set] of split) {
      const label = [...set]
        .map((contact) => [...(proofs.get(contact) ?? new Set(['self-asserted']))].sort().join(' + '))
        .sort()
        .join(' / ');
      parts.set(label, (parts.get(label) ?? 0) + 1);
    }
    const byCount = (map: Map<string, number>) => [...map.entries()].sort((a, b) => b[1] - a[1]).map(([label, count]) => `${n(count)} ${label}`);
    lines.push('', `People split over two or more contacts: ${n(split.length)}. Merge suggestions between their parts: ${byCount(reasons).join(', ')}. Their parts: ${byCount(parts).join(', ')}.`);
    if (unlinked.length === 0) {
      lines.push(
        '',
        'Every split person waits on an agent: the only evidence between the parts is a phone or e-mail typed into a form, ' +
          'while the other part is verified (by the site\'s HMAC or by Telegram), or a proof that meets a value the verified part only typed. ' +
          'The server never merges on that, in either order, because the merged thread would become readable to a device verified ' +
          'for one part (today by the site\'s HMAC, later by a Telegram deep link): a site user could type a victim\'s phone and then read the victim\'s Telegram chat (research/backend.md §5, pitfall 3). ' +
          'It records a merge suggestion instead. Joining them automatically needs a proof on the device itself, which the server does not have yet: ' +
          'a Telegram deep link opened from the widget, an OTP, or an e-mail signed together with the user id.',
      );
    }
    if (process.argv.includes('--explain')) {
      for (const [person, set] of [...unlinked, ...split].slice(0, 10)) lines.push(`  person ${person}: contacts ${[...set].join(', ')}; steps: ${describe(recorded.filter((event) => event.person === person))}`);
    }
  }
  if (process.argv.includes('--explain')) {
    for (const [contact, set] of mixed.slice(0, 10)) lines.push(`  contact ${contact}: people ${[...set].join(', ')}; steps: ${describe(recorded.filter((event) => set.has(event.person)))}`);
  }
  console.log(lines.join('\n'));
  await db.close();
  if (precision < PRECISION_GOAL || recall < RECALL_GOAL) {
    console.error(`identity benchmark: precision ${percent(precision)} (goal 100 %), recall ${percent(recall)} (goal ≥ 99 %)`);
    process.exitCode = 1;
  }
}

function describe(events: { person: number; contact: string; step: Step }[]): string {
  return events
    .map(({ person, contact, step }) => {
      const what =
        step.kind === 'telegram'
          ? `telegram${step.sharesPhone ? '+phone' : ''}`
          : step.kind === 'chat'
            ? `chat@${step.device.slice(2, 8)}`
            : `${step.kind}${step.kind === 'lead' && step.guest ? '(guest)' : ''}@${step.device.slice(2, 8)}{${[step.kind === 'identify' && step.userId ? `user${step.person.signed ? '✓' : ''}` : '', step.phone ? 'phone' : '', step.email ? 'email' : ''].filter(Boolean).join(',')}}`;
      return `p${person}:${what}→${contact.slice(-6)}`;
    })
    .join(' ');
}

await main();
