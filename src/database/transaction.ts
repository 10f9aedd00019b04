import { AsyncLocalStorage } from 'node:async_hooks';
import type { DataSource, EntityManager } from 'typeorm';

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
  const level = isolation && ['mysql', 'mariadb'].includes(db.options.type) ? isolation : undefined;
  for (let i = 1; ; i++) {
    try {
      const run = (em: EntityManager) => {
        if (o.inner === 'join') joining.add(em);
        return current.run(em, () => work(em));
      };
      return await inTurn(db, () => (level ? db.transaction(level, run) : db.transaction(run)));
    } catch (e) {
      if (i >= attempts || !retryable(e)) throw e;
      await new Promise((r) => setTimeout(r, 10 * i + Math.random() * 20));
    }
  }
}
