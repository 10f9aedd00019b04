import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { type DemoOptions, type RunningDemo, startDemo } from '../../scripts/demo/start-demo';
import { DESK, launchBrowser, openPage } from './browser';

/**
 * Issue 16: the demo as `npm run demo` starts it — fake DingTalk and WeCom on free ports, the service on a temporary
 * SQLite file with the demo organisation — and one Chromium beside it, started together. `name` names the temporary
 * folder; `opts` adds to the demo's options (a scenario pace, a faster tick).
 */
export async function startDemoAndBrowser(name: string, opts: DemoOptions = {}): Promise<{ demo: RunningDemo; browser: Browser }> {
  const dir = mkdtempSync(join(tmpdir(), `duban-${name}-`));
  const [demo, browser] = await Promise.all([
    startDemo({ databaseUrl: `sqlite:${join(dir, 'demo.sqlite')}`, port: 0, fakePorts: { dingtalk: 0, wecom: 0 }, logger: ['error'], ...opts }),
    launchBrowser(),
  ]);
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
