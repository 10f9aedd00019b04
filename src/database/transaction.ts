import { AsyncLocalStorage } from 'node:async_hooks';
import type { DataSource, EntityManager } from 'typeorm';

const RETRYABLE = new Set(['ER_LOCK_DEADLOCK', 'ER_LOCK_WAIT_TIMEOUT', 'SQLITE_BUSY']);
const retryable = (e: unknown): boolean => {
  const err = e as { code?: string; driverError?: { code?: string } };
  return RETRYABLE.has(err?.code ?? '') || RETRYABLE.has(err?.driverError?.code ?? '');
};

/** The transaction the current async call chain is inside, if any. */
const current = new AsyncLocalStorage<EntityManager>();

/**
 * One transaction; a deadlock victim (InnoDB rolls it back whole) is simply run again, a few times,
 * so two people clicking at once both get an answer instead of a database error.
 *
 * Called inside another inTransaction (a chat event stores its inbox row and runs the command it carries),
 * the work runs in a SAVEPOINT of the outer transaction: a refused command undoes only its own writes, and
 * the inbox row, the reply and the command's effect still commit together or not at all.
 */
export async function inTransaction<T>(db: DataSource, work: (em: EntityManager) => Promise<T>, attempts = 3): Promise<T> {
  const outer = current.getStore();
  if (outer) return outer.transaction((em) => current.run(em, () => work(em)));
  for (let i = 1; ; i++) {
    try {
      return await db.transaction((em) => current.run(em, () => work(em)));
    } catch (e) {
      if (i >= attempts || !retryable(e)) throw e;
      await new Promise((r) => setTimeout(r, 10 * i + Math.random() * 20));
    }
  }
}
