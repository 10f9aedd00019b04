import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/app.data-source';
import { inTransaction } from '../../src/database/transaction';
import { countStatements } from '../support/statements';
import { createTestDatabase } from '../support/test-db';

/**
 * Issue 17: a READ COMMITTED transaction on MariaDB no longer sends its own `SET TRANSACTION ISOLATION LEVEL` — the
 * pool's connections run READ COMMITTED for their whole session — while a transaction that names no level still runs
 * REPEATABLE READ (InnoDB's default, what those transactions were written for). Checked by what each transaction sees
 * of a row another connection changes between two of its reads, and by the statements sent.
 */
describe('transaction isolation on MariaDB (issue 17)', () => {
  let ds: DataSource;
  let drop: () => Promise<void>;
  let sent: ReturnType<typeof countStatements>;

  beforeAll(async () => {
    const db = await createTestDatabase();
    drop = db.drop;
    ds = await new DataSource({ ...dataSourceOptions(db.url), entities: [], migrations: [] }).initialize();
    sent = countStatements(ds);
    await ds.query('CREATE TABLE probe (id INT PRIMARY KEY, v INT NOT NULL) ENGINE=InnoDB');
    await ds.query('INSERT INTO probe VALUES (1, 0)');
  });
  afterAll(async () => {
    await ds?.destroy();
    await drop?.();
  });

  const read = async (q: { query: (s: string) => Promise<{ v: number }[]> }) => Number((await q.query('SELECT v FROM probe WHERE id = 1'))[0].v);
  /** Reads the row, lets another connection change it and commit, reads it again. */
  const twoReads = (opts: { isolation?: 'READ COMMITTED' }) =>
    inTransaction(
      ds,
      async (em) => {
        const before = await read(em);
        await ds.query('UPDATE probe SET v = v + 1 WHERE id = 1'); // another pool connection, autocommit
        return { before, after: await read(em) };
      },
      opts,
    );

  it('READ COMMITTED transactions see what others committed, with at most one SET per connection and none per transaction', async () => {
    sent.reset();
    for (let i = 0; i < 6; i++) {
      const { before, after } = await twoReads({ isolation: 'READ COMMITTED' });
      expect(after).toBe(before + 1);
    }
    const transactions = sent.count(/^START TRANSACTION/i);
    const sets = sent.count(/^SET\b/i);
    expect(transactions).toBe(6);
    // The pool here has at most two connections in use (the transaction's and the other writer's).
    expect(sets).toBeLessThanOrEqual(2);
  });

  it('a transaction that names no level still reads as REPEATABLE READ, on a connection that has run READ COMMITTED ones', async () => {
    for (let i = 0; i < 3; i++) {
      const { before, after } = await twoReads({});
      expect(after).toBe(before);
    }
    // And READ COMMITTED again after it.
    const { before, after } = await twoReads({ isolation: 'READ COMMITTED' });
    expect(after).toBe(before + 1);
  });
});
