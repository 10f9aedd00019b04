import type { QueryRunner } from 'typeorm';
import { FakeDingTalk } from '../../fakes/dingtalk';
import { OutboxMessage } from '../../src/outbox/outbox-message.entity';
import { OutboxRelay } from '../../src/outbox/outbox.relay';
import { OffsetClock } from '../../src/shared/clock';
import { dingtalkEnv } from '../support/platform-env';
import { startTestApp, TestApp } from '../support/test-app';

const APP = { clientId: 'dingclaim', clientSecret: 'dingclaim-secret-0123456789', robotCode: 'dingclaim' };

/** The relay's claim (private: the polling is switched off here and the test calls it at the moment it chooses). */
const claim = (t: TestApp, limit = 50) => (t.get(OutboxRelay) as unknown as { claim(n: number): Promise<OutboxMessage[]> }).claim(limit);

const row = (key: string, status: 'pending' | 'sent', dueAt: Date): Partial<OutboxMessage> => ({
  dedupeKey: key,
  kind: 'notice',
  target: 'group:1',
  platform: 'dingtalk',
  itemId: null,
  payload: {},
  status,
  attempts: 0,
  dueAt,
});

/**
 * Principle 2 / issue 17 (bug 3): a command writes its outbox rows while the relay claims others. The claim is a
 * locking read (FOR UPDATE SKIP LOCKED) followed by an UPDATE of what it found. Under REPEATABLE READ, InnoDB takes
 * next-key locks on everything the claim scans — on a small table the whole primary key up to its supremum, the gap
 * where every new row goes — and the claim's UPDATE then waited for a row a command had inserted but not committed,
 * while that command's next INSERT waited for the claim's gap lock: a deadlock (recorded in bench:callbacks, the
 * command retried). The claim must neither lock the gap new rows go into nor wait for a command's uncommitted row.
 */
describe('the outbox claim and commands writing outbox rows at the same time (MariaDB)', () => {
  let fake: FakeDingTalk;
  let t: TestApp;
  let command: QueryRunner | undefined;

  beforeAll(async () => {
    fake = await FakeDingTalk.start({ ...APP });
    // Polling once an hour: after its first (empty) drain at start, the relay claims only when the test says so.
    t = await startTestApp({ clock: new OffsetClock(), env: { ...dingtalkEnv(fake, APP), DUBAN_OUTBOX_POLL_MS: '3600000' } });
  });
  afterAll(async () => {
    if (command && !command.isReleased) await command.release();
    await t?.close();
    await fake?.stop();
  });

  /** Transactions of this test's database waiting for a lock now, with what they run. */
  const lockWaits = async (): Promise<string[]> =>
    (
      await t.db.query<{ q: string | null }[]>(
        `SELECT x.trx_query AS q FROM information_schema.INNODB_TRX x JOIN information_schema.PROCESSLIST p ON p.ID = x.trx_mysql_thread_id
          WHERE x.trx_state = 'LOCK WAIT' AND p.DB = DATABASE()`,
      )
    ).map((r) => r.q ?? '');

  const insertRow = (qr: QueryRunner, key: string, dueAt: Date) =>
    qr.query(
      `INSERT INTO outbox_message (dedupe_key, kind, target, platform, item_id, payload, status, attempts, due_at)
       VALUES (?, 'notice', 'group:1', 'dingtalk', NULL, '{}', 'pending', 0, ?)`,
      [key, dueAt],
    );

  it('a claim while a command has written one row and not committed: the claim takes the committed rows without waiting, and the command writes its next row — no deadlock', async () => {
    const now = new Date(Date.now() - 1000);
    const repo = t.db.getRepository(OutboxMessage);
    // What a busy outbox looks like: rows sent already, and a few due now.
    await repo.save([
      ...Array.from({ length: 10 }, (_, i) => row(`test:sent:${i}`, 'sent', now)),
      ...Array.from({ length: 5 }, (_, i) => row(`test:due:${i}`, 'pending', now)),
    ]);
    const due = (await repo.findBy({ status: 'pending' })).map((r) => r.id).sort((a, b) => a - b);

    // A command (READ COMMITTED, as commands run) has queued its first message and not committed yet.
    command = t.db.createQueryRunner();
    await command.connect();
    await command.startTransaction('READ COMMITTED');
    await insertRow(command, 'test:cmd:first', now);

    // The relay claims meanwhile. It must finish on its own, while the command is still open.
    let waited: string[] = [];
    let claimed: OutboxMessage[] | undefined;
    const claiming = claim(t).then((rows) => (claimed = rows));
    const started = Date.now();
    while (!claimed && Date.now() - started < 5000) {
      const w = await lockWaits();
      if (w.length) {
        waited = w;
        break;
      }
      await new Promise((r) => setTimeout(r, 20));
    }

    // The command queues its second message: it must not meet a lock of the claim's.
    let second: unknown = null;
    await insertRow(command, 'test:cmd:second', now).catch((e: unknown) => (second = e));
    if (!second) await command.commitTransaction();
    else await command.rollbackTransaction().catch(() => undefined);
    await command.release();
    await claiming;

    expect({ waited, secondInsert: second ? String((second as Error).message) : 'ok' }).toEqual({ waited: [], secondInsert: 'ok' });
    // The claim took exactly the committed due rows — not the command's uncommitted one (it was skipped, not waited for).
    expect(claimed!.map((r) => r.id).sort((a, b) => a - b)).toEqual(due);
    // The command's two rows are there and free: the next claim takes them.
    const next = await claim(t);
    expect(next.map((r) => r.dedupeKey).sort()).toEqual(['test:cmd:first', 'test:cmd:second']);
  });

  it('two claims at once never take the same row', async () => {
    const ids = await dueRows(t, 'race');
    const [a, b] = await Promise.all([claim(t, 20), claim(t, 20)]);
    const got = [...a, ...b].map((r) => r.id);
    expect(new Set(got).size).toBe(got.length);
    expect(got.sort((x, y) => x - y)).toEqual(ids);
    expect(await claim(t)).toHaveLength(0);
  });
});

/** The same claim on the embedded SQLite file `npm start` uses (no row locks, no isolation levels: one writer at a time). */
describe('the outbox claim on SQLite', () => {
  let fake: FakeDingTalk;
  let t: TestApp;
  beforeAll(async () => {
    fake = await FakeDingTalk.start({ ...APP });
    t = await startTestApp({ database: 'sqlite', clock: new OffsetClock(), env: { ...dingtalkEnv(fake, APP), DUBAN_OUTBOX_POLL_MS: '3600000' } });
  });
  afterAll(async () => {
    await t?.close();
    await fake?.stop();
  });

  // One drain at a time per instance, and one instance per file: claims follow each other.
  it('claims take every due row once, and rows written between claims come next', async () => {
    const ids = await dueRows(t, 'first');
    const a = await claim(t, 20);
    const later = await dueRows(t, 'later');
    const b = await claim(t, 20);
    const c = await claim(t, 20);
    expect(a.map((r) => r.id)).toEqual(ids.slice(0, 20));
    expect([...b, ...c].map((r) => r.id)).toEqual([...ids.slice(20), ...later]);
    expect(await claim(t)).toHaveLength(0);
  });
});

/** 30 rows due now, written in order; their ids, ascending. */
async function dueRows(t: TestApp, tag: string): Promise<number[]> {
  const now = new Date(Date.now() - 1000);
  const saved = await t.db.getRepository(OutboxMessage).save(Array.from({ length: 30 }, (_, i) => row(`test:${tag}:${i}`, 'pending', now)));
  return saved.map((r) => r.id).sort((a, b) => a - b);
}
