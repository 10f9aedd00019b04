/**
 * `npm run bench:web` (issue 15): the console as a browser meets it.
 *  1. First load: the JavaScript the sign-in page loads, raw and gzip (as the service sends it).
 *  2. The 台账 over ITEMS (100,000) items on MariaDB, in headless Chromium at desk size: from navigation to the first
 *     page of rows on screen, and from a click on the next page to its rows (median and worst of RUNS); with the
 *     scripts the 台账 loads (the charts' chunk must not be among them) and when, after navigation, it asked for
 *     /api/session and /api/ledger (in parallel since issue 15's work on this page, not one after the other).
 * Prints figures with the machine's load average (other work on the machine slows every figure); asserts nothing. Needs Chromium at /usr/bin/chromium and a MariaDB (BENCH_DATABASE_URL).
 */
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { chromium } from 'playwright-core';
import { DataSource } from 'typeorm';
import { AppModule } from '../src/app.module';
import { setUpApp } from '../src/app.setup';
import { loadConfig } from '../src/config/app.config';
import { FixedClock } from '../src/shared/clock';
import { ensureConsoleBuilt } from '../test/support/browser';
import { BENCH_SERVER, benchDatabase, percentile, printServerSettings } from './support';

const ITEMS = Number(process.env.ITEMS ?? 100_000);
const RUNS = Number(process.env.RUNS ?? 5);
const UNITS = 60;
const ADMIN = 'bench-admin-token-000000';
const ROOT = join(__dirname, '..');
const log = (s: string) => console.log(s);
const ms = (x: number) => `${Math.round(x)} ms`;
const load = () =>
  loadavg()
    .map((x) => x.toFixed(1))
    .join(' ');
const gzipKB = (files: Iterable<string>) => {
  let gz = 0;
  for (const p of files) gz += gzipSync(readFileSync(join(ROOT, 'web', 'dist', p))).length;
  return `${(gz / 1024).toFixed(1)} KB gzip`;
};

async function main(): Promise<void> {
  if (!existsSync('/usr/bin/chromium')) throw new Error('bench:web needs Chromium at /usr/bin/chromium (apt-get install -y chromium).');
  // The console as it is now: built again when web/src is newer than web/dist (it used to measure any build it found).
  ensureConsoleBuilt();
  await printServerSettings(); // issue 17: every bench says which server settings its figures were taken with
  const db = await benchDatabase('duban_bench_web', 8);
  const clock = new FixedClock(new Date('2026-03-16T02:00:00Z')); // Monday 10:00 in Shanghai
  const config = loadConfig({ DATABASE_URL: db.url, DUBAN_ADMIN_TOKEN: ADMIN, DUBAN_DEMO_SEED: 'false', DUBAN_REMINDER_TICK_MS: '0' });
  const app = await NestFactory.create<NestExpressApplication>(AppModule.register(config, clock), { logger: ['error'] });
  setUpApp(app);
  await app.listen(0, '127.0.0.1');
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const ds = app.get(DataSource);
    log(`bench:web — ${ITEMS.toLocaleString()} items on ${BENCH_SERVER} (database ${db.name}), Chromium ${browser.version()}; load average ${load()}`);
    const t0 = performance.now();
    await ds.query(`INSERT INTO unit (code, name) SELECT CONCAT('U', seq), CONCAT('单位', seq) FROM seq_1_to_${UNITS}`);
    await ds.query(`INSERT INTO person (name) VALUES ('督查室'), ('分管领导')`);
    await ds.query(
      `INSERT INTO item (number, title, content, source, board, category, state, owner_id, leader_id, registered_at, assigned_at, deadline_at, deadline_spec)
       SELECT CONCAT('DB2026-', LPAD(seq, 7, '0')), CONCAT('台账压测事项', seq), '内容', 'hotline', 'daily', 'decision', 'in_progress', 1, 2,
              TIMESTAMP('2026-01-05 01:00:00') + INTERVAL (seq % 60) DAY, TIMESTAMP('2026-01-05 01:00:00') + INTERVAL (seq % 60) DAY,
              TIMESTAMP('2026-03-10 10:00:00') + INTERVAL (seq % 40) DAY, '7d'
       FROM seq_1_to_${ITEMS}`,
    );
    await ds.query(`INSERT INTO item_unit (item_id, unit_id, role, signed_at) SELECT id, 1 + id % ${UNITS}, 'lead', registered_at FROM item`);
    log(`  seeded in ${ms(performance.now() - t0)}`);

    // 1. First load: what the sign-in page fetches, its scripts measured as sent (gzip) and as built.
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    const page = await ctx.newPage();
    const scripts = new Set<string>();
    page.on('response', (r) => r.request().resourceType() === 'script' && scripts.add(new URL(r.url()).pathname));
    await page.goto(`${url}/登录`, { waitUntil: 'networkidle' });
    let raw = 0;
    let gz = 0;
    for (const p of scripts) {
      const bytes = readFileSync(join(ROOT, 'web', 'dist', p));
      raw += bytes.length;
      gz += gzipSync(bytes).length;
    }
    log(`1) first load of /登录: ${scripts.size} scripts, ${(raw / 1024).toFixed(1)} KB, ${(gz / 1024).toFixed(1)} KB gzip`);

    // 2. The 台账: signed in once, then loaded RUNS times; and the next page RUNS times.
    await page.getByPlaceholder('管理令牌或个人令牌').fill(ADMIN);
    await page.locator('button[type=submit]').click();
    await page.waitForURL((u) => u.pathname === '/');
    const firstRow = () => page.locator('tbody tr', { hasText: 'DB2026-' }).first().waitFor({ timeout: 60_000 });
    const firstNumber = async () => /DB2026-\d+/.exec(await page.locator('tbody tr', { hasText: 'DB2026-' }).first().innerText())?.[0];
    const loads: number[] = [];
    const pages: number[] = [];
    let ledgerScripts = new Set<string>();
    let asked = '';
    for (let i = 0; i < RUNS; i++) {
      scripts.clear();
      const t = performance.now();
      await page.goto(`${url}/台账`);
      await firstRow();
      loads.push(performance.now() - t);
      ledgerScripts = new Set(scripts);
      asked = await page.evaluate(() =>
        (performance.getEntriesByType('resource') as unknown as { name: string; startTime: number; responseEnd: number }[])
          .filter((e) => /\/api\/(session|ledger)/.test(e.name))
          .map((e) => `${new URL(e.name).pathname} at ${Math.round(e.startTime)}–${Math.round(e.responseEnd)} ms`)
          .join(', '),
      );
      const before = await firstNumber();
      const t2 = performance.now();
      await page.locator('.ant-pagination-next').click();
      while ((await firstNumber()) === before) {
        if (performance.now() - t2 > 60_000) throw new Error('the next page of the 台账 did not come within 60 s');
        await page.waitForTimeout(5);
      }
      pages.push(performance.now() - t2);
    }
    const charts = [...ledgerScripts].filter((p) => readFileSync(join(ROOT, 'web', 'dist', p), 'utf8').includes('echarts'));
    log(
      `   the 台账 loads ${ledgerScripts.size} scripts, ${gzipKB(ledgerScripts)}${charts.length ? `, among them the charts (${charts.join(', ')}) — it should not` : ', not the charts'}; last load asked for ${asked}`,
    );
    const api = performance.now();
    await page.evaluate(async () => (await fetch('/api/ledger?page=1&pageSize=50')).status);
    const apiMs = performance.now() - api;
    log(
      `2) 台账 over ${ITEMS.toLocaleString()} items, ${RUNS} runs: navigation to rows on screen median ${ms(percentile(loads, 50))}, worst ${ms(Math.max(...loads))}; next page median ${ms(percentile(pages, 50))}, worst ${ms(Math.max(...pages))}; GET /api/ledger (page 1) ${ms(apiMs)}`,
    );
    log(`   load average at the end ${load()} (on ${availableParallelism()} cores)`);
  } finally {
    await browser.close();
    await app.close();
    await db.drop();
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
