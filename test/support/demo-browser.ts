import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { type DemoOptions, type RunningDemo, startDemo } from '../../scripts/demo/start-demo';
import { CalendarService } from '../../src/calendar/calendar.service';
import { nextWorkingMorning } from '../../src/calendar/working-time';
import { DESK, launchBrowser, openPage } from './browser';

/**
 * Issue 16: the demo as `npm run demo` starts it — fake DingTalk and WeCom on free ports, the service on a temporary
 * SQLite file with the demo organisation — and one Chromium beside it, started together. `name` names the temporary
 * folder; `opts` adds to the demo's options (a scenario pace, a faster tick). The demo clock starts at the next working
 * morning (atWorkingMorning).
 */
export async function startDemoAndBrowser(name: string, opts: DemoOptions = {}): Promise<{ demo: RunningDemo; browser: Browser }> {
  const dir = mkdtempSync(join(tmpdir(), `duban-${name}-`));
  const [demo, browser] = await Promise.all([
    startDemo({ databaseUrl: `sqlite:${join(dir, 'demo.sqlite')}`, port: 0, fakePorts: { dingtalk: 0, wecom: 0 }, logger: ['error'], ...opts }),
    launchBrowser(),
  ]);
  // Every simulator test expects the cards and notices it causes to arrive: not held by R10 because it ran at night.
  await atWorkingMorning(demo);
  return { demo, browser };
}

/**
 * A page (desk size unless told) on the demo's printed sign-in link, landed on /演示 signed in as the admin. Its
 * waits are long: a shared, busy machine waits for what must appear, never times it.
 */
export async function openSimulator(browser: Browser, demo: RunningDemo, size = DESK, timeout = 90_000): Promise<Page> {
  const page = await openPage(browser, size);
  page.setDefaultTimeout(timeout);
  await page.goto(await demo.signInLink());
  await page.waitForURL((u) => decodeURIComponent(u.pathname) === '/演示');
  return page;
}

/**
 * The demo clock moved ahead to the next working day's 10:00. R10 holds a card or notice written at night to the next
 * working morning, so a test that expects one to arrive must not depend on the hour it runs at (two failed when run
 * after 22:00 Shanghai time). The demo clock only moves ahead.
 */
export async function atWorkingMorning(demo: RunningDemo): Promise<void> {
  const now = demo.clock.now();
  const morning = nextWorkingMorning(now, '10:00', await demo.app.get(CalendarService).calendar());
  demo.clock.advance(morning.getTime() - now.getTime());
}
