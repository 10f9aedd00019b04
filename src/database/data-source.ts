import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from './migrations';
import { SnakeNamingStrategy } from './snake-naming.strategy';

/** The entity classes the data source maps (the app's list, src/app.entities.ts). */
export type EntityList = NonNullable<DataSourceOptions['entities']>;

/**
 * One place that turns DATABASE_URL into TypeORM options.
 * `sqlite:./data/duban.sqlite` — the embedded default; `mysql://user:pass@host:3306/db` — MySQL 8 / MariaDB 10.6+.
 * Schema comes only from migrations (never `synchronize`). The entities are the app's (src/app.entities.ts): the
 * database folder imports no feature.
 */
export function connectionOptions(url: string, entities: EntityList): DataSourceOptions {
  const common = { entities, migrations: MIGRATIONS, namingStrategy: new SnakeNamingStrategy(), synchronize: false, logging: false } as const;
  if (url.startsWith('sqlite:')) {
    const file = url.slice('sqlite:'.length) || './data/duban.sqlite';
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    return {
      ...common,
      type: 'better-sqlite3',
      database: file,
      // WAL lets the API read while a command writes; the busy timeout waits out a short lock instead of failing.
      prepareDatabase: (db: { pragma(s: string): unknown }) => {
        db.pragma('journal_mode = WAL');
        db.pragma('busy_timeout = 5000');
      },
    };
  }
  const u = new URL(url);
  return {
    ...common,
    type: u.protocol === 'mariadb:' ? 'mariadb' : 'mysql',
    host: u.hostname,
    port: Number(u.port || 3306),
    username: decodeURIComponent(u.username || 'root'),
    password: decodeURIComponent(u.password),
    database: u.pathname.replace(/^\//, '') || 'duban',
    charset: 'utf8mb4_unicode_ci',
    // Instants are stored as UTC; people see Asia/Shanghai at the edges.
    timezone: 'Z',
    // mysql2 captures a stack trace for every query by default ("long stack traces", for its own errors): about 8 % of a
    // card click's CPU (issue 17). TypeORM's QueryFailedError keeps the statement that failed and the caller's stack.
    trace: false,
    extra: { connectionLimit: Number(u.searchParams.get('pool') ?? 10) },
    // Issue 17: a chat event's transaction sends its writes in a few round trips, several statements in each
    // (src/database/transaction.ts, batch). Every value reaches SQL as a parameter, escaped by the driver — no statement
    // is built by pasting text in — so a value cannot add a statement of its own.
    multipleStatements: true,
    // `?socket=/run/mysqld/mysqld.sock`: the server's Unix socket instead of TCP when it runs on the same machine —
    // about half the cost of every statement on loopback TCP (issue 17: a click's socket writes were a fifth of its CPU).
    ...(u.searchParams.get('socket') ? { socketPath: u.searchParams.get('socket')! } : {}),
  };
}

export const isMysqlUrl = (url: string) => /^(mysql|mariadb):\/\//.test(url);
