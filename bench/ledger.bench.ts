/**
 * `npm run bench:ledger` (issue 17): the 台账 API under load. ITEMS (100,000) items on MariaDB (BENCH_DATABASE_URL),
 * the real service over HTTP, a 督查室 person's signed-in token (a personal bearer token, resolved on every request as
 * the console's programs do), and GET /api/ledger driven by keep-alive connections, each asking one request after
 * the other in turn for: the first page, a unit's items, each light, a state, and the second page.
 *  1. Each URL once, cold (the first ask after start) and once more: its time, rows and total.
 *  2. One connection for SOLO_SECONDS (5), then CONNECTIONS (10) for SECONDS (20): requests, rps, p50, p99, worst,
 *     per URL p50/p99, the CPU the service process and MariaDB used meanwhile (where the time goes), and the SQL
 *     statements per request (counted through TypeORM's logger).
 * The load runs in a worker thread, not on the service's event loop. Prints the server's settings and the load
 * average (other work on the machine slows every figure); asserts nothing. Last line: `rps=<n> p99_ms=<n>`.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { Worker } from 'node:worker_threads';
import { execFileSync } from 'node:child_process';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DataSource } from 'typeorm';
import { AppModule } from '../src/app.module';
import { setUpApp } from '../src/app.setup';
import { TokenService } from '../src/auth/token.service';
import { loadConfig } from '../src/config/app.config';
import { FixedClock } from '../src/shared/clock';
import { benchDatabase, BENCH_SERVER, countStatements, percentile, printServerSettings } from './support';

const ITEMS = Number(process.env.ITEMS ?? 100_000);
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 10);
const SECONDS = Number(process.env.SECONDS ?? 20);
const SOLO_SECONDS = Number(process.env.SOLO_SECONDS ?? 5);
const UNITS = 60;
const NOW = new Date('2026-03-16T02:00:00Z'); // Monday 10:00 in Shanghai
const log = (s: string) => console.log(`[bench:ledger] ${s}`);
const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');
const ms = (x: number) => x.toFixed(1);

const PATHS = [
  '/api/ledger?page=1&pageSize=50',
  '/api/ledger?page=1&pageSize=50&unitId=7',
  '/api/ledger?page=1&pageSize=50&light=red',
  '/api/ledger?page=1&pageSize=50&light=yellow',
  '/api/ledger?page=1&pageSize=50&light=green',
  '/api/ledger?page=1&pageSize=50&state=in_progress',
  '/api/ledger?page=2&pageSize=50',
];

/** The load, as plain JavaScript for a worker thread: `connections` loops, each on its own keep-alive socket. */
const CLIENT = `
const { parentPort, workerData } = require('node:worker_threads');
const http = require('node:http');
const { base, token, paths, connections, seconds } = workerData;
const get = (agent, path) => new Promise((resolve) => {
  const t = performance.now();
  const req = http.get(base + path, { agent, headers: { authorization: 'Bearer ' + token, accept: 'application/json' } }, (res) => {
    res.on('data', () => undefined);
    res.on('end', () => resolve({ ms: performance.now() - t, ok: res.statusCode === 200 }));
  });
  req.on('error', () => resolve({ ms: performance.now() - t, ok: false }));
});
(async () => {
  const until = performance.now() + seconds * 1000;
  const times = paths.map(() => []);
  let errors = 0;
  await Promise.all(Array.from({ length: connections }, async (_, c) => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    for (let k = c; performance.now() < until; k++) {
      const p = k % paths.length;
      const r = await get(agent, paths[p]);
      if (r.ok) times[p].push(r.ms); else errors++;
    }
    agent.destroy();
  }));
  parentPort.postMessage({ times, errors });
})();
`;

function drive(base: string, token: string, connections: number, seconds: number): Promise<{ times: number[][]; errors: number }> {
  return new Promise((resolve, reject) => {
    const w = new Worker(CLIENT, { eval: true, workerData: { base, token, paths: PATHS, connections, seconds } });
    w.once('message', resolve);
    w.once('error', reject);
  });
}

/** CPU seconds (user + system) MariaDB's server process has used so far, or null when it is not on this machine. */
function mariadbCpu(): number | null {
  try {
    const pid = execFileSync('pidof', ['mariadbd', 'mysqld'], { encoding: 'utf8' }).trim().split(/\s+/)[0];
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (100 per second)
  } catch {
    return null;
  }
}

async function run(label: string, base: string, token: string, connections: number, seconds: number, statements: () => number) {
  const loadBefore = load();
  const statements0 = statements();
  const cpu0 = process.cpuUsage();
  const db0 = mariadbCpu();
  const t0 = performance.now();
  const { times, errors } = await drive(base, token, connections, seconds);
  const wall = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const db1 = mariadbCpu();
  const all = times.flat();
  const rps = all.length / seconds;
  const perRequest = (statements() - statements0) / Math.max(1, all.length + errors);
  log(
    `${label}: ${connections} connection(s) for ${seconds} s — ${all.length} requests (${errors} failed), rps ${rps.toFixed(1)}, p50 ${ms(percentile(all, 50))} ms, p99 ${ms(percentile(all, 99))} ms, worst ${ms(Math.max(...all))} ms`,
  );
  for (const [i, path] of PATHS.entries()) {
    if (times[i].length)
      log(
        `    ${path.replace('/api/ledger?', '').padEnd(38)} n=${times[i].length} p50 ${ms(percentile(times[i], 50))} ms, p99 ${ms(percentile(times[i], 99))} ms`,
      );
  }
  const node = (cpu.user + cpu.system) / 1e6;
  log(
    `    CPU during the run (${wall.toFixed(1)} s): this process ${node.toFixed(1)} s (the service, and the load's worker thread)` +
      (db0 !== null && db1 !== null ? `, MariaDB ${(db1 - db0).toFixed(1)} s (all of its work, other databases' too)` : '') +
      `; ${perRequest.toFixed(1)} SQL statements per request; load average before ${loadBefore}, after ${load()} (on ${availableParallelism()} cores)`,
  );
  return { rps, p99: percentile(all, 99) };
}

async function main(): Promise<void> {
  await printServerSettings((s) => log(s));
  const db = await benchDatabase('duban_bench_ledger', CONNECTIONS);
  const clock = new FixedClock(NOW);
  const config = loadConfig({ DATABASE_URL: db.url, DUBAN_ADMIN_TOKEN: 'bench-admin-token-000000', DUBAN_DEMO_SEED: 'false', DUBAN_REMINDER_TICK_MS: '0' });
  const app = await NestFactory.create<NestExpressApplication>(AppModule.register(config, clock), { logger: ['error'] });
  setUpApp(app);
  await app.listen(0, '127.0.0.1');
  const base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  try {
    const ds = app.get(DataSource);
    log(`${ITEMS.toLocaleString()} items on ${BENCH_SERVER} (database ${db.name}); load average ${load()}`);
    const t0 = performance.now();
    await ds.query(`INSERT INTO unit (code, name) SELECT CONCAT('U', seq), CONCAT('单位', seq) FROM seq_1_to_${UNITS}`);
    await ds.query(`INSERT INTO person (name) VALUES ('督查室'), ('分管领导')`);
    await ds.query(`INSERT INTO role_grant (person_id, role) VALUES (1, 'supervisor'), (2, 'leader')`);
    // Every tenth item closed; the open ones' deadlines from 300 h ago to 700 h ahead, hour by hour: about 30 % red
    // (handed over, unanswered, past the deadline), 2 % yellow (within 24 h), the rest green; every seventh answered.
    const now = `TIMESTAMP('${NOW.toISOString().slice(0, 19).replace('T', ' ')}')`;
    await ds.query(
      `INSERT INTO item (number, title, content, source, board, category, state, owner_id, leader_id, registered_at, assigned_at, answered_at, closed_at, deadline_at, deadline_spec)
       SELECT CONCAT('DB2026-', LPAD(seq, 7, '0')), CONCAT('台账压测事项', seq), '内容', IF(seq % 3 = 0, 'hotline', 'meeting'), 'daily', 'decision',
              IF(seq % 10 = 0, 'closed', 'in_progress'), 1, 2,
              ${now} - INTERVAL (20 + seq % 40) DAY, ${now} - INTERVAL (20 + seq % 40) DAY,
              IF(seq % 7 = 0, ${now} - INTERVAL 10 DAY, NULL), IF(seq % 10 = 0, ${now} - INTERVAL 5 DAY, NULL),
              ${now} + INTERVAL (CAST(seq % 1000 AS SIGNED) - 300) HOUR, '7d'
       FROM seq_1_to_${ITEMS}`,
    );
    await ds.query(`INSERT INTO item_unit (item_id, unit_id, role, signed_at) SELECT id, 1 + id % ${UNITS}, 'lead', assigned_at FROM item`);
    await ds.query(`INSERT INTO item_unit (item_id, unit_id, role) SELECT id, 1 + (id + 7) % ${UNITS}, 'co' FROM item WHERE id % 3 = 0`);
    await ds.query(
      `INSERT INTO report (item_id, unit_id, author_id, content, channel, submitted_at, status)
       SELECT id, 1 + id % ${UNITS}, 1, '进展', 'api', ${now} - INTERVAL (id % 100) HOUR, 'submitted' FROM item WHERE id % 4 = 0`,
    );
    await ds.query('ANALYZE TABLE item, item_unit, report');
    const rows = Number((await ds.query('SELECT COUNT(*) AS n FROM item'))[0].n);
    log(`  seeded ${rows.toLocaleString()} items in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const { token } = await app.get(TokenService).issue(1, 'bench');
    const counted = countStatements(ds);
    const statements = () => Object.values(counted()).reduce((a, b) => a + b, 0) - counted().clickControl;

    // 1. Each URL alone: the first ask (cold) and the next.
    for (const path of PATHS) {
      const once = async () => {
        const t = performance.now();
        const r = await fetch(base + path, { headers: { authorization: `Bearer ${token}` } });
        const body = (await r.json()) as { total: number; items: unknown[] };
        if (r.status !== 200) throw new Error(`${path}: ${r.status} ${JSON.stringify(body)}`);
        return { ms: performance.now() - t, total: body.total, n: body.items.length };
      };
      const cold = await once();
      const warm = await once();
      log(`  ${path.replace('/api/ledger?', '').padEnd(38)} ${cold.n} rows of ${cold.total.toLocaleString()}: cold ${ms(cold.ms)} ms, again ${ms(warm.ms)} ms`);
    }

    // 2. Under load.
    if (SOLO_SECONDS > 0) await run('one connection', base, token, 1, SOLO_SECONDS, statements);
    const { rps, p99 } = await run(`${CONNECTIONS} connections`, base, token, CONNECTIONS, SECONDS, statements);
    console.log(`rps=${Math.round(rps)} p99_ms=${Math.round(p99)}`);
  } finally {
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
