import { performance } from 'node:perf_hooks';
import { AsyncLocalStorage } from 'node:async_hooks';
import { existsSync, readFileSync } from 'node:fs';
import { createConnection, type RowDataPacket } from 'mysql2/promise';
import type { DataSource, Logger as OrmLogger } from 'typeorm';
import { BATCH_SEPARATOR } from '../src/database/transaction';

export const BENCH_SERVER = (process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'mysql://root@127.0.0.1:3306').replace(/\/+$/, '');

/**
 * The bench server's Unix socket, when the server runs on this machine (BENCH_SERVER names 127.0.0.1 or localhost) and
 * the socket it reports exists here; null otherwise.
 */
export async function localSocket(): Promise<string | null> {
  const u = new URL(BENCH_SERVER);
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname)) return null;
  const admin = await adminConnection(u);
  try {
    const [rows] = await admin.query<RowDataPacket[]>('SELECT @@socket AS s');
    const path = String(rows[0]?.s ?? '');
    return path && existsSync(path) ? path : null;
  } finally {
    await admin.end();
  }
}

/** KEEP=1 (any value but empty or 0): the benches leave their databases behind, to look at afterwards. */
export const KEEP = Boolean(process.env.KEEP) && process.env.KEEP !== '0';

/**
 * A fresh utf8mb4 database for one benchmark run; `pool` sets the service's connection pool. `drop()` drops it —
 * or, with KEEP=1, says where it stays — and always closes the admin connection, or the bench would never exit.
 */
export async function benchDatabase(
  prefix: string,
  pool: number,
  socket?: string,
): Promise<{ name: string; url: string; drop: () => Promise<void>; deadlocks: () => Promise<Deadlocks> }> {
  const u = new URL(BENCH_SERVER);
  const name = `${prefix}_${Date.now()}`;
  const admin = await adminConnection(u);
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  u.pathname = `/${name}`;
  u.searchParams.set('pool', String(pool));
  // The service's own option (src/database/data-source.ts): the server's Unix socket instead of TCP.
  if (socket) u.searchParams.set('socket', socket);
  return {
    name,
    url: u.toString(),
    deadlocks: async () => {
      const [status] = await admin.query<RowDataPacket[]>("SHOW GLOBAL STATUS LIKE 'Innodb_deadlocks'");
      const [engine] = await admin.query<RowDataPacket[]>('SHOW ENGINE INNODB STATUS');
      const text = String(engine[0]?.Status ?? '');
      const latest = /LATEST DETECTED DEADLOCK\n-+\n([\s\S]*?)\n-+\nTRANSACTIONS/.exec(text)?.[1] ?? '';
      return { count: Number(status[0]?.Value ?? 0), latestHere: latest.includes(`\`${name}\`.`), latestAt: latest.split('\n')[0] ?? '' };
    },
    drop: async () => {
      try {
        if (KEEP) console.log(`[bench] KEEP=1: database ${name} kept`);
        else await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
      } finally {
        await admin.end();
      }
    },
  };
}

/** A connection to the bench's server as its administrator (no database chosen). */
function adminConnection(u: URL) {
  return createConnection({
    host: u.hostname,
    port: Number(u.port || 3306),
    user: decodeURIComponent(u.username || 'root'),
    password: decodeURIComponent(u.password),
  });
}

/** The p-th percentile (nearest rank) of a list of numbers. */
export function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

/**
 * Prints the MariaDB/MySQL server a bench runs against and the settings that move its figures: the version, the
 * InnoDB buffer pool (a working set larger than it reads from disk), the log flush on commit, the sort and temporary
 * table sizes (ORDER BY and GROUP BY without an index), and the connection limit.
 */
export async function printServerSettings(log: (s: string) => void = console.log, server: string = BENCH_SERVER): Promise<void> {
  const u = new URL(server);
  const c = await adminConnection(u);
  try {
    const [rows] = await c.query<RowDataPacket[]>(
      `SELECT VERSION() AS version, @@innodb_buffer_pool_size AS pool, @@innodb_flush_log_at_trx_commit AS flush,
              @@sort_buffer_size AS sort, @@tmp_table_size AS tmp, @@max_connections AS conns`,
    );
    const r = rows[0];
    const mib = (b: unknown) => `${(Number(b) / 1048576).toFixed(0)} MiB`;
    log(
      `[server] ${u.hostname}:${u.port || 3306} version ${r.version}; innodb_buffer_pool_size ${mib(r.pool)}, innodb_flush_log_at_trx_commit ${r.flush}, sort_buffer_size ${(Number(r.sort) / 1024).toFixed(0)} KiB, tmp_table_size ${mib(r.tmp)}, max_connections ${r.conns}`,
    );
  } finally {
    await c.end();
  }
}

/**
 * BENCH_BUFFER_POOL_MIB=N (any bench that calls it): runs the bench with the server's InnoDB buffer pool at N MiB — the
 * setting the README asks for at scale — and puts the previous size back at the end (`restore()`). InnoDB resizes it
 * online (MariaDB 10.2+), in whole chunks; the bench waits until the resize has finished. Without the variable, nothing.
 */
export async function withBufferPool(log: (s: string) => void = console.log, server: string = BENCH_SERVER): Promise<{ restore: () => Promise<void> }> {
  const want = Number(process.env.BENCH_BUFFER_POOL_MIB ?? 0);
  if (!(want > 0)) return { restore: async () => undefined };
  const u = new URL(server);
  const c = await adminConnection(u);
  const resize = async (bytes: number) => {
    await c.query(`SET GLOBAL innodb_buffer_pool_size = ${Math.trunc(bytes)}`);
    for (let i = 0; i < 600; i++) {
      const [rows] = await c.query<RowDataPacket[]>("SHOW STATUS LIKE 'Innodb_buffer_pool_resize_status'");
      const status = String(rows[0]?.Value ?? '');
      if (status === '' || /completed|finished|not started/i.test(status)) return;
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const [rows] = await c.query<RowDataPacket[]>('SELECT @@innodb_buffer_pool_size AS pool');
  const before = Number(rows[0].pool);
  await resize(want * 1048576);
  log(
    `[server] BENCH_BUFFER_POOL_MIB=${want}: innodb_buffer_pool_size set to ${want} MiB for this run (was ${(before / 1048576).toFixed(0)} MiB; put back at the end)`,
  );
  return {
    restore: async () => {
      // Quietly: the bench's last line stays its figures.
      try {
        await resize(before);
      } finally {
        await c.end();
      }
    },
  };
}

/** InnoDB's deadlock count (the whole server: other work on it counts too) and whether the latest one it recorded was in this database. */
export interface Deadlocks {
  count: number;
  latestHere: boolean;
  /** When the latest deadlock on the server was detected ('' if none since the server started). */
  latestAt: string;
}

export type StatementOrigin = 'click' | 'relay' | 'other';

const origin = new AsyncLocalStorage<StatementOrigin>();
let tagged = false;

/**
 * Tags what runs inside a chat event's handling (`BotRouter.handle` — for a card click: the inbox, the command and the
 * card read back for the answer) and inside an outbox drain (`OutboxRelay.drain`), by wrapping the two methods on their
 * classes (AsyncLocalStorage carries the tag through every await below them). Call it before the service starts: a
 * drain begun earlier would go untagged.
 */
export function tagStatementOrigins(
  router: { prototype: { handle: (e: never) => Promise<unknown> } },
  relay: { prototype: { drain: (batch?: number) => Promise<number> } },
): void {
  if (tagged) return;
  tagged = true;
  const handle = router.prototype.handle;
  router.prototype.handle = function (this: unknown, e: never) {
    return origin.run('click', () => handle.call(this, e));
  };
  const drain = relay.prototype.drain;
  relay.prototype.drain = function (this: unknown, batch?: number) {
    return origin.run('relay', () => drain.call(this, batch));
  };
}

/**
 * Counts every SQL statement the service sends through TypeORM (SET TRANSACTION, START TRANSACTION and COMMIT
 * included) by origin (tagStatementOrigins; 'other' is everything else: jobs, the bench's own reads), and the round
 * trips of the click's (clickTrips): a batched transaction (src/database/transaction.ts) sends several statements in
 * one, joined by BATCH_SEPARATOR, and its START TRANSACTION with its first. The DataSource's logger is replaced by one
 * that counts — TypeORM calls logQuery once per query it sends, whatever the logging option — and passes errors on.
 */
export function countStatements(ds: DataSource): () => Record<StatementOrigin | 'clickControl' | 'clickTrips', number> {
  // clickControl: those of the click's statements that only open, mark or end its transaction.
  const counts: Record<StatementOrigin | 'clickControl' | 'clickTrips', number> = { click: 0, clickControl: 0, clickTrips: 0, relay: 0, other: 0 };
  const control = /^\s*(SET TRANSACTION|START TRANSACTION|BEGIN|SAVEPOINT|RELEASE SAVEPOINT|ROLLBACK|COMMIT)\b/i;
  const previous = ds.logger;
  const counting: OrmLogger = {
    logQuery: (query: string) => {
      const o = origin.getStore() ?? 'other';
      const statements = query.split(BATCH_SEPARATOR);
      counts[o] += statements.length;
      if (o === 'click') {
        counts.clickTrips++;
        counts.clickControl += statements.filter((q) => control.test(q)).length;
      }
    },
    logQueryError: (...a) => previous.logQueryError(...a),
    logQuerySlow: (...a) => previous.logQuerySlow(...a),
    logSchemaBuild: (...a) => previous.logSchemaBuild(...a),
    logMigration: (...a) => previous.logMigration(...a),
    log: (...a) => previous.log(...a),
  };
  (ds as { logger: OrmLogger }).logger = counting;
  return () => ({ ...counts });
}

/**
 * CPU time from here on (issue 17): this process's (the service, and the fakes and the bench that run in it) and the
 * database server's, when it runs on this machine and /proc shows it (its pid from /run/mysqld/mysqld.pid, or
 * BENCH_MYSQLD_PID). The server's figure counts every database's work, other benches' and tests' included.
 */
export function cpuFromHere(): () => { nodeMs: number; serverMs: number | null } {
  const server = (): number | null => {
    try {
      const pid = process.env.BENCH_MYSQLD_PID ?? readFileSync('/run/mysqld/mysqld.pid', 'utf8').trim();
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime + stime, in clock ticks of 10 ms
    } catch {
      return null;
    }
  };
  const node0 = process.cpuUsage();
  const server0 = server();
  return () => {
    const node = process.cpuUsage(node0);
    const s = server();
    return { nodeMs: (node.user + node.system) / 1000, serverMs: s === null || server0 === null ? null : s - server0 };
  };
}

/** `f` timed, with the peak RSS sampled every `everyMs` while it runs (and once at the end). */
export async function measured<T>(f: () => Promise<T>, everyMs = 20): Promise<{ value: T; ms: number; peakRss: number }> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), everyMs);
  const t0 = performance.now();
  try {
    const value = await f();
    return { value, ms: performance.now() - t0, peakRss: Math.max(peak, process.memoryUsage().rss) };
  } finally {
    clearInterval(timer);
  }
}
