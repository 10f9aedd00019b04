import { DataSource, type EntityManager, type EntitySubscriberInterface } from 'typeorm';
import { InboxEvent } from '../../src/chat/inbox/inbox-event.entity';
import { insertRows, insertRowsLater, updateWhereLater } from '../../src/database/plain-sql';
import { inTransaction } from '../../src/database/transaction';
import { countStatements } from '../support/statements';
import { migratedDataSource } from '../support/test-db';

/**
 * Issue 17: a batched transaction (a chat event's) sends its START TRANSACTION with its first statement and the writes
 * it does not wait for (insertRowsLater, updateWhereLater) with its next statement or its COMMIT — several statements
 * per round trip — and still behaves as one transaction of single statements: it reads its own writes, a held write
 * that fails rolls back everything, a held UPDATE whose guard fails never commits, a rollback sends nothing held, and
 * the subscribers that watch a table are told. Real MariaDB.
 */
describe('batched transactions on MariaDB (issue 17)', () => {
  let ds: DataSource;
  let close: () => Promise<void>;
  let sent: ReturnType<typeof countStatements>;
  const told: string[] = [];
  let seq = 0;

  beforeAll(async () => {
    ({ ds, close } = await migratedDataSource());
    sent = countStatements(ds);
    const watcher: EntitySubscriberInterface = {
      afterInsert: (e) => void told.push(`insert ${e.metadata.tableName}`),
      afterUpdate: (e) => void told.push(`update ${e.metadata.tableName}`),
    };
    ds.subscribers.push(watcher);
  });
  afterAll(async () => close?.());

  const row = (eventId: string) => ({ platform: 'dingtalk', eventId, kind: 'card' as const, personId: null, outcome: null });
  const stored = async (eventId: string) => (await ds.getRepository(InboxEvent).findOneBy({ platform: 'dingtalk', eventId })) !== null;
  const fresh = () => `batch-${++seq}`;
  const batched = <T>(work: (em: EntityManager) => Promise<T>) => inTransaction(ds, work, { batch: true });

  it('sends START TRANSACTION with the first statement and held writes with the COMMIT: two round trips for a read and two writes', async () => {
    const [a, b] = [fresh(), fresh()];
    sent.reset();
    told.length = 0;
    await inTransaction(
      ds,
      async (em) => {
        await em.query('SELECT 1');
        await insertRowsLater(em, InboxEvent, [row(a)]);
        await insertRowsLater(em, InboxEvent, [row(b)]);
      },
      { isolation: 'READ COMMITTED', batch: true },
    );
    // (A connection's first READ COMMITTED transaction sets its session once: not counted.)
    const trips = sent.trips().filter((t) => !/^SET SESSION/.test(t[0]));
    expect(trips.map((t) => t.map((q) => q.split(' ')[0]))).toEqual([
      ['START', 'SELECT'],
      ['INSERT', 'INSERT', 'COMMIT'],
    ]);
    expect(await stored(a)).toBe(true);
    expect(await stored(b)).toBe(true);
    // The subscribers heard both inserts (the 台账's counts and the directory cache listen this way).
    expect(told.filter((t) => t === 'insert inbox_event')).toHaveLength(2);
  });

  it('a read in the transaction sees the writes held before it (they go with it, in order)', async () => {
    const a = fresh();
    const seen = await batched(async (em) => {
      await insertRowsLater(em, InboxEvent, [row(a)]);
      return Number((await em.query('SELECT COUNT(*) AS n FROM inbox_event WHERE event_id = ?', [a]))[0].n);
    });
    expect(seen).toBe(1);
  });

  it('a held write that fails at COMMIT rolls back the whole transaction, the writes sent before it included', async () => {
    const [a, b] = [fresh(), fresh()];
    await insertRows(ds.manager, InboxEvent, [row(b)]);
    await expect(
      batched(async (em) => {
        await insertRows(em, InboxEvent, [row(a)]); // sent at once
        await insertRowsLater(em, InboxEvent, [row(b)]); // clashes with the row above, at COMMIT
      }),
    ).rejects.toMatchObject({ driverError: { code: 'ER_DUP_ENTRY' } });
    expect(await stored(a)).toBe(false);
  });

  it('a held UPDATE whose guard fails throws before anything commits, even when COMMIT is what comes next', async () => {
    const a = fresh();
    const b = fresh();
    await insertRows(ds.manager, InboxEvent, [row(a)]);
    sent.reset();
    await expect(
      batched(async (em) => {
        await insertRowsLater(em, InboxEvent, [row(b)]);
        // No such row: 0 changed, 1 expected.
        await updateWhereLater(em, InboxEvent, { outcome: 'changed' }, { platform: 'dingtalk', eventId: 'no-such-event' }, 1, () => new Error('guard failed'));
        await updateWhereLater(em, InboxEvent, { outcome: 'changed' }, { platform: 'dingtalk', eventId: a }, 1, () => new Error('guard failed'));
      }),
    ).rejects.toThrow('guard failed');
    expect(await stored(b)).toBe(false);
    expect((await ds.getRepository(InboxEvent).findOneByOrFail({ platform: 'dingtalk', eventId: a })).outcome).toBeNull();
    // The guarded writes went in a round trip of their own, and no COMMIT was sent.
    expect(sent.count(/^COMMIT$/)).toBe(0);
  });

  it('a transaction that fails before its COMMIT sends none of what it held', async () => {
    const a = fresh();
    sent.reset();
    await expect(
      batched(async (em) => {
        await insertRowsLater(em, InboxEvent, [row(a)]);
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    expect(sent.count(/^INSERT/)).toBe(0);
    expect(await stored(a)).toBe(false);
  });

  it('without batch, each statement is its own round trip (the held forms run at once)', async () => {
    const a = fresh();
    sent.reset();
    await inTransaction(ds, async (em) => {
      await insertRowsLater(em, InboxEvent, [row(a)]);
      expect(await stored(a)).toBe(false); // another connection: not committed yet — but sent
      expect(sent.trips().some((t) => t.length === 1 && t[0].startsWith('INSERT'))).toBe(true);
    });
    expect(sent.trips().every((t) => t.length === 1)).toBe(true);
    expect(await stored(a)).toBe(true);
  });
});
