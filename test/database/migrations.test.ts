import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/app.data-source';
import { ENTITIES } from '../../src/app.entities';
import { Item } from '../../src/cases/item.entity';
import { Reminder } from '../../src/reminders/reminder.entity';
import { createTestDatabase } from '../support/test-db';

const TABLES = [
  'api_token',
  'bulletin',
  'bulletin_chart',
  'bulletin_event',
  'callback_signature',
  'card_instance',
  'chat_group',
  'chat_proposal',
  'clue',
  'clue_event',
  'console_session',
  'document',
  'holiday_override',
  'inbox_event',
  'inbox_failure',
  'item',
  'item_event',
  'item_request',
  'item_unit',
  'login_code',
  'number_sequence',
  'org_change',
  'outbox_message',
  'person',
  'person_identity',
  'rate_window',
  'reminder',
  'reminder_policy',
  'report',
  'role_grant',
  'score_line',
  'score_table',
  'setting',
  'unit',
];

async function tablesOf(ds: DataSource): Promise<string[]> {
  const names =
    ds.options.type === 'better-sqlite3'
      ? ((await ds.query("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")) as { name: string }[]).map((r) => r.name)
      : ((await ds.query('SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE()')) as { name: string }[]).map((r) => r.name);
  return names.filter((n) => n !== 'migrations').sort();
}

/** Issue 3 §2: one set of migrations, up and down, on MariaDB and on SQLite — and the entities agree with them. */
describe.each(['mariadb', 'sqlite'] as const)('migrations on %s', (kind) => {
  let ds: DataSource;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    if (kind === 'mariadb') {
      const db = await createTestDatabase();
      // mariadb:// tells TypeORM the server is MariaDB (it reads column defaults differently from MySQL).
      ds = await new DataSource(dataSourceOptions(db.url.replace(/^mysql:/, 'mariadb:'))).initialize();
      cleanup = db.drop;
    } else {
      ds = await new DataSource(dataSourceOptions(`sqlite:${join(mkdtempSync(join(tmpdir(), 'duban-')), 'm.sqlite')}`)).initialize();
      cleanup = async () => undefined;
    }
  });
  afterAll(async () => {
    await ds.destroy();
    await cleanup();
  });

  it('run up on an empty database, revert to nothing, and run up again', async () => {
    expect(await tablesOf(ds)).toEqual([]);
    await ds.runMigrations({ transaction: 'each' });
    expect(await tablesOf(ds)).toEqual(TABLES);
    for (let i = 0; i < ds.migrations.length; i++) await ds.undoLastMigration({ transaction: 'each' });
    expect(await tablesOf(ds)).toEqual([]);
    await ds.runMigrations({ transaction: 'each' });
    expect(await tablesOf(ds)).toEqual(TABLES);
  });

  it('leave nothing for the entities to change (no drift that synchronize would fix)', async () => {
    const sql = await ds.driver.createSchemaBuilder().log();
    // SQLite's builder re-creates tables for cosmetic type spellings; MariaDB must agree exactly.
    // TypeORM expects DEFAULT CURRENT_TIMESTAMP(6) on datetime(3) timestamp columns, which MySQL itself refuses
    // ("Invalid default value"); the migrations use CURRENT_TIMESTAMP(3). Everything else must match exactly.
    const bogusTimestampDefault = /^ALTER TABLE `\w+` CHANGE `(created_at|updated_at|received_at)` .* DEFAULT CURRENT_TIMESTAMP\(6\)/;
    // The bulletin's text columns are MEDIUMTEXT on MySQL/MariaDB (a 通报 over 500 units passes TEXT's 64 KB); the entity
    // says text, the one text type SQLite knows.
    const bulletinMediumText = /^ALTER TABLE `bulletin` (DROP COLUMN `(facts|generated_text|draft)`|ADD `(facts|generated_text|draft)` text NOT NULL)$/;
    // Likewise a document's content is LONGBLOB there (up to 10 MB); the entity says blob.
    const documentLongBlob = /^ALTER TABLE `document` (DROP COLUMN `content`|ADD `content` blob NOT NULL)$/;
    // And a 通报's stored chart is MEDIUMBLOB there (a PNG passes BLOB's 64 KB).
    const chartMediumBlob = /^ALTER TABLE `bulletin_chart` (DROP COLUMN `png`|ADD `png` blob NOT NULL)$/;
    if (kind === 'mariadb')
      expect(
        sql.upQueries
          .map((q) => q.query)
          .filter((q) => !bogusTimestampDefault.test(q) && !bulletinMediumText.test(q) && !documentLongBlob.test(q) && !chartMediumBlob.test(q)),
      ).toEqual([]);
    expect(ENTITIES.map((e) => ds.getMetadata(e).tableName).sort()).toEqual(TABLES);
  });

  it('store Chinese and emoji intact (utf8mb4), and compare platform ids case-sensitively', async () => {
    await ds.query("INSERT INTO unit (code, name) VALUES ('EMJ', '市数据局😀𠀀')");
    const [row] = await ds.query("SELECT name FROM unit WHERE code = 'EMJ'");
    expect(row.name).toBe('市数据局😀𠀀');
    await ds.query("INSERT INTO inbox_event (platform, event_id) VALUES ('dingtalk', 'msgAbC')");
    await ds.query("INSERT INTO inbox_event (platform, event_id) VALUES ('dingtalk', 'msgabc')"); // a different event, not a repeat
    await expect(ds.query("INSERT INTO inbox_event (platform, event_id) VALUES ('dingtalk', 'msgAbC')")).rejects.toThrow();
    if (kind === 'mariadb') {
      const cols = (await ds.query(
        'SELECT DISTINCT character_set_name AS cs FROM information_schema.columns WHERE table_schema = DATABASE() AND character_set_name IS NOT NULL',
      )) as { cs: string }[];
      expect(cols.map((c) => c.cs)).toEqual(['utf8mb4']);
    }
  });

  it('A1 — item.answered_at is backfilled from the answers that still stand: the first report or closure request of the current node', async () => {
    // Back to just before the migration that adds the column (and those after it), then a few items as they stood.
    const at = ds.migrations.findIndex((m) => m.name === 'AnsweredAtSchema1764800100000');
    expect(at).toBeGreaterThan(0);
    for (let i = at; i < ds.migrations.length; i++) await ds.undoLastMigration({ transaction: 'each' });
    const ts = (iso: string) => (kind === 'sqlite' ? iso.replace('T', ' ').replace('Z', '') : new Date(iso));
    const item = async (id: number, state: string) =>
      ds.query(
        `INSERT INTO item (id, number, title, content, source, board, category, state, owner_id, leader_id, deadline_at, deadline_spec, registered_at, assigned_at)
         VALUES (?, ?, '事项', '内容', 'meeting', 'daily', 'decision', ?, 1, 1, ?, '7d', ?, ?)`,
        [id, `DB2026-90${id}`, state, ts('2026-03-09T10:00:00Z'), ts('2026-03-02T01:00:00Z'), state === 'registered' ? null : ts('2026-03-02T02:00:00Z')],
      );
    const report = (itemId: number, atIso: string, status: string, returnedIso: string | null = null) =>
      ds.query(
        `INSERT INTO report (item_id, unit_id, author_id, content, channel, submitted_at, status, returned_at) VALUES (?, 1, 1, '反馈', 'api', ?, ?, ?)`,
        [itemId, ts(atIso), status, returnedIso ? ts(returnedIso) : null],
      );
    const request = (itemId: number, kindOf: string, status: string, atIso: string, decidedIso: string | null = null) =>
      ds.query(`INSERT INTO item_request (item_id, kind, status, requested_by_id, requested_at, text, decided_at) VALUES (?, ?, ?, 1, ?, '说明', ?)`, [
        itemId,
        kindOf,
        status,
        ts(atIso),
        decidedIso ? ts(decidedIso) : null,
      ]);
    await item(1, 'in_progress'); // two standing reports: the first answers
    await report(1, '2026-03-03T02:00:00Z', 'submitted');
    await report(1, '2026-03-04T02:00:00Z', 'submitted');
    await item(2, 'in_progress'); // an older report still "submitted", then a returned one: the return took the answer back
    await report(2, '2026-03-03T02:00:00Z', 'submitted');
    await report(2, '2026-03-04T02:00:00Z', 'returned', '2026-03-05T02:00:00Z');
    await item(3, 'closure_requested'); // answered by the closure request
    await request(3, 'closure', 'pending', '2026-03-06T02:00:00Z');
    await item(4, 'in_progress'); // a report before an approved extension belongs to the old node
    await report(4, '2026-03-03T02:00:00Z', 'submitted');
    await request(4, 'extension', 'approved', '2026-03-04T02:00:00Z', '2026-03-05T02:00:00Z');
    await item(5, 'registered'); // never handed over
    await ds.runMigrations({ transaction: 'each' });
    const rows = (await ds.query('SELECT id, answered_at AS a FROM item WHERE id IN (1, 2, 3, 4, 5) ORDER BY id')) as { id: number; a: unknown }[];
    const iso = (v: unknown) => (v === null ? null : new Date(v instanceof Date ? v : `${String(v).replace(' ', 'T')}Z`).toISOString());
    expect(rows.map((r) => [Number(r.id), iso(r.a)])).toEqual([
      [1, '2026-03-03T02:00:00.000Z'],
      [2, null],
      [3, '2026-03-06T02:00:00.000Z'],
      [4, null],
      [5, null],
    ]);
  });
  it('issue 17 — an unset planning mark and an unsent reminder are kept as the epoch, not NULL, and the entities still read null', async () => {
    const at = ds.migrations.findIndex((m) => m.name === 'UnsetInstantSchema1796300000000');
    expect(at).toBeGreaterThan(0);
    for (let i = at; i < ds.migrations.length; i++) await ds.undoLastMigration({ transaction: 'each' });
    const ts = (iso: string) => (kind === 'sqlite' ? iso.replace('T', ' ').replace('Z', '') : new Date(iso));
    const item = (id: number, mark: string | null) =>
      ds.query(
        `INSERT INTO item (id, number, title, content, source, board, category, state, owner_id, leader_id, deadline_at, deadline_spec, registered_at, reminders_planned_until)
         VALUES (?, ?, '事项', '内容', 'meeting', 'daily', 'decision', 'in_progress', 1, 1, ?, '7d', ?, ?)`,
        [id, `DB2026-91${id}`, ts('2026-03-09T10:00:00Z'), ts('2026-03-02T01:00:00Z'), mark && ts(mark)],
      );
    const reminder = (id: number, sent: string | null) =>
      ds.query(
        `INSERT INTO reminder (id, reminder_key, item_id, kind, rule, audience, planned_at, due_at, status, policy_id, policy_version, sent_at)
         VALUES (?, ?, 11, 'before_deadline', 'R1', 'unit', ?, ?, ?, 'daily', 1, ?)`,
        [id, `k${id}`, ts('2026-03-09T05:00:00Z'), ts('2026-03-09T05:00:00Z'), sent ? 'sent' : 'pending', sent && ts(sent)],
      );
    await item(11, null);
    await item(12, '2026-03-05T04:00:00Z');
    await reminder(21, null);
    await reminder(22, '2026-03-09T05:00:01Z');
    const raw = async () =>
      [
        ...((await ds.query('SELECT reminders_planned_until AS v FROM item WHERE id IN (11, 12) ORDER BY id')) as { v: unknown }[]),
        ...((await ds.query('SELECT sent_at AS v FROM reminder WHERE id IN (21, 22) ORDER BY id')) as { v: unknown }[]),
      ].map(({ v }) => (v === null ? null : new Date(v instanceof Date ? v : `${String(v).replace(' ', 'T')}Z`).toISOString()));
    await ds.runMigrations({ transaction: 'each' });
    expect(await raw()).toEqual(['1970-01-01T00:00:00.000Z', '2026-03-05T04:00:00.000Z', '1970-01-01T00:00:00.000Z', '2026-03-09T05:00:01.000Z']);
    // The entities see null where nothing is set, and write null as the epoch.
    const items = ds.getRepository(Item);
    expect((await items.findOneByOrFail({ id: 11 })).remindersPlannedUntil).toBeNull();
    expect((await items.findOneByOrFail({ id: 12 })).remindersPlannedUntil?.toISOString()).toBe('2026-03-05T04:00:00.000Z');
    expect((await ds.getRepository(Reminder).findOneByOrFail({ id: 21 })).sentAt).toBeNull();
    await items.update({ id: 12 }, { remindersPlannedUntil: null });
    expect((await raw())[1]).toBe('1970-01-01T00:00:00.000Z');
    // Reverted: NULL again.
    for (let i = at; i < ds.migrations.length; i++) await ds.undoLastMigration({ transaction: 'each' });
    expect(await raw()).toEqual([null, null, null, '2026-03-09T05:00:01.000Z']);
    await ds.runMigrations({ transaction: 'each' });
  });
  it('issue 17 — a reminder is unique by (item, key), one index in place of the key and the item apart, and the old two come back on revert', async () => {
    const indexes = async () => {
      const rows = (await ds.query(kind === 'sqlite' ? 'PRAGMA index_list(reminder)' : 'SHOW INDEX FROM reminder')) as Record<string, string>[];
      return [...new Set(rows.map((r) => r.name ?? r.Key_name))].filter((n) => /^(uq|ix)_reminder_(key|item)/.test(n)).sort();
    };
    expect(await indexes()).toEqual(['uq_reminder_item_key']);
    const ts = (iso: string) => (kind === 'sqlite' ? iso.replace('T', ' ').replace('Z', '') : new Date(iso));
    const reminder = (id: number, key: string) =>
      ds.query(
        `INSERT INTO reminder (id, reminder_key, item_id, kind, rule, audience, planned_at, due_at, status, policy_id, policy_version)
         VALUES (?, ?, 31, 'before_deadline', 'R1', 'unit', ?, ?, 'pending', 'daily', 1)`,
        [id, key, ts('2026-03-09T05:00:00Z'), ts('2026-03-09T05:00:00Z')],
      );
    await reminder(41, '31:before_deadline:unit:2026-03-09T05:00:00.000Z');
    await expect(reminder(42, '31:before_deadline:unit:2026-03-09T05:00:00.000Z')).rejects.toThrow(/duplicate|unique/i);
    await ds.undoLastMigration({ transaction: 'each' });
    expect(await indexes()).toEqual(['ix_reminder_item_only', 'uq_reminder_key']);
    await ds.runMigrations({ transaction: 'each' });
    expect(await indexes()).toEqual(['uq_reminder_item_key']);
    await ds.query('DELETE FROM reminder WHERE id = 41');
  });
});
