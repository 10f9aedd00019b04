import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { lap } from './timings';

/**
 * Browser tests of the console (issue 15): real headless Chromium (Debian's package) through playwright-core,
 * against the console as `npm start` builds it and the service listening on a real port.
 */
const ROOT = join(__dirname, '../..');
export const CHROMIUM = '/usr/bin/chromium';
/** Where browser tests leave their screenshots (git ignores it). */
export const SHOTS = join(ROOT, 'test-output', 'console');
/** The flags without which Chromium hangs on this closed network. */
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** The newest modification time under a folder. */
function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

/** The console as `npm start` builds it: built again when its sources are newer than the build (a fresh clone has none). */
export function ensureConsoleBuilt(): void {
  const index = join(ROOT, 'web', 'dist', 'index.html');
  const sources = Math.max(newest(join(ROOT, 'web', 'src')), statSync(join(ROOT, 'web', 'index.html')).mtimeMs);
  if (existsSync(index) && statSync(index).mtimeMs >= sources) return;
  execFileSync(process.execPath, [join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', 'web/vite.config.ts'], {
    cwd: ROOT,
    stdio: 'pipe',
    // jest sets NODE_ENV=test, which would make a development build of React and antd; test what npm start serves.
    env: { ...process.env, NODE_ENV: 'production' },
  });
}

/** Chromium started headless, after making sure the console is built; says what is missing when Chromium is. */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`No Chromium at ${CHROMIUM}: install it (apt-get install -y chromium; .ci/run does) and run the tests again.`);
  const started = Date.now();
  ensureConsoleBuilt();
  lap('console build checked', started);
  mkdirSync(SHOTS, { recursive: true });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
  lap('Chromium launched', started);
  return browser;
}

/** The desk is 1280×800; a phone is 375×812. */
export const DESK = { width: 1280, height: 800 };
export const PHONE = { width: 375, height: 812 };

/** A fresh page in a context of its own (no cookies shared with other pages). */
export async function openPage(browser: Browser, size: { width: number; height: number } = DESK): Promise<Page> {
  return (await browser.newContext({ viewport: size, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' })).newPage();
}

/**
 * Signed in through the console's own sign-in page with a token (the admin token, or a person's token from
 * TokenService.issue), then at `path`.
 */
export async function signInWithToken(page: Page, baseUrl: string, token: string, path = '/'): Promise<void> {
  await page.goto(`${baseUrl}${path === '/' ? '/' : `/登录?next=${encodeURIComponent(path)}`}`);
  await page.getByPlaceholder('管理令牌或个人令牌').fill(token);
  await page.locator('button[type=submit]').click();
  await page.waitForURL((u) => decodeURIComponent(u.pathname) === path);
}

/**
 * Once every finite animation and transition on the page has run its course (a drawer sliding in, a modal zooming
 * open) — for a screenshot that should not catch it half-way. Endless ones (a spinner) are not waited for.
 */
export async function settled(page: Page): Promise<void> {
  // A string, not a function: the tests are compiled without the DOM's types.
  await page.evaluate(
    'Promise.all(document.getAnimations().filter((a) => Number.isFinite(Number(a.effect?.getComputedTiming().endTime))).map((a) => a.finished.catch(() => undefined))).then(() => true)',
  );
}

export function shot(page: Page, name: string): Promise<Buffer> {
  return page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

/**
 * Picks `option` in the antd single Select that `opener` opens, and waits for its list to close. A list still fading
 * out from an earlier pick also counts as visible, and a click made while a list is still opening can be lost (the
 * list then stays open over the rest of the form): so wait for the earlier one to go, and click again if needed.
 */
export async function pickOption(page: Page, opener: Locator, option: string): Promise<void> {
  const open = page.locator('.ant-select-dropdown:visible');
  await open.first().waitFor({ state: 'hidden' });
  await opener.click();
  await open.first().waitFor();
  const item = open.locator('.ant-select-item-option', { hasText: option }).first();
  await item.click();
  try {
    await open.first().waitFor({ state: 'hidden', timeout: 3000 });
  } catch {
    if (await item.isVisible()) await item.click();
    await open.first().waitFor({ state: 'hidden' });
  }
}

/**
 * The accessible name of an antd button labelled `label`: antd writes a two-character label as 「确 定」, and on a busy
 * machine a button whose spinner has just gone may still carry the spinner's name for a while (「loading 保 存」: its
 * fade-out is an animation that has not ended) — it looks and acts the same, so either name is the button.
 */
export const buttonName = (label: string): RegExp => new RegExp(`^(?:loading\\s*)?${[...label].join('\\s?')}$`);
