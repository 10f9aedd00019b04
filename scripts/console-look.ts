/**
 * A look at every page of the console in headless Chromium (issue 15), as a person signed in with a token: screenshots
 * at desk (1280×800) and phone (375×812) size, and a line for every page that shows an error or logs one. Not a test —
 * the browser tests under test/web assert; this shows what a running service (e.g. `npm start` on the demo
 * organisation) looks like.
 *
 *   CONSOLE_URL=http://localhost:3000 CONSOLE_TOKEN=<token> npx ts-node --transpile-only scripts/console-look.ts out/
 *
 * CONSOLE_PAGES (comma-separated addresses) overrides the list of pages.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const url = process.env.CONSOLE_URL ?? 'http://localhost:3000';
const token = process.env.CONSOLE_TOKEN;
const out = process.argv[2] ?? 'test-output/look';
const PAGES = ['/', '/立项', '/台账', '/挂图作战', '/通报', '/积分', '/责任追究', '/组织', '/提醒策略', '/日历', '/设置', '/死信'];
const pages = process.env.CONSOLE_PAGES ? process.env.CONSOLE_PAGES.split(',').filter(Boolean) : PAGES;
/** What a page shows when something went wrong (the console's own words for failures). */
const TROUBLE = /出现意外错误|督办服务暂时不可用|请求未成功|网络连接失败|暂时连不上督办服务|没有这个页面/;

async function main(): Promise<number> {
  if (!token) {
    console.error('CONSOLE_TOKEN is needed: the admin token the service printed, or a token from data/demo-tokens.txt');
    return 2;
  }
  mkdirSync(out, { recursive: true });
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  let troubles = 0;
  try {
    for (const [size, viewport] of [
      ['desk', { width: 1280, height: 800 }],
      ['phone', { width: 375, height: 812 }],
    ] as const) {
      const ctx = await browser.newContext({ viewport, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
      const page = await ctx.newPage();
      const problems: string[] = [];
      page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
      page.on('pageerror', (e) => problems.push(e.message));
      // Signed in as the console does it: the token to POST /api/session, the cookie kept by the browser context.
      await page.goto(`${url}/登录`);
      const signedIn = await page.evaluate(
        async (t) =>
          (await fetch('/api/session', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ token: t }) })).status,
        token,
      );
      if (signedIn !== 200) throw new Error(`signing in with CONSOLE_TOKEN answered ${signedIn}`);
      for (const p of pages) {
        problems.length = 0;
        await page.goto(`${url}${p}`, { waitUntil: 'networkidle' });
        await page.waitForTimeout(500);
        const text = await page.locator('body').innerText();
        const trouble = TROUBLE.exec(text)?.[0];
        const wide = await page.evaluate('document.documentElement.scrollWidth > window.innerWidth + 1');
        const name = p === '/' ? 'desk' : p.replace(/^\//, '').replace(/[/?=&]/g, '_');
        const file = join(out, `${name}-${size}.png`);
        await page.screenshot({ path: file, fullPage: true });
        const notes = [trouble && `shows 「${trouble}」`, wide && 'wider than the screen', ...problems.map((m) => `logged: ${m.slice(0, 160)}`)].filter(
          Boolean,
        );
        troubles += notes.length ? 1 : 0;
        console.log(`${size} ${p}: ${notes.length ? notes.join('; ') : 'ok'} → ${file}`);
      }
      await ctx.close();
    }
  } finally {
    await browser.close();
  }
  return troubles ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  },
);
