import type { MigrationInterface, QueryRunner } from 'typeorm';
import { col, createTable, isMysql } from './schema-helpers';

/** Issue 6: reminders planned per item (R1–R10), claimed by whichever instance gets there first. */
export class ReminderSchema1764136800000 implements MigrationInterface {
  name = 'ReminderSchema1764136800000';

  async up(qr: QueryRunner): Promise<void> {
    await createTable(
      qr,
      'reminder',
      [
        col.id(),
        col.str('reminder_key', 191),
        col.int('item_id'),
        col.str('kind', 32),
        col.str('rule', 8),
        col.str('audience', 24),
        col.time('planned_at'),
        col.time('due_at'),
        col.str('status', 16),
        col.str('policy_id', 32),
        col.int('policy_version'),
        col.time('sent_at', true),
        col.created(),
      ],
      [
        { name: 'uq_reminder_key', columns: ['reminder_key'], unique: true },
        { name: 'ix_reminder_due', columns: ['status', 'due_at'] },
        { name: 'ix_reminder_item', columns: ['item_id', 'status'] },
      ],
    );
    if (isMysql(qr)) await qr.query('ALTER TABLE reminder MODIFY reminder_key varchar(191) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL');
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('reminder');
  }
}
