/**
 * npm run bench:bulletin — issue 7's figure: the time to generate a monthly 通报 over ITEMS (100,000) items and UNITS
 * (500) units on MariaDB (BENCH_DATABASE_URL, default mysql://root@127.0.0.1:3306): the queries (figures by unit and
 * source, praise and criticism lists, the score ranking), composing the draft, the chat summary, the chart PNG and the
 * .docx — each timed, with the RSS. Seeding uses MariaDB's sequence engine. KEEP=1 keeps the database.
 *
 * Issue 17's figure first: the generation as the 督查室 gets it — the draft generated through the service (queries,
 * compose, stored), its chart and its .docx — timed as one, with the process's RSS sampled every 20 ms over all of it
 * (target: < 2 s and < 250 MiB for 100,000 items and 500 units). The last line reads
 * `generate_ms=<n> peak_rss_mib=<n>`. The step-by-step figures follow. DOCX_OUT=<path> writes the .docx there.
 *
 * The RSS is the whole process's: run by `npm run bench:bulletin` (ts-node), TypeScript's compiler and the transpiled
 * sources take ~170 MiB of it before the 通报 starts (about 335 MiB then, against about 165 MiB for the same bench
 * compiled). `npm run bench:bulletin:compiled` runs this same file compiled by tsc (dist/bench-build/, ~25 s to build):
 * the same steps, timed the same way, with the RSS the service has in production (`node dist/main.js`). The RSS before
 * the generation and the rise over it are printed too. Measured 2026-12-02 (compiled, load 3–5 on 2 cores): the
 * process at rest holds ~163 MiB before the app starts — node 39, NestJS 35, TypeORM and mysql2 16, ECharts 17,
 * ExcelJS 19, resvg and docx 7, the chat SDKs 6, the project's own code 17 — and the generation adds 50–80 MiB (the
 * chart's font ~20, the .docx, the facts and the draft).
 */
import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { DataSource } from 'typeorm';
import { AppModule } from '../src/app.module';
import { BulletinFactsService } from '../src/bulletins/bulletin-facts.service';
import { BulletinChartRenderer } from '../src/bulletins/bulletin-chart.renderer';
import { BulletinService } from '../src/bulletins/bulletin.service';
import { composeBulletin, draftToMarkdown, draftToPlainText } from '../src/bulletins/bulletin.rules';
import { FixedClock } from '../src/shared/clock';
import { loadConfig } from '../src/config/app.config';
import { BENCH_SERVER, benchDatabase, measured, printServerSettings } from './support';

const ITEMS = Number(process.env.ITEMS ?? 100_000);
const UNITS = Number(process.env.UNITS ?? 500);
const log = (s: string) => console.log(`[bench:bulletin] ${s}`);
const mib = () => `${(process.memoryUsage().rss / 1048576).toFixed(0)} MiB`;
/** Issue 17's targets. */
const TARGET_MS = 2000;
const TARGET_RSS_MIB = 250;

async function timed<T>(label: string, f: () => Promise<T> | T): Promise<T> {
  const t0 = performance.now();
  const v = await f();
  log(`  ${label.padEnd(44)} ${(performance.now() - t0).toFixed(0).padStart(6)} ms   rss ${mib()}`);
  return v;
}

async function main(): Promise<void> {
  Logger.overrideLogger(['error']);
  const db = await benchDatabase('duban_bench_tb', 6);
  const clock = new FixedClock(new Date('2026-04-01T01:00:00Z'));
  const app = await NestFactory.createApplicationContext(
    AppModule.register(
      loadConfig({ DATABASE_URL: db.url, DUBAN_ADMIN_TOKEN: 'bench-admin-token-000000', DUBAN_DEMO_SEED: 'false', DUBAN_REMINDER_TICK_MS: '0' }),
      clock,
    ),
    { logger: ['error'] },
  );
  const ds = app.get(DataSource);
  let last = '';
  try {
    await printServerSettings((s) => log(s));
    log(`database ${db.name} on ${BENCH_SERVER}; ${ITEMS.toLocaleString()} items, ${UNITS} units`);
    const t0 = performance.now();
    await ds.query(`INSERT INTO unit (code, name) SELECT CONCAT('U', seq), CONCAT('第', seq, '承办单位') FROM seq_1_to_${UNITS}`);
    await ds.query(`INSERT INTO person (name) VALUES ('督查室'), ('分管领导')`);
    await ds.query(`INSERT INTO role_grant (person_id, role, unit_id) VALUES (1, 'supervisor', NULL), (2, 'leader', NULL)`);
    // January to March 2026; about 60 % closed (most on time, a few rated 优秀/良好/不合格), the rest open, some overdue.
    await ds.query(
      `INSERT INTO item (number, title, content, source, board, category, state, owner_id, leader_id, registered_at, deadline_at, deadline_spec, closed_at, rating)
       SELECT CONCAT('DB2026-', LPAD(seq, 6, '0')), CONCAT('督办事项', seq), '内容',
              ELT(1 + seq % 10, 'meeting','instruction','work_report','reform','livelihood','npc_suggestion','cppcc_proposal','hotline','superior','other'),
              'daily', 'decision', IF(seq % 5 < 3, 'closed', 'in_progress'), 1, 2,
              TIMESTAMP('2026-01-01 00:00:00') + INTERVAL (seq % 89) DAY + INTERVAL (seq % 8) HOUR,
              TIMESTAMP('2026-01-01 00:00:00') + INTERVAL (seq % 89 + 7) DAY,
              '7d',
              IF(seq % 5 < 3, TIMESTAMP('2026-01-01 00:00:00') + INTERVAL (seq % 89 + IF(seq % 7 = 0, 9, 5)) DAY, NULL),
              IF(seq % 5 < 3, ELT(1 + seq % 4, 'excellent', 'good', 'pass', 'fail'), NULL)
       FROM seq_1_to_${ITEMS}`,
    );
    await ds.query(`INSERT INTO item_unit (item_id, unit_id, role) SELECT id, 1 + id % ${UNITS}, 'lead' FROM item`);
    await ds.query(
      `INSERT INTO item_unit (item_id, unit_id, role) SELECT id, 1 + (id * 7) % ${UNITS}, 'co' FROM item WHERE id % 3 = 0 AND (id * 7) % ${UNITS} <> id % ${UNITS}`,
    );
    // Events of March: returns, 重点督办, 不合格 ratings.
    const march = `TIMESTAMP('2026-03-01 00:00:00') + INTERVAL (id % 30) DAY`;
    await ds.query(
      `INSERT INTO item_event (item_id, type, actor_name, channel, at, summary, data) SELECT id, 'returned', '督查室', 'api', ${march}, '退回', '{"returnNo":1}' FROM item WHERE id % 20 = 0`,
    );
    await ds.query(
      `INSERT INTO item_event (item_id, type, actor_name, channel, at, summary) SELECT id, 'key_supervision', '系统', 'system', ${march}, '重点督办' FROM item WHERE id % 50 = 1`,
    );
    await ds.query(
      `INSERT INTO item_event (item_id, type, actor_name, channel, at, summary, data) SELECT id, 'rated', '督查室', 'api', closed_at, '评定', '{"rating":"fail"}' FROM item WHERE rating = 'fail'`,
    );
    await ds.query(
      `INSERT INTO score_line (line_key, rule, unit_id, item_id, points_tenths, at, year, quarter, explanation, table_id, table_version, source)
       SELECT CONCAT('bench:', id), 'S1', 1 + id % ${UNITS}, id, 5, registered_at, 2026, 1, 'S1 纳入督办事项 +0.5', 'default', 1, 'event' FROM item`,
    );
    log(`  seeded in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    const facts = app.get(BulletinFactsService);
    const service = app.get(BulletinService);
    const actor = { personId: 1, name: '督查室', isAdmin: true, grants: [{ role: 'supervisor' as const, unitId: null }], channel: 'api' as const };

    // Issue 17: the draft, its chart and its .docx, as one — time and peak RSS.
    const before = process.memoryUsage().rss;
    log(`generation (draft through the service, chart, .docx) — rss before ${mib()}`);
    const gen = await measured(async () => {
      const saved = await timed('generate through the service (stored)', () => service.generate({ kind: 'monthly', period: '2026-03' }, actor));
      await timed('chart PNG (ECharts SSR → resvg)', () => app.get(BulletinChartRenderer).render(saved));
      const docx = await timed('.docx', () => service.docx(saved.number));
      log(`  → .docx ${(docx.body.length / 1024).toFixed(0)} KiB`);
      if (process.env.DOCX_OUT) writeFileSync(process.env.DOCX_OUT, docx.body);
      return saved;
    });
    log(`  → charts drawn: ${app.get(BulletinChartRenderer).rendered}`);
    const genMs = Math.round(gen.ms);
    const peakMib = Math.round(gen.peakRss / 1048576);
    log(
      `generation: ${genMs} ms (target < ${TARGET_MS} ms: ${genMs < TARGET_MS ? 'met' : 'NOT met'}), peak RSS ${peakMib} MiB (target < ${TARGET_RSS_MIB} MiB: ${peakMib < TARGET_RSS_MIB ? 'met' : 'NOT met'}; ${Math.round(before / 1048576)} MiB before it, a rise of ${Math.round((gen.peakRss - before) / 1048576)} MiB)`,
    );
    last = `generate_ms=${genMs} peak_rss_mib=${peakMib}`;

    // The steps one by one.
    const period = facts.period('monthly', '2026-03');
    const total = performance.now();
    const f = await timed('queries (figures, lists, ranking)', () => facts.collect('monthly', period, { year: 2026, number: 3 }, '市人民政府督查室'));
    const draft = await timed('compose the draft', () => composeBulletin(f));
    await timed('chat summary (≤ 1,900 bytes)', () => draftToMarkdown(draft, { chartUrl: 'https://x/chart.png', fullTextUrl: 'https://x/', maxBytes: 1900 }));
    const text = await timed('plain text (archive / reproduction)', () => draftToPlainText(draft));
    log(
      `  → ${f.byUnit.length} units, ${f.praise.length.toLocaleString()} praised, ${f.criticism.length.toLocaleString()} criticised, ${(Buffer.byteLength(text) / 1024).toFixed(0)} KiB of text`,
    );
    log(`monthly 通报 facts and draft in ${(performance.now() - total).toFixed(0)} ms (queries + compose)`);
    const again = await timed('reproduction check', () => service.reproduce(gen.value.number));
    log(`  → reproduces: ${again.equal}`);
  } finally {
    await app.close();
    await db.drop(); // KEEP=1 keeps it (and still closes the admin connection)
  }
  if (last) console.log(last);
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
