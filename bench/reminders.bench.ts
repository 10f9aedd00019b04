/**
 * npm run bench:reminders — issue 6's figures, on MariaDB (BENCH_DATABASE_URL, default mysql://root@127.0.0.1:3306)
 * and the local Redis (BENCH_REDIS_URL, default redis://127.0.0.1:6379).
 *  1. The tick with OPEN_ITEMS (1,000,000) open items (REGISTER, below): the cold tick (every item planned at once —
 *     the first start, or after a policy change), a warm tick (nothing to plan), and the steady state (each minute's
 *     tick plans the items whose next reminder comes near), each with what it dispatched, its time and the RSS.
 *  2. FIRE (100,000) reminders scheduled and fired through this engine (plan → reminder rows; dispatch → outbox
 *     digests, in transactions, with the R3 re-check) beside the same number of BullMQ delayed jobs on Redis
 *     (addBulk → a worker that only counts them): both times and their ratio.
 * It prints the server's version and settings first, and ends with issue 17's line: `steady_tick_ms=… engine_vs_bullmq=…`
 * (the median of the five steady ticks; the ratio of section 2). FIRE=0 skips section 2 (its ratio is then n/a).
 * BENCH_BUFFER_POOL_MIB=N runs it with the server's InnoDB buffer pool at N MiB (put back afterwards): the README's
 * setting at scale, against the 128 MiB default.
 * Seeding uses MariaDB's sequence engine (seq_1_to_N). It creates and drops its own databases; KEEP=1 keeps them.
 * BullMQ is not a dependency of the service: the bench installs it (npm install --no-save) the first time. Its
 * lockfile entries would name platform binaries (msgpackr-extract) this registry does not carry, breaking npm ci.
 */
import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DataSource } from 'typeorm';
import { AppModule } from '../src/app.module';
import { FixedClock } from '../src/shared/clock';
import { loadConfig } from '../src/config/app.config';
import { PLAN_LOOKAHEAD_MS, ReminderScheduler } from '../src/reminders/reminder-scheduler.service';
import { BENCH_SERVER, benchDatabase, measured, printServerSettings, withBufferPool } from './support';

const OPEN_ITEMS = Number(process.env.OPEN_ITEMS ?? 1_000_000);
/**
 * The register section 1 seeds. 'spread' (the default): deadlines at 18:00 (a day's end, as C3 gives them) spread evenly
 * from 10 days overdue to 80 days ahead — a ninth overdue, past R4's cadence and urged each working morning — registered
 * 10–40 days ago (so most nodes are over 28 days: R2's weekly reminder). 'near' (the register before issue 17's second
 * part): deadlines every 3 minutes from 25 h ago to 75 h ahead, every item with reminders within hours.
 */
const REGISTER = process.env.REGISTER ?? 'spread';
const FIRE = Number(process.env.FIRE ?? 100_000);
const REDIS = new URL(process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379');
const UNITS = 100;
const HOUR = 3_600_000;

const log = (s: string) => console.log(`[bench:reminders] ${s}`);
const mib = (b: number) => `${(b / 1048576).toFixed(0)} MiB`;
const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
/** The machine's 1, 5 and 15 min load averages: other work on the 2 cores makes the figures noisy. */
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

async function service(url: string, clock: FixedClock) {
  const config = loadConfig({ DATABASE_URL: url, DUBAN_ADMIN_TOKEN: 'bench-admin-token-000000', DUBAN_DEMO_SEED: 'false', DUBAN_REMINDER_TICK_MS: '0' });
  const app = await NestFactory.createApplicationContext(AppModule.register(config, clock), { logger: ['error'] });
  return { app, ds: app.get(DataSource), scheduler: app.get(ReminderScheduler) };
}

/** Units with one DingTalk group each, two people, and `n` open items from MariaDB's sequence engine. */
async function seed(ds: DataSource, n: number, item: { registered: string; deadline: string; board: string }): Promise<void> {
  await ds.query(`INSERT INTO unit (code, name) SELECT CONCAT('U', seq), CONCAT('单位', seq) FROM seq_1_to_${UNITS}`);
  await ds.query(
    `INSERT INTO chat_group (platform, external_id, name, unit_id, purpose) SELECT 'dingtalk', CONCAT('cid', id), CONCAT(name, '督办群'), id, 'unit' FROM unit`,
  );
  await ds.query(`INSERT INTO person (name) VALUES ('督查室'), ('分管领导')`);
  for (let from = 1; from <= n; from += 250_000) {
    const to = Math.min(n, from + 249_999);
    await ds.query(
      `INSERT INTO item (number, title, content, source, board, category, state, owner_id, leader_id, registered_at, deadline_at, deadline_spec)
       SELECT CONCAT('DB2026-', LPAD(seq, 7, '0')), CONCAT('提醒压测事项', seq), '内容', 'hotline', ${item.board}, 'decision', 'in_progress', 1, 2,
              ${item.registered}, ${item.deadline}, '7d'
       FROM seq_${from}_to_${to}`,
    );
    log(`  … ${to.toLocaleString()} items`);
  }
  await ds.query(`INSERT INTO item_unit (item_id, unit_id, role) SELECT id, 1 + id % ${UNITS}, 'lead' FROM item`);
}

/** The steady tick's median (ms), for the last line. */
async function tickBench(): Promise<number> {
  const db = await benchDatabase('duban_bench_rem', 6);
  const now = new Date('2026-03-04T02:00:00Z'); // Wednesday 10:00 in Shanghai
  const clock = new FixedClock(now);
  const { app, ds, scheduler } = await service(db.url, clock);
  try {
    log(`1) the tick with ${OPEN_ITEMS.toLocaleString()} open items (database ${db.name} on ${BENCH_SERVER})`);
    const t0 = performance.now();
    const base = `TIMESTAMP('${now.toISOString().slice(0, 19).replace('T', ' ')}')`;
    if (REGISTER === 'near') {
      // Deadlines every 3 minutes from 25 h ago to 75 h ahead: a quarter overdue (urged every 2–3 h), the rest coming up.
      await seed(ds, OPEN_ITEMS, {
        registered: `${base} - INTERVAL (10 + seq % 20) DAY`,
        deadline: `${base} + INTERVAL (CAST(seq % 2000 AS SIGNED) - 500) * 3 MINUTE`,
        board: `IF(seq % 10 = 0, 'key_task', 'daily')`,
      });
    } else {
      // Today 18:00 in Shanghai (10:00 UTC) plus -10 … +79 days, scattered over the ids.
      const today18 = `TIMESTAMP('${now.toISOString().slice(0, 10)} 10:00:00')`;
      await seed(ds, OPEN_ITEMS, {
        registered: `${base} - INTERVAL (10 + seq % 31) DAY`,
        deadline: `${today18} + INTERVAL (CAST((seq * 7919) % 90 AS SIGNED) - 10) DAY`,
        board: `IF(seq % 10 = 0, 'key_task', 'daily')`,
      });
    }
    log(`  seeded (register '${REGISTER}') in ${secs(performance.now() - t0)}`);

    const cold = await measured(() => scheduler.plan(now));
    const coldDispatch = await measured(() => scheduler.dispatch(now));
    log(
      `  cold tick — plan: ${OPEN_ITEMS.toLocaleString()} items, ${cold.value.toLocaleString()} reminders stored in ${secs(cold.ms)} (${Math.round(OPEN_ITEMS / (cold.ms / 1000)).toLocaleString()} items/s), peak RSS ${mib(cold.peakRss)}; load ${load()}`,
    );
    log(`              dispatch: ${coldDispatch.value.toLocaleString()} due reminders in ${secs(coldDispatch.ms)}, peak RSS ${mib(coldDispatch.peakRss)}`);

    const warmAt = new Date(now.getTime() + 60_000);
    const warm = await measured(async () => [await scheduler.plan(warmAt), await scheduler.dispatch(warmAt)]);
    log(
      `  warm tick (1 min later, nothing to plan) — ${warm.value[0]} planned, ${warm.value[1]} dispatched in ${secs(warm.ms)}, peak RSS ${mib(warm.peakRss)}`,
    );

    // Steady state (issue 17): an item's mark is its next reminder not stored (planned again up to 6 h before it) or
    // its look-ahead's end. After the cold plan every look-ahead ends 3.5–7 days from now; after a while they are
    // spread over the days to come, each item planned again about once a look-ahead. So each mark becomes the
    // earlier of the cold plan's and an instant spread evenly over 12 h … 12 h + ¾ look-ahead by the id — which can only
    // bring items back sooner than they would come. Then the clock moves 6 h (the cold plan's stored horizon is half
    // spent: the tick dispatches what fell due meanwhile, not measured) and five one-minute ticks are measured.
    const spanMin = Math.round((0.75 * PLAN_LOOKAHEAD_MS) / 60_000);
    await ds.query(
      `UPDATE item SET reminders_planned_until = LEAST(reminders_planned_until, ? + INTERVAL 12 HOUR + INTERVAL ((id * 7919) % ${spanMin}) MINUTE)`,
      [now],
    );
    const steadyAt = new Date(now.getTime() + 6 * HOUR);
    const catchUp = await measured(async () => [await scheduler.plan(steadyAt), await scheduler.dispatch(steadyAt)]);
    log(
      `  6 h later — ${scheduler.lastPlan.items.toLocaleString()} items planned, ${catchUp.value[1].toLocaleString()} reminders of the 6 h dispatched in ${secs(catchUp.ms)} (not measured below)`,
    );
    const times: number[] = [];
    const planMs: number[] = [];
    const items: number[] = [];
    let planned = 0;
    let dispatched = 0;
    let peak = 0;
    for (let m = 1; m <= 5; m++) {
      const at = new Date(steadyAt.getTime() + m * 60_000);
      let p = 0;
      const r = await measured(async () => {
        const t1 = performance.now();
        const n = await scheduler.plan(at);
        p = performance.now() - t1;
        return [n, await scheduler.dispatch(at)];
      });
      times.push(r.ms);
      planMs.push(p);
      items.push(scheduler.lastPlan.items);
      planned += r.value[0];
      dispatched += r.value[1];
      peak = Math.max(peak, r.peakRss);
    }
    log(
      `  steady ticks (5 × 1 min; items planned ${items.join(' / ')}) — ${times.map((t) => `${(t / 1000).toFixed(2)}`).join(' / ')} s (planning ${planMs.map((t) => `${(t / 1000).toFixed(2)}`).join(' / ')} s); ${planned.toLocaleString()} reminders planned, ${dispatched.toLocaleString()} dispatched; peak RSS ${mib(peak)}; load ${load()}`,
    );
    const [{ n }] = await ds.query('SELECT COUNT(*) AS n FROM reminder');
    const [{ d }] = await ds.query("SELECT COUNT(*) AS d FROM outbox_message WHERE kind = 'reminder_digest'");
    log(`  reminder rows ${Number(n).toLocaleString()}, digests in the outbox ${Number(d).toLocaleString()}`);
    return [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)];
  } finally {
    await app.close();
    await db.drop(); // KEEP=1 keeps it (and still closes the admin connection)
  }
}

async function engineFire(): Promise<{ schedule: number; fire: number; rss: number }> {
  const db = await benchDatabase('duban_bench_fire', 6);
  const now = new Date('2026-03-04T02:00:00Z');
  const clock = new FixedClock(now);
  const { app, ds, scheduler } = await service(db.url, clock);
  try {
    // Every item's "5 h before" reminder (R1) falls due one minute from now.
    const due = new Date(now.getTime() + 60_000);
    await seed(ds, FIRE, {
      registered: `TIMESTAMP('2026-03-01 02:00:00')`,
      deadline: `TIMESTAMP('${new Date(due.getTime() + 5 * HOUR).toISOString().slice(0, 19).replace('T', ' ')}')`,
      board: `'daily'`,
    });
    // A 2 h horizon holds exactly that one reminder per item.
    const schedule = await measured(() => scheduler.plan(now, 2 * HOUR));
    if (schedule.value !== FIRE) throw new Error(`expected ${FIRE} reminders planned, got ${schedule.value}`);
    clock.set(due);
    const fire = await measured(() => scheduler.dispatch(due));
    if (fire.value !== FIRE) throw new Error(`expected ${FIRE} reminders fired, got ${fire.value}`);
    const [{ d }] = await ds.query("SELECT COUNT(*) AS d FROM outbox_message WHERE kind = 'reminder_digest'");
    log(
      `  engine: scheduled ${FIRE.toLocaleString()} in ${secs(schedule.ms)}, fired in ${secs(fire.ms)} (${Number(d).toLocaleString()} digests to ${UNITS} groups in the outbox); peak RSS ${mib(Math.max(schedule.peakRss, fire.peakRss))}`,
    );
    return { schedule: schedule.ms, fire: fire.ms, rss: Math.max(schedule.peakRss, fire.peakRss) };
  } finally {
    await app.close();
    await db.drop(); // KEEP=1 keeps it (and still closes the admin connection)
  }
}

/** The part of BullMQ's API the comparison uses (typed here: the package is not installed until the bench runs). */
interface BullQueue {
  addBulk(jobs: { name: string; data: unknown; opts?: object }[]): Promise<unknown>;
  obliterate(o: { force: boolean }): Promise<void>;
  close(): Promise<void>;
}
interface BullWorker {
  on(event: 'error', f: (e: Error) => void): void;
  close(): Promise<void>;
}
interface BullMQ {
  Queue: new (name: string, o: { connection: object }) => BullQueue;
  Worker: new (name: string, processor: () => Promise<void>, o: { connection: object; concurrency: number }) => BullWorker;
}

/** BullMQ, installed for the bench only (see the header). */
function bullmq(): BullMQ {
  const root = join(__dirname, '..');
  if (!existsSync(join(root, 'node_modules', 'bullmq', 'package.json'))) {
    log('  installing bullmq for the comparison (npm install --no-save bullmq@5) …');
    execSync('npm install --no-save --no-audit --no-fund bullmq@5', { stdio: 'inherit', cwd: root });
  }
  // By path: this process already failed to resolve the name once if it was missing.
  return require(join(root, 'node_modules', 'bullmq')); // eslint-disable-line @typescript-eslint/no-require-imports -- installed at run time
}

async function bullFire(): Promise<{ schedule: number; fire: number; rss: number }> {
  const { Queue, Worker } = bullmq();
  const connection = { host: REDIS.hostname, port: Number(REDIS.port || 6379) };
  const name = `duban-bench-${Date.now()}`;
  const queue = new Queue(name, { connection });
  try {
    // The same 100,000 reminders as delayed jobs, each due 1 s after it is added; keyed like ours (jobId).
    const schedule = await measured(async () => {
      for (let i = 0; i < FIRE; i += 1000) {
        await queue.addBulk(
          Array.from({ length: Math.min(1000, FIRE - i) }, (_, k) => ({
            name: 'reminder',
            data: { itemId: i + k + 1, kind: 'before_deadline', rule: 'R1' },
            opts: { delay: 1000, jobId: `${i + k + 1}:before_deadline:unit`, removeOnComplete: true },
          })),
        );
      }
    });
    await new Promise((r) => setTimeout(r, 1100)); // all due, as ours are when dispatch runs
    let done = 0;
    let worker: BullWorker | null = null;
    const fire = await measured(
      () =>
        new Promise<void>((resolve, reject) => {
          worker = new Worker(
            name,
            async () => {
              if (++done === FIRE) resolve();
            },
            { connection, concurrency: 100 },
          );
          worker.on('error', reject);
        }),
    );
    await (worker as BullWorker | null)?.close();
    log(
      `  BullMQ: scheduled ${FIRE.toLocaleString()} delayed jobs in ${secs(schedule.ms)}, fired in ${secs(fire.ms)} (worker concurrency 100, jobs only counted); peak RSS ${mib(Math.max(schedule.peakRss, fire.peakRss))}`,
    );
    return { schedule: schedule.ms, fire: fire.ms, rss: Math.max(schedule.peakRss, fire.peakRss) };
  } finally {
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
  }
}

async function main(): Promise<void> {
  Logger.overrideLogger(['error']);
  const started = performance.now();
  const pool = await withBufferPool(log); // BENCH_BUFFER_POOL_MIB: the server's buffer pool for this run (README, settings at scale)
  try {
    await run(started);
  } finally {
    await pool.restore();
  }
}

async function run(started: number): Promise<void> {
  await printServerSettings(log);
  log(`load average at the start ${load()}`);
  const steady = OPEN_ITEMS > 0 ? await tickBench() : null; // OPEN_ITEMS=0: only the comparison
  if (FIRE <= 0) {
    // FIRE=0: section 1 only.
    log(`done in ${secs(performance.now() - started)}; load average ${load()}`);
    console.log(`steady_tick_ms=${steady === null ? 'n/a' : Math.round(steady)} engine_vs_bullmq=n/a`);
    return;
  }
  log(`2) ${FIRE.toLocaleString()} reminders scheduled and fired: this engine beside BullMQ delayed jobs (redis ${REDIS.host})`);
  const engine = await engineFire();
  const bull = await bullFire();
  const e = engine.schedule + engine.fire;
  const b = bull.schedule + bull.fire;
  log(
    `  engine ${secs(e)} vs BullMQ ${secs(b)} for ${FIRE.toLocaleString()} reminders: ratio engine/BullMQ = ${(e / b).toFixed(2)} (schedule ${(engine.schedule / bull.schedule).toFixed(2)}, fire ${(engine.fire / bull.fire).toFixed(2)})`,
  );
  log(`  (the engine's fire writes the digests into the outbox in transactions and re-checks R3 per reminder; the BullMQ worker does nothing but count)`);
  log(`done in ${secs(performance.now() - started)}; load average ${load()}`);
  // Issue 17's targets: a steady tick under 100 ms (median of the five), engine/BullMQ at most 1.0.
  console.log(`steady_tick_ms=${steady === null ? 'n/a' : Math.round(steady)} engine_vs_bullmq=${(e / b).toFixed(2)}`);
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
