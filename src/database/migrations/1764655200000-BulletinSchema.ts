import type { MigrationInterface, QueryRunner } from 'typeorm';
import { col, createTable, isMysql } from './schema-helpers';

/** Issue 7 §3: 通报 — drafts generated from the data, edited, approved by a leader, broadcast and archived. */
export class BulletinSchema1764655200000 implements MigrationInterface {
  name = 'BulletinSchema1764655200000';

  async up(qr: QueryRunner): Promise<void> {
    await createTable(
      qr,
      'bulletin',
      [
        col.id(),
        col.str('number', 32),
        col.str('kind', 16),
        col.str('period_spec', 40),
        col.time('period_from'),
        col.time('period_to'),
        col.str('period_label', 60),
        col.int('issue_year'),
        col.int('issue_no'),
        col.str('office', 100),
        col.str('recipients', 300, true),
        col.str('state', 24),
        // What it was made from and what it said then (B2: regenerated from the database, it must say the same).
        col.text('facts'),
        col.text('generated_text'),
        // The text as the 督查室 edited it; what is approved and broadcast.
        col.text('draft'),
        col.bool('edited', false, false),
        col.text('group_ids', true),
        col.str('public_token', 48),
        col.int('created_by_id', true),
        col.int('approved_by_id', true),
        col.time('approved_at', true),
        col.time('published_at', true),
        col.int('version', false, 1),
        col.created(),
        col.updated(),
      ],
      [
        { name: 'uq_bulletin_number', columns: ['number'], unique: true },
        { name: 'uq_bulletin_token', columns: ['public_token'], unique: true },
        { name: 'ix_bulletin_period', columns: ['kind', 'period_from'] },
      ],
    );
    await createTable(
      qr,
      'bulletin_event',
      [
        col.id(),
        col.int('bulletin_id'),
        col.str('action', 24),
        col.str('to_state', 24),
        col.int('actor_id', true),
        col.str('actor_name', 100),
        col.str('channel', 16),
        col.time('at'),
        col.text('summary'),
      ],
      [{ name: 'ix_bulletin_event', columns: ['bulletin_id', 'id'] }],
    );
    // A 通报 over 500 units is larger than TEXT's 64 KB on MySQL/MariaDB (SQLite's TEXT has no such limit).
    if (isMysql(qr))
      await qr.query('ALTER TABLE bulletin MODIFY facts MEDIUMTEXT NOT NULL, MODIFY generated_text MEDIUMTEXT NOT NULL, MODIFY draft MEDIUMTEXT NOT NULL');
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('bulletin_event');
    await qr.dropTable('bulletin');
  }
}
