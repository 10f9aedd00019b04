import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { inTransaction } from '../../src/database/transaction';

/**
 * The embedded database `npm start` uses has one connection for the whole process. Two transactions begun at once —
 * a person's command while the outbox relay claims its rows — must both commit, one after the other, instead of the
 * second failing with 「cannot start a transaction within a transaction」 (and its work being lost).
 */
describe('SQLite: transactions begun at the same time (nothing lost)', () => {
  let dir: string;
  let db: DataSource;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'duban-sqlite-tx-'));
    db = new DataSource({ type: 'better-sqlite3', database: join(dir, 'tx.sqlite') });
    await db.initialize();
    await db.query('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)');
  });

  afterAll(async () => {
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  const write = (n: number) =>
    inTransaction(db, async (em) => {
      await em.query('INSERT INTO t (v) VALUES (?)', [`first ${n}`]);
      await new Promise((r) => setTimeout(r, 20));
      await em.query('INSERT INTO t (v) VALUES (?)', [`second ${n}`]);
    });

  it('ten at once all commit, each whole', async () => {
    await Promise.all(Array.from({ length: 10 }, (_, i) => write(i)));
    const rows: { v: string }[] = await db.query('SELECT v FROM t ORDER BY id');
    expect(rows).toHaveLength(20);
    // One after the other: each transaction's two rows sit together.
    for (let i = 0; i < 20; i += 2) expect(rows[i + 1].v.replace('second', 'first')).toBe(rows[i].v);
  });

  it('a refused transaction rolls back alone and the next one still runs', async () => {
    const refused = inTransaction(db, async (em) => {
      await em.query('INSERT INTO t (v) VALUES (?)', ['refused']);
      await new Promise((r) => setTimeout(r, 20));
      throw new Error('refused');
    });
    const kept = write(99);
    await expect(refused).rejects.toThrow('refused');
    await kept;
    const rows: { v: string }[] = await db.query("SELECT v FROM t WHERE v IN ('refused', 'first 99', 'second 99')");
    expect(rows.map((r) => r.v).sort()).toEqual(['first 99', 'second 99']);
  });

  it('a transaction inside another runs in it (a savepoint), not after it', async () => {
    await inTransaction(db, async (em) => {
      await em.query('INSERT INTO t (v) VALUES (?)', ['outer']);
      await inTransaction(db, (inner) => inner.query('INSERT INTO t (v) VALUES (?)', ['inner']));
    });
    const rows: { v: string }[] = await db.query("SELECT v FROM t WHERE v IN ('outer', 'inner')");
    expect(rows).toHaveLength(2);
  });
});
