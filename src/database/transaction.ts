import type { DataSource, EntityManager } from 'typeorm';

const RETRYABLE = new Set(['ER_LOCK_DEADLOCK', 'ER_LOCK_WAIT_TIMEOUT', 'SQLITE_BUSY']);
const retryable = (e: unknown): boolean => {
  const err = e as { code?: string; driverError?: { code?: string } };
  return RETRYABLE.has(err?.code ?? '') || RETRYABLE.has(err?.driverError?.code ?? '');
};

/**
 * One transaction; a deadlock victim (InnoDB rolls it back whole) is simply run again, a few times,
 * so two people clicking at once both get an answer instead of a database error.
 */
export async function inTransaction<T>(db: DataSource, work: (em: EntityManager) => Promise<T>, attempts = 3): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await db.transaction(work);
    } catch (e) {
      if (i >= attempts || !retryable(e)) throw e;
      await new Promise((r) => setTimeout(r, 10 * i + Math.random() * 20));
    }
  }
}
