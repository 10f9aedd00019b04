/**
 * npm run bench:core — issue 3's figures, on MariaDB/MySQL (BENCH_DATABASE_URL, default mysql://root@127.0.0.1:3306).
 *  1. registers ITEMS (10,000) items through the real services and walks each through 5 transitions
 *     (交办, 签收, 反馈, 申请办结, 评定), CONCURRENCY commands at a time; prints items/s and p50/p99 per command;
 *  2. fills the 台账 to LEDGER_ITEMS (100,000) items with bulk inserts and times filtered 台账 pages and an .xlsx export.
 * It creates and drops its own database. Env: ITEMS, LEDGER_ITEMS, CONCURRENCY, KEEP=1 to keep the database.
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { performance } from 'node:perf_hooks';
import { DataSource } from 'typeorm';
import { AppModule } from '../src/app.module';
import { TokenService } from '../src/auth/token.service';
import { ItemCommandsService } from '../src/cases/item-commands.service';
import { LedgerService } from '../src/cases/ledger.service';
import { renderLedgerXlsx } from '../src/cases/ledger.render';
import { RegistrationService } from '../src/cases/registration.service';
import { FixedClock } from '../src/shared/clock';
import { loadConfig } from '../src/config/app.config';
import { OrgService } from '../src/org/org.service';
import { BENCH_SERVER as SERVER, benchDatabase, percentile, printServerSettings } from './support';

const ITEMS = Number(process.env.ITEMS ?? 10_000);
const LEDGER_ITEMS = Number(process.env.LEDGER_ITEMS ?? 100_000);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 8);

const pct = percentile;
const ms = (x: number) => `${x.toFixed(2)} ms`;
const log = (s: string) => console.log(`[bench:core] ${s}`);

async function pool<T>(n: number, work: (i: number) => Promise<T>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < n) await work(next++);
    }),
  );
}

async function main(): Promise<void> {
  await printServerSettings(); // issue 17: every bench says which server settings its figures were taken with
  const db = await benchDatabase('duban_bench', CONCURRENCY + 2);
  const dbName = db.name;
  const clock = new FixedClock(new Date('2026-03-02T01:00:00Z'));
  const app = await NestFactory.createApplicationContext(
    AppModule.register({ ...loadConfig({ DATABASE_URL: db.url, DUBAN_ADMIN_TOKEN: 'bench-admin-token-000000', DUBAN_DEMO_SEED: 'false' }) }, clock),
    { logger: ['error'] },
  );
  try {
    log(`database ${dbName} on ${SERVER}; ${ITEMS} items × 5 transitions, concurrency ${CONCURRENCY}; ledger over ${LEDGER_ITEMS} items`);
    const org = app.get(OrgService);
    const tokens = app.get(TokenService);
    const units: number[] = [];
    for (let i = 0; i < 20; i++) units.push((await org.createUnit({ code: `U${i}`, name: `单位${i}` })).id);
    const person = async (name: string, roles: Parameters<OrgService['createPerson']>[0]['roles']) =>
      (await tokens.actorFor((await org.createPerson({ name, roles })).id, 'api'))!;
    const supervisor = await person('督查员', [{ role: 'supervisor' }, { role: 'owner' }]);
    const leader = await person('分管领导', [{ role: 'leader' }]);
    const contacts = await Promise.all(units.map((unitId, i) => person(`联络员${i}`, [{ role: 'unit_contact', unitId }])));

    const reg = app.get(RegistrationService);
    const cmd = app.get(ItemCommandsService);
    const timings: Record<string, number[]> = { register: [], assign: [], sign: [], report: [], request_closure: [], rate: [] };
    const timed = async <T>(name: string, f: () => Promise<T>): Promise<T> => {
      const t0 = performance.now();
      const r = await f();
      timings[name].push(performance.now() - t0);
      return r;
    };
    const sources = ['meeting', 'instruction', 'hotline', 'livelihood', 'cppcc_proposal'] as const;
    const started = performance.now();
    await pool(ITEMS, async (i) => {
      const unit = i % units.length;
      const item = await timed('register', () =>
        reg.register(
          {
            title: `基准事项${i}`,
            content: '按会议纪要要求推进落实，按期反馈办理情况。',
            source: sources[i % sources.length],
            leaderId: leader.personId!,
            leadUnitId: units[unit],
            coUnitIds: [units[(unit + 1) % units.length]],
            deadline: { node: '7d' },
          },
          supervisor,
        ),
      );
      await timed('assign', () => cmd.assign(item.number, supervisor));
      await timed('sign', () => cmd.sign(item.number, contacts[unit]));
      await timed('report', () => cmd.report(item.number, contacts[unit], '已完成初稿，正在征求意见。'));
      await timed('request_closure', () => cmd.requestClosure(item.number, contacts[unit], { summary: '已办结。' }));
      await timed('rate', () => cmd.rate(item.number, supervisor, 'good'));
      if ((i + 1) % 1000 === 0) log(`  ${i + 1}/${ITEMS} items walked (${((i + 1) / ((performance.now() - started) / 1000)).toFixed(0)} items/s)`);
    });
    const secs = (performance.now() - started) / 1000;
    log(
      `walked ${ITEMS} items (register + 5 transitions) in ${secs.toFixed(1)} s: ${(ITEMS / secs).toFixed(1)} items/s, ${((ITEMS * 6) / secs).toFixed(0)} commands/s`,
    );
    for (const [name, xs] of Object.entries(timings)) log(`  ${name.padEnd(16)} p50 ${ms(pct(xs, 50))}  p99 ${ms(pct(xs, 99))}  (n=${xs.length})`);

    // Fill the 台账 to LEDGER_ITEMS with bulk inserts (registration speed is measured above).
    const ds = app.get(DataSource);
    const filled = performance.now();
    const states = ['registered', 'assigned', 'in_progress', 'closure_requested', 'closed', 'archived'];
    let id = (await ds.query('SELECT COALESCE(MAX(id), 0) AS m FROM item'))[0].m as number;
    const CHUNK = 2000;
    for (let done = ITEMS; done < LEDGER_ITEMS; done += CHUNK) {
      const rows: unknown[] = [];
      const links: unknown[] = [];
      for (let k = 0; k < Math.min(CHUNK, LEDGER_ITEMS - done); k++) {
        id++;
        const n = done + k;
        const reg = new Date(Date.UTC(2026, 0, 1) + (n % 300) * 86_400_000);
        rows.push([
          `DB2025-${String(n).padStart(6, '0')}`,
          `台账事项${n}`,
          '内容',
          sources[n % sources.length],
          'daily',
          'decision',
          states[n % states.length],
          supervisor.personId,
          leader.personId,
          new Date(reg.getTime() + ((n % 20) - 5) * 86_400_000),
          '7d',
          reg,
        ]);
        links.push([id, units[n % units.length], 'lead']);
      }
      await ds.query(
        'INSERT INTO item (number, title, content, source, board, category, state, owner_id, leader_id, deadline_at, deadline_spec, registered_at) VALUES ?',
        [rows],
      );
      await ds.query('INSERT INTO item_unit (item_id, unit_id, role) VALUES ?', [links]);
    }
    log(`filled the 台账 to ${LEDGER_ITEMS} items in ${((performance.now() - filled) / 1000).toFixed(1)} s`);

    const ledger = app.get(LedgerService);
    clock.set(new Date('2026-06-01T02:00:00Z'));
    const queries: [string, Parameters<LedgerService['page']>[0]][] = [
      ['all, page 1', {}],
      ['unit', { unitId: units[3] }],
      ['unit + source', { unitId: units[3], source: 'hotline' }],
      ['state', { state: 'in_progress' }],
      ['overdue', { overdue: true }],
      ['unit + overdue', { unitId: units[5], overdue: true }],
      ['registered in March', { registeredFrom: new Date('2026-02-28T16:00:00Z'), registeredTo: new Date('2026-03-31T16:00:00Z') }],
      ['page 100', { page: 100 }],
    ];
    for (const [name, filter] of queries) {
      const xs: number[] = [];
      let total = 0;
      for (let r = 0; r < 20; r++) {
        const t0 = performance.now();
        total = (await ledger.page(filter, supervisor)).total;
        xs.push(performance.now() - t0);
      }
      log(`  台账 ${name.padEnd(20)} p50 ${ms(pct(xs, 50))}  p99 ${ms(pct(xs, 99))}  (${total} matching, 50 a page)`);
    }
    const t0 = performance.now();
    const rows = await ledger.all({ unitId: units[7] }, supervisor);
    const t1 = performance.now();
    const buf = await renderLedgerXlsx(rows, { generatedAt: clock.now(), filterDescription: 'bench' });
    log(
      `  台账 .xlsx export of one unit: ${rows.length} rows, query ${ms(t1 - t0)}, render ${ms(performance.now() - t1)}, ${(buf.length / 1024).toFixed(0)} KiB`,
    );
    log(`memory: rss ${(process.memoryUsage().rss / 1048576).toFixed(0)} MiB, heap used ${(process.memoryUsage().heapUsed / 1048576).toFixed(0)} MiB`);
  } finally {
    await app.close();
    await db.drop(); // KEEP=1 keeps it (and still closes the admin connection)
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
