import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import {
  BusinessHoursSchema,
  createTriggerEngine,
  SiteConfigSchema,
  TRIGGER_STORAGE_KEY,
  type OpenNow,
  type SiteConfigInput,
  type Trigger,
  type TriggerAction,
  type TriggerEngineOptions,
  type TriggerStorage,
  type TriggerWindow,
} from '../src/index.ts';

// Monday 1 June 2026, 10:00 in Kyiv (UTC+3).
const MONDAY_10_KYIV = new Date('2026-06-01T07:00:00Z');
const PRICING = 'https://shop.example.com/pricing/pro';
const HOME = 'https://shop.example.com/';
const DAY_MS = 86_400_000;

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
  vi.setSystemTime(MONDAY_10_KYIV);
});

afterEach(() => {
  vi.useRealTimers();
});

/** Triggers as the widgets get them: parsed from a site config, defaults filled in. */
function triggersOf(triggers: NonNullable<SiteConfigInput['triggers']>): Trigger[] {
  return SiteConfigSchema.parse({ site: 'demo', triggers }).triggers;
}

const KYIV_OFFICE = BusinessHoursSchema.parse({
  timeZone: 'Europe/Kyiv',
  days: { mon: [{ from: '09:00', to: '18:00' }], tue: [{ from: '09:00', to: '18:00' }] },
});

/** A window whose scroll position, pointer type and listeners the test controls and can count. */
function createTestWindow({ href = HOME, finePointer = true } = {}) {
  /** Listeners added and not yet removed: by type, listener and phase, the counting wrapper that was registered. */
  const registered = new Map<string, EventListener>();
  const ids = new WeakMap<object, number>();
  let calls = 0;
  let lastId = 0;
  const key = (type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions) => {
    if (!ids.has(listener)) ids.set(listener, (lastId += 1));
    return `${type}:${ids.get(listener)}:${typeof options === 'boolean' ? options : Boolean(options?.capture)}`;
  };
  const counted = (target: EventTarget) => ({
    addEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions) {
      const counting: EventListener = (event) => {
        calls += 1;
        if (typeof listener === 'function') listener(event);
        else listener.handleEvent(event);
      };
      const id = key(type, listener, options);
      registered.set(id, counting);
      // As in browsers, an aborted signal removes the listener.
      if (typeof options === 'object') options.signal?.addEventListener('abort', () => registered.delete(id));
      target.addEventListener(type, counting, options);
    },
    removeEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | EventListenerOptions) {
      const id = key(type, listener, options);
      const counting = registered.get(id);
      registered.delete(id);
      if (counting) target.removeEventListener(type, counting, options);
    },
  });
  const windowTarget = new EventTarget();
  const documentTarget = new EventTarget();
  const win = {
    ...counted(windowTarget),
    scrollY: 0,
    innerHeight: 800,
    location: { href },
    matchMedia: (query: string) => ({ matches: query === '(pointer: fine)' && finePointer }) as MediaQueryList,
    document: { ...counted(documentTarget), documentElement: { scrollHeight: 4800 } },
  };
  return {
    window: win as TriggerWindow,
    /** Listeners added and not yet removed. */
    listenerCount: () => registered.size,
    /** How many times any listener has run. */
    listenerCalls: () => calls,
    scrollTo(y: number) {
      win.scrollY = y;
      windowTarget.dispatchEvent(new Event('scroll'));
    },
    mouseOut(init: MouseEventInit) {
      documentTarget.dispatchEvent(new MouseEvent('mouseout', { bubbles: true, ...init }));
    },
    key() {
      windowTarget.dispatchEvent(new KeyboardEvent('keydown', { key: 'a' }));
    },
  };
}

function createMapStorage(): TriggerStorage & { values: Map<string, string> } {
  const values = new Map<string, string>();
  return { values, get: (key) => values.get(key) ?? null, set: (key, value) => void values.set(key, value) };
}

type TriggerInput = NonNullable<SiteConfigInput['triggers']>[number];
type ConditionInput = TriggerInput['conditions'][number];

type Fired = { id: string; action: TriggerAction };

/** An engine on a test window; `fired` lists what onFire received. */
function start(triggers: NonNullable<SiteConfigInput['triggers']>, options: Partial<TriggerEngineOptions> & { page?: ReturnType<typeof createTestWindow> } = {}) {
  const page = options.page ?? createTestWindow();
  const fired: Fired[] = [];
  const engine = createTriggerEngine({
    triggers: triggersOf(triggers),
    visitCount: () => 1,
    sessionId: () => 'session-1',
    onFire: (trigger, action) => void fired.push({ id: trigger.id, action }),
    window: page.window,
    ...options,
  });
  return { engine, fired, page, ids: () => fired.map((entry) => entry.id) };
}

const openChat = { type: 'open', widget: 'chat' } as const;
const hello = { type: 'message', text: 'Questions about plans? We are here.' } as const;

test('fires a timeOnPage trigger once its seconds have passed, not before', () => {
  const { fired } = start([{ id: 'after-30s', conditions: [{ type: 'timeOnPage', seconds: 30 }], action: openChat }]);
  vi.advanceTimersByTime(29_999);
  expect(fired).toEqual([]);
  vi.advanceTimersByTime(1);
  expect(fired).toEqual([{ id: 'after-30s', action: openChat }]);
});

test('never calls onFire before createTriggerEngine has returned', () => {
  const { fired } = start([{ id: 'at-once', conditions: [{ type: 'timeOnPage', seconds: 0 }], action: hello }]);
  expect(fired).toEqual([]);
  vi.advanceTimersByTime(0);
  expect(fired).toHaveLength(1);
});

test('fires a scrollDepth trigger once the page is scrolled past the percentage, and not short of it', () => {
  // 4,800 px page in an 800 px window: 4,000 px of scrolling.
  const { ids, page } = start([{ id: 'half-way', conditions: [{ type: 'scrollDepth', percent: 50 }], action: hello }]);
  vi.advanceTimersByTime(0);
  page.scrollTo(1_000);
  vi.advanceTimersByTime(1_000);
  page.scrollTo(1_900);
  vi.advanceTimersByTime(1_000);
  expect(ids()).toEqual([]);
  page.scrollTo(2_100);
  expect(ids()).toEqual(['half-way']);
});

test('measures scroll at most every 200 ms and still catches where the scroll came to rest', () => {
  const { ids, page } = start([{ id: 'bottom', conditions: [{ type: 'scrollDepth', percent: 100 }], action: hello }]);
  page.scrollTo(100); // measured at once
  page.scrollTo(2_000);
  page.scrollTo(4_000); // within 200 ms of the last measurement: only the trailing one sees it
  expect(ids()).toEqual([]);
  vi.advanceTimersByTime(200);
  expect(ids()).toEqual(['bottom']);
});

test('fires on exit intent when the mouse leaves through the top edge, not sideways or into the page', () => {
  const { ids, page } = start([{ id: 'leaving', conditions: [{ type: 'exitIntent' }], action: hello }]);
  vi.advanceTimersByTime(5_000);
  page.mouseOut({ clientY: 400, relatedTarget: null }); // out through the side
  page.mouseOut({ clientY: 0, relatedTarget: new EventTarget() }); // onto an element at the top
  expect(ids()).toEqual([]);
  page.mouseOut({ clientY: -3, relatedTarget: null });
  expect(ids()).toEqual(['leaving']);
});

test('ignores exit intent on touch-only devices', () => {
  const touch = createTestWindow({ finePointer: false });
  const { ids, page } = start([{ id: 'leaving', conditions: [{ type: 'exitIntent' }], action: hello }], { page: touch });
  expect(page.listenerCount()).toBe(0);
  page.mouseOut({ clientY: 0, relatedTarget: null });
  vi.advanceTimersByTime(60_000);
  expect(ids()).toEqual([]);
});

test('fires a url trigger on matching pages only', () => {
  const url: ConditionInput = { type: 'url', include: ['/pricing/*'], exclude: ['/pricing/enterprise'] };
  const onPricing = start([{ id: 'pricing', conditions: [url], action: hello }], { page: createTestWindow({ href: PRICING }) });
  const onEnterprise = start([{ id: 'pricing', conditions: [url], action: hello }], { page: createTestWindow({ href: 'https://shop.example.com/pricing/enterprise' }) });
  const onHome = start([{ id: 'pricing', conditions: [url], action: hello }], { page: createTestWindow({ href: HOME }) });
  vi.advanceTimersByTime(1_000);
  expect([onPricing.ids(), onEnterprise.ids(), onHome.ids()]).toEqual([['pricing'], [], []]);
});

test('never fires a url trigger with a malformed regular expression, and says so in debug mode', () => {
  const debug = vi.spyOn(console, 'debug').mockImplementation(() => {});
  const { ids } = start([{ id: 'broken', conditions: [{ type: 'url', match: 'regex', include: ['/pricing/(pro'] }], action: hello }], {
    page: createTestWindow({ href: 'https://shop.example.com/pricing/(pro' }),
    debug: true,
  });
  vi.advanceTimersByTime(60_000);
  expect(ids()).toEqual([]);
  expect(debug).toHaveBeenCalledWith('[threadline]', expect.stringContaining('invalid regular expression /pricing/(pro'), expect.any(SyntaxError));
});

test('fires a visitCount trigger only when the visit count is within min and max, inclusive', () => {
  const returning: TriggerInput[] = [{ id: 'returning', conditions: [{ type: 'visitCount', min: 2, max: 3 }], action: hello }];
  const results = [1, 2, 3, 4].map((visits) => start(returning, { visitCount: () => visits }));
  vi.advanceTimersByTime(0);
  expect(results.map(({ fired }) => fired.length)).toEqual([0, 1, 1, 0]);
});

test('fires an idle trigger after the seconds without activity, and activity starts the wait again', () => {
  const { ids, page } = start([{ id: 'idle', conditions: [{ type: 'idle', seconds: 20 }], action: hello }]);
  vi.advanceTimersByTime(15_000);
  page.key();
  vi.advanceTimersByTime(15_000); // 30 s on the page, but only 15 s idle
  expect(ids()).toEqual([]);
  page.scrollTo(500);
  vi.advanceTimersByTime(19_999);
  expect(ids()).toEqual([]);
  vi.advanceTimersByTime(1);
  expect(ids()).toEqual(['idle']);
});

// What the server sends with the config on Monday 10:00 in Kyiv, and on Wednesday (closed until Thursday 09:00, as far as it looks).
const OPEN_UNTIL_18: OpenNow = { open: true, changesAt: Date.parse('2026-06-01T15:00:00Z') };
const CLOSED_UNTIL_9: OpenNow = { open: false, changesAt: Date.parse('2026-06-01T06:00:00Z') };

test('fires a businessHours trigger only while the server says the business is open (or closed, as asked)', () => {
  const open: TriggerInput = { id: 'open', conditions: [{ type: 'businessHours', open: true }], action: openChat };
  const closed: TriggerInput = { id: 'closed', conditions: [{ type: 'businessHours', open: false }], action: hello };
  const monday = start([open, closed], { openNow: OPEN_UNTIL_18, businessHours: KYIV_OFFICE });
  const wednesday = start([open, closed], { openNow: { open: false }, businessHours: KYIV_OFFICE });
  vi.advanceTimersByTime(0);
  expect([monday.ids(), wednesday.ids()]).toEqual([['open'], ['closed']]);
});

test("trusts the server's openNow over the visitor's clock until its changesAt", () => {
  // Closed by the hours on this clock (Wednesday), but the server, on its own clock, says open.
  vi.setSystemTime(new Date('2026-06-03T07:00:00Z'));
  const { ids } = start([{ id: 'open', conditions: [{ type: 'businessHours', open: true }], action: openChat }], {
    openNow: { open: true, changesAt: Date.parse('2026-06-03T15:00:00Z') },
    businessHours: KYIV_OFFICE,
  });
  vi.advanceTimersByTime(0);
  expect(ids()).toEqual(['open']);
});

test('fires a businessHours trigger at the moment the business opens, while the page stays open', async () => {
  vi.setSystemTime(new Date('2026-06-01T05:59:00Z')); // 08:59 in Kyiv
  const { ids } = start([{ id: 'open', conditions: [{ type: 'businessHours', open: true }], action: openChat }], { openNow: CLOSED_UNTIL_9, businessHours: KYIV_OFFICE });
  await vi.advanceTimersByTimeAsync(59_999);
  await vi.dynamicImportSettled();
  expect(ids()).toEqual([]);
  await vi.advanceTimersByTimeAsync(1);
  await vi.dynamicImportSettled();
  expect(ids()).toEqual(['open']);
});

test('reads the business hours once the page outlives the server\'s answer, and waits for the next change', async () => {
  const closed: TriggerInput = { id: 'closed', conditions: [{ type: 'businessHours', open: false }], action: hello, frequency: {} };
  const { engine, ids } = start([closed], { openNow: OPEN_UNTIL_18, businessHours: KYIV_OFFICE });
  await vi.advanceTimersByTimeAsync(8 * 3_600_000 - 1); // 17:59:59.999
  expect(ids()).toEqual([]);
  await vi.advanceTimersByTimeAsync(1);
  await vi.dynamicImportSettled();
  expect(ids()).toEqual(['closed']);
  // Past the server's answer the hours say closed until Tuesday 09:00, then open.
  vi.setSystemTime(new Date('2026-06-02T06:30:00Z'));
  engine.navigate(HOME);
  await vi.dynamicImportSettled();
  expect(ids()).toEqual(['closed']);
});

test('reads the business hours on demand when the config has no openNow', async () => {
  const open: TriggerInput = { id: 'open', conditions: [{ type: 'businessHours', open: true }], action: openChat };
  const closed: TriggerInput = { id: 'closed', conditions: [{ type: 'businessHours', open: false }], action: hello };
  const monday = start([open, closed], { businessHours: KYIV_OFFICE });
  await vi.advanceTimersByTimeAsync(0);
  await vi.dynamicImportSettled();
  expect(monday.ids()).toEqual(['open']);
  monday.engine.destroy();

  vi.setSystemTime(new Date('2026-06-03T07:00:00Z')); // Wednesday: closed all day
  const wednesday = start([open, closed], { businessHours: KYIV_OFFICE });
  await vi.advanceTimersByTimeAsync(0);
  await vi.dynamicImportSettled();
  expect(wednesday.ids()).toEqual(['closed']);
});

test('never fires a businessHours trigger without business hours or with an unknown time zone', async () => {
  const trigger: TriggerInput = { id: 'open', conditions: [{ type: 'businessHours', open: true }], action: openChat };
  const without = start([trigger]);
  const badZone = start([trigger], { businessHours: { ...KYIV_OFFICE, timeZone: 'Mars/Olympus_Mons' } });
  await vi.advanceTimersByTimeAsync(0);
  await vi.dynamicImportSettled();
  await vi.advanceTimersByTimeAsync(DAY_MS);
  expect([without.ids(), badZone.ids()]).toEqual([[], []]);
});

test('opens the callback form after 30 s on /pricing/* during business hours', () => {
  const rule: TriggerInput = { id: 'pricing-callback', conditions: [{ type: 'url', include: ['/pricing/*'] }, { type: 'timeOnPage', seconds: 30 }, { type: 'businessHours', open: true }], action: { type: 'open', widget: 'callback' } };
  const pricing = start([rule], { page: createTestWindow({ href: PRICING }), openNow: OPEN_UNTIL_18 });
  const home = start([rule], { page: createTestWindow({ href: HOME }), openNow: OPEN_UNTIL_18 });
  vi.advanceTimersByTime(29_000);
  expect(pricing.fired).toEqual([]);
  vi.advanceTimersByTime(1_000);
  expect(pricing.fired).toEqual([{ id: 'pricing-callback', action: { type: 'open', widget: 'callback' } }]);
  expect(home.fired).toEqual([]);
});

test('re-checks the url and restarts time on page when the SPA navigates', () => {
  const rule: TriggerInput = { id: 'pricing', conditions: [{ type: 'url', include: ['/pricing/*'] }, { type: 'timeOnPage', seconds: 30 }], action: hello };
  const { engine, ids } = start([rule]);
  vi.advanceTimersByTime(60_000); // a minute on the home page
  expect(ids()).toEqual([]);
  engine.navigate('/pricing/pro'); // relative to the current location
  vi.advanceTimersByTime(29_999);
  expect(ids()).toEqual([]);
  vi.advanceTimersByTime(1);
  expect(ids()).toEqual(['pricing']);
});

test('fires a trigger at most once per page view, and again after navigate while its caps allow', () => {
  const { engine, ids, page } = start([{ id: 'exit', conditions: [{ type: 'exitIntent' }], action: hello, frequency: { perSession: 2 } }]);
  page.mouseOut({ clientY: 0, relatedTarget: null });
  page.mouseOut({ clientY: 0, relatedTarget: null });
  expect(ids()).toEqual(['exit']);
  engine.navigate(PRICING);
  page.mouseOut({ clientY: 0, relatedTarget: null });
  engine.navigate(HOME);
  page.mouseOut({ clientY: 0, relatedTarget: null }); // a third time in the session: capped
  expect(ids()).toEqual(['exit', 'exit']);
});

test('keeps perSession caps across page loads on the same storage, and starts afresh in a new session', () => {
  const storage = createMapStorage();
  const rule: TriggerInput[] = [{ id: 'welcome', conditions: [{ type: 'timeOnPage', seconds: 5 }], action: hello }]; // perSession: 1 by default
  const load = (sessionId: string) => {
    const page = start(rule, { storage, sessionId: () => sessionId });
    vi.advanceTimersByTime(10_000);
    page.engine.destroy();
    return page.ids();
  };
  expect(load('session-1')).toEqual(['welcome']);
  expect(load('session-1')).toEqual([]);
  expect(load('session-2')).toEqual(['welcome']);
  expect(JSON.parse(storage.values.get(TRIGGER_STORAGE_KEY)!)).toEqual({ welcome: { s: 'session-2', n: 1, t: MONDAY_10_KYIV.getTime() + 25_000 } });
});

test('waits everyDays days after the last fire before firing again, whatever the session', () => {
  const storage = createMapStorage();
  const rule: TriggerInput[] = [{ id: 'exit-offer', conditions: [{ type: 'exitIntent' }], action: hello, frequency: { everyDays: 7 } }];
  const load = (sessionId: string) => {
    const page = start(rule, { storage, sessionId: () => sessionId });
    page.page.mouseOut({ clientY: 0, relatedTarget: null });
    page.engine.destroy();
    return page.ids().length;
  };
  expect(load('a')).toBe(1);
  vi.advanceTimersByTime(DAY_MS);
  expect(load('b')).toBe(0);
  vi.setSystemTime(MONDAY_10_KYIV.getTime() + 7 * DAY_MS - 1);
  expect(load('c')).toBe(0);
  vi.setSystemTime(MONDAY_10_KYIV.getTime() + 7 * DAY_MS);
  expect(load('d')).toBe(1);
});

test('keeps caps for the page when the storage throws or holds garbage, without throwing', () => {
  const broken: TriggerStorage = {
    get: () => {
      throw new DOMException('blocked', 'SecurityError');
    },
    set: () => {
      throw new DOMException('full', 'QuotaExceededError');
    },
  };
  const garbage = createMapStorage();
  garbage.values.set(TRIGGER_STORAGE_KEY, '{not json');
  for (const storage of [broken, garbage]) {
    const { engine, ids, page } = start([{ id: 'exit', conditions: [{ type: 'exitIntent' }], action: hello }], { storage });
    page.mouseOut({ clientY: 0, relatedTarget: null });
    engine.navigate(PRICING);
    page.mouseOut({ clientY: 0, relatedTarget: null }); // perSession: 1 still holds
    expect(ids()).toEqual(['exit']);
    engine.destroy();
  }
});

test('keeps running other triggers when onFire throws for one', () => {
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
  const fired: string[] = [];
  createTriggerEngine({
    triggers: triggersOf([
      { id: 'first', conditions: [{ type: 'timeOnPage', seconds: 10 }], action: hello },
      { id: 'second', conditions: [{ type: 'timeOnPage', seconds: 10 }], action: openChat },
      { id: 'later', conditions: [{ type: 'timeOnPage', seconds: 20 }], action: openChat },
    ]),
    visitCount: () => 1,
    sessionId: () => 's',
    window: createTestWindow().window,
    debug: true,
    onFire(trigger) {
      fired.push(trigger.id);
      if (trigger.id === 'first') throw new Error('widget failed');
    },
  });
  expect(() => vi.advanceTimersByTime(20_000)).not.toThrow();
  expect(fired).toEqual(['first', 'second', 'later']);
  expect(warn).toHaveBeenCalledWith('[threadline]', 'trigger "first" threw', expect.any(Error));
});

test('skips a visitCount trigger whose visitCount() throws, and still fires the others', () => {
  vi.spyOn(console, 'warn').mockImplementation(() => {});
  const { ids } = start(
    [
      { id: 'returning', conditions: [{ type: 'visitCount', max: 5 }], action: hello },
      { id: 'anyone', conditions: [{ type: 'timeOnPage', seconds: 0 }], action: openChat },
    ],
    {
      visitCount: () => {
        throw new Error('no visitor yet');
      },
      debug: true,
    },
  );
  expect(() => vi.advanceTimersByTime(0)).not.toThrow();
  expect(ids()).toEqual(['anyone']);
});

test('leaves no timer and no listener behind after destroy', () => {
  const page = createTestWindow();
  const { engine, fired } = start(
    [
      { id: 'time', conditions: [{ type: 'timeOnPage', seconds: 30 }], action: hello },
      { id: 'scroll', conditions: [{ type: 'scrollDepth', percent: 90 }], action: hello },
      { id: 'exit', conditions: [{ type: 'exitIntent' }], action: hello },
      { id: 'idle', conditions: [{ type: 'idle', seconds: 10 }], action: hello },
    ],
    { page },
  );
  page.scrollTo(100);
  page.scrollTo(200); // leaves a trailing scroll measurement pending
  expect(page.listenerCount()).toBe(1 + 1 + 6); // scroll depth, exit intent, six kinds of activity
  expect(vi.getTimerCount()).toBe(2);

  engine.destroy();
  expect(page.listenerCount()).toBe(0);
  expect(vi.getTimerCount()).toBe(0);
  const callsBefore = page.listenerCalls();
  page.scrollTo(4_000);
  page.key();
  page.mouseOut({ clientY: 0, relatedTarget: null });
  vi.advanceTimersByTime(DAY_MS);
  engine.navigate(PRICING);
  expect(page.listenerCalls()).toBe(callsBefore);
  expect(fired).toEqual([]);
  expect(vi.getTimerCount()).toBe(0);
});

test('listens on the page window by default', () => {
  const matchMedia = vi.fn((query: string) => ({ matches: query === '(pointer: fine)' }) as MediaQueryList);
  Object.defineProperty(window, 'matchMedia', { configurable: true, value: matchMedia });
  const fired: string[] = [];
  const engine = createTriggerEngine({
    triggers: triggersOf([{ id: 'exit', conditions: [{ type: 'exitIntent' }], action: hello }]),
    visitCount: () => 1,
    sessionId: () => 's',
    onFire: (trigger) => void fired.push(trigger.id),
  });
  try {
    document.body.dispatchEvent(new MouseEvent('mouseout', { bubbles: true, clientY: 0, relatedTarget: null }));
    expect(fired).toEqual(['exit']);
    expect(matchMedia).toHaveBeenCalledWith('(pointer: fine)');
  } finally {
    engine.destroy();
    Reflect.deleteProperty(window, 'matchMedia');
  }
});
