// The pasted tag on host pages that fight it: CSS that unsets and hides everything,
// a strict Content-Security-Policy, and a phone's viewport. The real server and
// real Chromium; the host site on its own origin.
import { expect, test, type Page } from '@playwright/test';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildEmbed } from '../../packages/embed/src/build.ts';
import type { ThreadlineGlobal } from '../../packages/embed/src/index.ts';
import { createSocketLayer, createThreadlineServer, seedDemo, type ThreadlineServer } from '../../packages/server/src/index.ts';
import { servePages } from '../../packages/server/src/pages.ts';
import { agentToken, connectAgent } from '../support/agent.ts';
import { htmlPage, scriptTag, startHostSite, type HostSite } from '../support/host-page.ts';

declare global {
  interface Window {
    threadline?: ThreadlineGlobal;
  }
}

// One server (one PGlite, ≈750 MB) for the file: its tests run in one worker, in order.
test.describe.configure({ mode: 'default' });

let server: ThreadlineServer;
let url: string;
let host: HostSite;

// Monday noon in Kyiv: inside the demo site's business hours, whatever the real clock says.
const OPEN_HOURS = new Date('2026-11-23T10:00:00Z');

test.beforeAll(async () => {
  // Building the tag and starting PGlite take seconds on a busy machine.
  test.setTimeout(90_000);
  const dir = await mkdtemp(join(tmpdir(), 'tl-embed-'));
  await buildEmbed(dir);
  server = await createThreadlineServer({ clock: () => OPEN_HOURS, routes: (app) => servePages(app, dir), realtime: (context) => createSocketLayer(context) });
  url = await server.listen();
  host = await startHostSite();
  await seedDemo(server.db, { origins: [host.origin], adminPassword: 'e2e-pass-1' });
});
test.afterAll(async () => {
  await host?.close();
  await server?.close();
});

/** Opens the chat from the launcher's menu with the keyboard, sends `text`, and waits until it is sent. */
async function chatThroughLauncher(page: Page, text: string): Promise<void> {
  await page.getByRole('button', { name: 'Contact us' }).click();
  await page.getByRole('menuitem', { name: 'Chat with us' }).press('Enter');
  const chat = page.getByRole('dialog', { name: 'Chat with us' });
  await chat.getByLabel('Your message').fill(text);
  await chat.getByRole('button', { name: 'Send' }).click();
  await expect(chat.getByRole('listitem').filter({ hasText: text })).toContainText(/Sent|Read/);
}

const HOSTILE_CSS = `<style>
  * { all: unset !important; }
  div, section, form, ul, li, p, button, input, textarea { display: none !important; }
  html { font-size: 72px !important; }
  body * { transform: rotate(180deg) !important; filter: blur(4px) !important; z-index: -1 !important; }
  *::before, *::after { content: 'X' !important; }
</style>`;

test('a host page whose CSS unsets and hides everything still shows working widgets, and keeps its own styles', async ({ page }) => {
  await page.clock.setFixedTime(OPEN_HOURS);
  const agent = await connectAgent(url, await agentToken(url, 'e2e-pass-1'));
  try {
    await page.goto(host.page('/hostile', { html: htmlPage(`<p id="own">The page's own text</p>${scriptTag(url)}`, HOSTILE_CSS) }));
    const stylesBefore = await page.evaluate(() => document.querySelectorAll('style, link[rel="stylesheet"]').length);
    await chatThroughLauncher(page, 'Hello from a hostile page');

    const panel = await page.getByRole('dialog', { name: 'Chat with us' }).boundingBox();
    expect(panel!.width).toBeGreaterThan(280);
    expect(panel!.height).toBeGreaterThan(300);
    // Nothing of ours reached the page: no stylesheet added, the page's rule still hides its paragraph.
    expect(await page.evaluate(() => document.querySelectorAll('style, link[rel="stylesheet"]').length)).toBe(stylesBefore);
    await expect(page.locator('#own')).toBeHidden();
    await page.screenshot({ path: 'test-results/embed-hostile-css.png' });
  } finally {
    agent.close();
  }
});

test('a page with a strict CSP (no inline scripts or styles) runs the tag with zero violations', async ({ page }) => {
  await page.clock.setFixedTime(OPEN_HOURS);
  const agent = await connectAgent(url, await agentToken(url, 'e2e-pass-1'));
  try {
    await page.addInitScript(() => {
      const seen: string[] = [];
      (window as unknown as { violations: string[] }).violations = seen;
      document.addEventListener('securitypolicyviolation', (event) => seen.push(`${event.violatedDirective} ${event.blockedURI}`));
    });
    const csp = `default-src 'self'; script-src 'self' ${url}; style-src 'self'; connect-src 'self' ${url} ${url.replace('http', 'ws')}; img-src 'self' data:`;
    const response = await page.goto(host.page('/csp', { html: htmlPage(`<h1>Strict</h1>${scriptTag(url)}`), headers: { 'content-security-policy': csp } }));
    expect(response!.headers()['content-security-policy']).toBe(csp);

    await chatThroughLauncher(page, 'Hello from a strict page');
    await page.getByRole('button', { name: 'Close' }).first().click();
    await page.evaluate(() => window.threadline!('open', 'form'));
    await expect(page.getByRole('dialog', { name: 'Send us a message' })).toBeVisible();
    await page.evaluate(() => window.threadline!('open', 'callback'));
    await expect(page.getByRole('dialog', { name: 'Request a call back' }).getByLabel('Phone number')).toBeVisible();
    expect(await page.evaluate(() => (window as unknown as { violations: string[] }).violations)).toEqual([]);

    // The policy is really enforced: an inline style attribute set by markup is refused.
    await page.evaluate(() => document.body.insertAdjacentHTML('beforeend', '<p style="color: red">inline</p>'));
    await expect.poll(() => page.evaluate(() => (window as unknown as { violations: string[] }).violations.length)).toBeGreaterThan(0);
  } finally {
    agent.close();
  }
});

test('on a phone the launcher answers a tap and a widget fills the screen', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  await page.clock.setFixedTime(OPEN_HOURS);
  await page.goto(host.page('/phone', { html: htmlPage(`<meta name="viewport" content="width=device-width, initial-scale=1"><h1>Bikes</h1>${scriptTag(url)}`) }));
  await page.getByRole('button', { name: 'Contact us' }).tap();
  await expect(page.getByRole('menu')).toBeVisible();
  await page.getByRole('menuitem', { name: 'Request a call back' }).press('Enter');
  const dialog = page.getByRole('dialog', { name: 'Request a call back' });
  await expect(dialog.getByLabel('Phone number')).toBeVisible();
  const box = await dialog.boundingBox();
  expect(box!.width).toBeGreaterThanOrEqual(389);
  await page.screenshot({ path: 'test-results/embed-phone-callback.png' });
  await context.close();
});
