/**
 * A look at the console in headless Chromium (issue 15): screenshots of the sign-in page and, given a token, of the
 * pages behind it, at desk (1280×800) and phone (375×812) size. Not a test: the browser tests assert; this shows.
 *
 *   CONSOLE_URL=http://localhost:3000 CONSOLE_TOKEN=<bearer> npx ts-node --transpile-only scripts/console-look.ts out/
 *
 * With CONSOLE_TOKEN and no session endpoint on the service yet, the token is sent as a bearer header on /api calls
 * and GET /api/session is answered here with the token's person (from GET /api/people/me-like data given in CONSOLE_ME).
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';

const url = process.env.CONSOLE_URL ?? 'http://localhost:3000';
const token = process.env.CONSOLE_TOKEN;
const me = process.env.CONSOLE_ME ? JSON.parse(process.env.CONSOLE_ME) : { personId: null, name: '管理员', roles: [], isAdmin: true };
const out = process.argv[2] ?? 'bench/out/console';
const pages = (process.env.CONSOLE_PAGES ?? '/,/台账').split(',').filter(Boolean);

async function main(): Promise<void> {
  mkdirSync(out, { recursive: true });
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    for (const [size, viewport] of [
      ['desk', { width: 1280, height: 800 }],
      ['phone', { width: 375, height: 812 }],
    ] as const) {
      const ctx = await browser.newContext({ viewport, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', deviceScaleFactor: size === 'phone' ? 2 : 1 });
      const page = await ctx.newPage();
      const problems: string[] = [];
      page.on('console', (m) => m.type() !== 'log' && problems.push(`${m.type()}: ${m.text()}`));
      page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
      const scripts = new Set<string>();
      page.on('response', (r) => r.request().resourceType() === 'script' && scripts.add(new URL(r.url()).pathname));
      await page.goto(`${url}/登录`, { waitUntil: 'networkidle' });
      if (size === 'desk') console.log(`first-load JS of /登录: ${firstLoadKb(scripts)}`);
      await shot(page, join(out, `login-${size}.png`));
      if (token) {
        await page.route('**/api/**', async (route) => {
          const req = route.request();
          if (new URL(req.url()).pathname === '/api/session' && req.method() === 'GET')
            return route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(me) });
          return route.continue({ headers: { ...req.headers(), authorization: `Bearer ${token}` } });
        });
        for (const p of pages) {
          await page.goto(`${url}${p}`, { waitUntil: 'networkidle' });
          await page.waitForTimeout(300);
          const name = p === '/' ? 'desk' : p.replace(/^\//, '').replace(/[/?=&]/g, '_');
          await shot(page, join(out, `${name}-${size}.png`));
        }
      }
      if (problems.length) console.log(`${size}:\n  ${problems.join('\n  ')}`);
      await ctx.close();
    }
  } finally {
    await browser.close();
  }
}

/** gzip size of the scripts the page loaded, read from web/dist (what a server compressing them would send). */
function firstLoadKb(paths: Set<string>): string {
  let raw = 0;
  let gz = 0;
  for (const p of paths) {
    const bytes = readFileSync(join(__dirname, '..', 'web', 'dist', p));
    raw += bytes.length;
    gz += gzipSync(bytes, { level: 9 }).length;
  }
  return `${paths.size} files, ${(raw / 1024).toFixed(1)} KB, ${(gz / 1024).toFixed(1)} KB gzip`;
}

async function shot(page: Page, file: string): Promise<void> {
  await page.screenshot({ path: file, fullPage: true });
  console.log(file);
}

void main();
