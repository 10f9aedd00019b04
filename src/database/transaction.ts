import { AsyncLocalStorage } from 'node:async_hooks';
import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import type { IsolationLevel } from 'typeorm/driver/types/IsolationLevel';
import { QueryResult } from 'typeorm/query-runner/QueryResult';

const RETRYABLE = new Set(['ER_LOCK_DEADLOCK', 'ER_LOCK_WAIT_TIMEOUT', 'SQLITE_BUSY']);
const retryable = (e: unknown): boolean => {
  const err = e as { code?: string; driverError?: { code?: string } };
  return RETRYABLE.has(err?.code ?? '') || RETRYABLE.has(err?.driverError?.code ?? '');
};

export interface TransactionOptions {
  attempts?: number;
  /**
   * READ COMMITTED for commands (issue 11): a command locks its item row and only then reads, and every read must see
   * what was committed before the lock was granted. Under REPEATABLE READ, InnoDB fixes a transaction's snapshot at its
   * first plain read — in a chat event that is the identity lookup, before the lock — so a command that waited for the
   * lock would still see the item's other rows (units, requests, sibling items) as they were before it waited.
   * Ignored inside an outer transaction (the outer one's level applies) and on SQLite.
   */
  isolation?: 'READ COMMITTED';
  /**
   * Issue 17: 'join' — transactions begun inside this one run in it directly, without a SAVEPOINT of their own, so a
   * failure in one of them rolls back everything. For a caller that handles a refusal by rolling back and recording it
   * in a transaction of its own (a chat event), it saves the two statements of a savepoint on every success.
   */
  inner?: 'savepoint' | 'join';
  /**
   * Issue 17: writes whose outcome the work does not wait for (holdStatement) are sent with the transaction's next
   * statement, or with its COMMIT, in one round trip; its START TRANSACTION goes with its first statement. MySQL/MariaDB
   * only (a connection that accepts several statements at once); elsewhere every statement runs when it is made.
   */
  batch?: boolean;
}

/** Outer transactions whose inner ones join them (TransactionOptions.inner). */
const joining = new WeakSet<EntityManager>();

/** The transaction the current async call chain is inside, if any. */
const current = new AsyncLocalStorage<EntityManager>();

/**
 * The transaction the current call chain is inside, if any: a read made while a chat event's transaction holds its
 * connection (and perhaps an item lock) must use it — asking the pool for a second connection can wait for ever when
 * every connection is held by a transaction waiting for that lock.
 */
export const currentManager = (): EntityManager | undefined => current.getStore();

/**
 * SQLite (the embedded database of `npm start`) has one connection per process, so a second BEGIN while a transaction
 * is open fails (「cannot start a transaction within a transaction」) and any other statement would run inside the open
 * one. Top-level transactions on SQLite therefore take turns: each waits for the one before it to end.
 */
const turns = new WeakMap<DataSource, Promise<unknown>>();
function inTurn<T>(db: DataSource, run: () => Promise<T>): Promise<T> {
  if (db.options.type !== 'better-sqlite3') return run();
  const before = turns.get(db) ?? Promise.resolve();
  const mine = before.then(run, run);
  turns.set(
    db,
    mine.then(
      () => undefined,
      () => undefined,
    ),
  );
  return mine;
}

/**
 * One transaction; a deadlock victim (InnoDB rolls it back whole) is simply run again, a few times,
 * so two people clicking at once both get an answer instead of a database error.
 *
 * Called inside another inTransaction, the work runs in a SAVEPOINT of the outer transaction: a failure undoes only
 * its own writes. Unless the outer one said `inner: 'join'` (a chat event, issue 17): then it runs in the outer
 * transaction itself, and a failure rolls back the whole.
 */
export async function inTransaction<T>(db: DataSource, work: (em: EntityManager) => Promise<T>, opts: number | TransactionOptions = 3): Promise<T> {
  const o: TransactionOptions = typeof opts === 'number' ? { attempts: opts } : opts;
  const attempts = o.attempts ?? 3;
  const isolation = o.isolation;
  const outer = current.getStore();
  if (outer) return joining.has(outer) ? work(outer) : outer.transaction((em) => current.run(em, () => work(em)));
  // Only MySQL/MariaDB know the level; SQLite has one writer at a time and always reads what was committed.
  const mysql = ['mysql', 'mariadb'].includes(db.options.type);
  for (let i = 1; ; i++) {
    try {
      const run = (em: EntityManager) => {
        if (o.inner === 'join') joining.add(em);
        return current.run(em, () => work(em));
      };
      return await inTurn(db, () => (mysql ? mysqlTransaction(db, isolation, run, o.batch === true) : db.transaction(run)));
    } catch (e) {
      if (i >= attempts || !retryable(e)) throw e;
      await new Promise((r) => setTimeout(r, 10 * i + Math.random() * 20));
    }
  }
}

/**
 * Issue 17: MySQL/MariaDB connections of this process whose session runs READ COMMITTED. A READ COMMITTED transaction on
 * one of them needs no `SET TRANSACTION ISOLATION LEVEL` of its own (a statement, a round trip, on every chat event);
 * a transaction that names no level runs REPEATABLE READ, InnoDB's default and what those transactions were written
 * for, and says so on such a connection (`SET TRANSACTION` applies to the next transaction only; the session stays).
 * A connection the pool opens is set when it opens (sessionsReadCommitted); one opened before (the pool's first) on its
 * first READ COMMITTED transaction. Outside inTransaction — autocommit statements, TypeORM's own save() transactions —
 * a statement may run under either level; those are single statements or lock what they write, and see the same.
 * Not used when the pool resets connections on release (mysql2 `resetOnRelease`): the session's level would go with it.
 */
const readCommitted = new WeakSet<object>();
const SESSION_READ_COMMITTED = 'SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED';
const hooked = new WeakSet<DataSource>();

interface PooledConnection {
  query(sql: string, cb: (err: unknown) => void): unknown;
  destroy(): void;
  promise?: (promiseImpl?: unknown) => unknown;
}

/**
 * Issue 17: TypeORM runs every statement through `connection.promise().query(…)`, and mysql2's PoolConnection#promise()
 * require()s its wrapper's module and builds a new wrapper (an EventEmitter with two listeners) each time — 3–4 % of a
 * card click's CPU in the service. The wrapper holds nothing but the connection, so each connection keeps one.
 */
function oneWrapper(c: PooledConnection): void {
  const make = c.promise;
  if (typeof make !== 'function' || (make as { kept?: true }).kept) return;
  let wrapper: unknown;
  const kept = (promiseImpl?: unknown) => (promiseImpl !== undefined ? make.call(c, promiseImpl) : (wrapper ??= make.call(c)));
  c.promise = Object.assign(kept, { kept: true as const });
}
interface EventPool {
  on(event: 'connection', listener: (c: PooledConnection) => void): unknown;
}

const sessionsKept = (db: DataSource): boolean => !(db.options as { extra?: { resetOnRelease?: boolean } }).extra?.resetOnRelease;

/** From now on every connection the pool opens runs READ COMMITTED from its first statement on. */
function sessionsReadCommitted(db: DataSource): void {
  if (hooked.has(db)) return;
  hooked.add(db);
  const pool = (db.driver as { pool?: Partial<EventPool> }).pool;
  if (typeof pool?.on !== 'function') return;
  pool.on('connection', (c: PooledConnection) => {
    oneWrapper(c);
    // Queued before anything the pool's caller sends on it (mysql2 runs a connection's commands in order).
    readCommitted.add(c);
    c.query(SESSION_READ_COMMITTED, (err) => {
      if (!err) return;
      readCommitted.delete(c);
      c.destroy(); // its caller's statements then fail as on a broken connection (a passing fault: tried again)
    });
  });
}

/** DataSource.transaction on MySQL/MariaDB, with the level set as the connection's session needs it (above). */
async function mysqlTransaction<T>(
  db: DataSource,
  isolation: TransactionOptions['isolation'],
  run: (em: EntityManager) => Promise<T>,
  batch: boolean,
): Promise<T> {
  const keep = sessionsKept(db);
  if (keep) sessionsReadCommitted(db);
  const runner = db.createQueryRunner();
  if (batch && acceptsBatches(db)) batchOn(runner);
  try {
    const connection = (await runner.connect()) as object;
    const session = readCommitted.has(connection);
    if (!session) oneWrapper(connection as PooledConnection); // one opened before the pool's hook
    let level: IsolationLevel | undefined;
    if (isolation === 'READ COMMITTED' && !session) {
      if (keep) {
        await runner.query(SESSION_READ_COMMITTED);
        readCommitted.add(connection);
      } else level = 'READ COMMITTED';
    } else if (!isolation && session) level = 'REPEATABLE READ';
    await runner.startTransaction(level);
    const result = await run(runner.manager);
    await runner.commitTransaction();
    return result;
  } catch (e) {
    try {
      await runner.rollbackTransaction();
    } catch {
      // not begun, or the connection is gone: the error that brought us here is the one to report
    }
    throw e;
  } finally {
    await runner.release();
  }
}

/**
 * Issue 17: several statements in one round trip. A card click made 8 round trips to the server (BEGIN, the item's lock,
 * the report, the item, the timeline line, the inbox row, the notices, COMMIT); writing each small packet to the socket
 * was a fifth of the click's CPU in the service (the kernel's loopback path and waking the server's thread, per packet),
 * and each cost the server a wake-up too. Statements are joined by BATCH_SEPARATOR; the results come back one per
 * statement. The server stops at the first statement that fails and reports its error: the transaction then rolls back
 * as for any failed statement.
 */
export const BATCH_SEPARATOR = ';\n';

/** What a held statement needs once it has run: its check (before COMMIT) and who to tell. */
interface Held {
  sql: string;
  params: unknown[];
  /** Throws when the statement's result is not what the work assumed (an UPDATE's version guard). */
  check?: (result: { affectedRows?: number }) => void;
  after?: () => Promise<void>;
}
const holding = new WeakMap<QueryRunner, Held[]>();

/** The pool's connections accept several statements in one query (src/database/data-source.ts: multipleStatements). */
const acceptsBatches = (db: DataSource): boolean => (db.options as { multipleStatements?: boolean }).multipleStatements === true;

/**
 * Holds a write back on `runner`'s transaction when it batches (TransactionOptions.batch): it is sent before or with the
 * transaction's next statement, and at the latest with its COMMIT — never after. `check` runs on its result before the
 * transaction commits (a held statement with a check is not sent with the COMMIT itself); `after` once it has run.
 * Returns false when the transaction does not batch: the caller runs the statement itself, now.
 */
export function holdStatement(runner: QueryRunner | undefined, statement: Held): boolean {
  const held = runner ? holding.get(runner) : undefined;
  if (!held) return false;
  held.push(statement);
  return true;
}

/** Whether `runner`'s transaction holds writes back (TransactionOptions.batch). */
export const batching = (runner: QueryRunner | undefined): boolean => runner !== undefined && holding.has(runner);

const OK_PACKET = Object.freeze({ affectedRows: 0, insertId: 0, warningStatus: 0 });

/** Makes `runner` send held statements with the next one (above); its START TRANSACTION is held like a write. */
function batchOn(runner: QueryRunner): void {
  const held: Held[] = [];
  holding.set(runner, held);
  const send = runner.query.bind(runner) as (q: string, p?: unknown[], structured?: boolean) => Promise<QueryResult>;
  const flush = async (query: string | null, parameters: unknown[] | undefined): Promise<QueryResult> => {
    const batch = held.splice(0, held.length);
    const statements = [...batch.map((h) => h.sql), ...(query === null ? [] : [query])];
    const all = await send(statements.join(BATCH_SEPARATOR), [...batch.flatMap((h) => h.params), ...(parameters ?? [])], true);
    // One statement answers with its own result; several with one result each.
    const results = (statements.length === 1 ? [all.raw] : all.raw) as unknown[];
    for (let i = 0; i < batch.length; i++) batch[i].check?.(results[i] as { affectedRows?: number });
    for (const h of batch) await h.after?.();
    const last = results[results.length - 1] as { affectedRows?: number } | unknown[];
    const result = new QueryResult();
    result.raw = last;
    result.records = Array.isArray(last) ? last : [];
    if (!Array.isArray(last) && typeof last?.affectedRows === 'number') result.affected = last.affectedRows;
    return result;
  };
  const batched = async (query: string, parameters?: unknown[], structured?: boolean): Promise<unknown> => {
    if (query === 'START TRANSACTION') {
      held.push({ sql: query, params: [] });
      return structured ? Object.assign(new QueryResult(), { raw: OK_PACKET, records: [] }) : OK_PACKET;
    }
    // A rollback forgets what was held: none of it was sent (a START TRANSACTION not sent leaves nothing to roll back).
    if (query === 'ROLLBACK') held.length = 0;
    if (held.length === 0) return send(query, parameters, structured);
    // The checks of held statements must pass before anything commits: those go in a round trip of their own first.
    if (query === 'COMMIT' && held.some((h) => h.check)) await flush(null, undefined);
    const result = held.length === 0 ? await send(query, parameters, true) : await flush(query, parameters);
    return structured ? result : result.raw;
  };
  runner.query = batched as QueryRunner['query'];
}
