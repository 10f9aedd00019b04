import { type MigrationInterface, type QueryRunner, TableIndex } from 'typeorm';

/**
 * Issue 17: reminder.ix_reminder_due (status, due_at) is the leading part of ix_reminder_dispatch (status, due_at,
 * recipient_key), which serves every query it served. Each planned reminder and each one sent (its status changes)
 * updated both; now only the one.
 */
export class ReminderIndexSchema1796208895182 implements MigrationInterface {
  name = 'ReminderIndexSchema1796208895182';

  async up(qr: QueryRunner): Promise<void> {
    await qr.dropIndex('reminder', 'ix_reminder_due');
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.createIndex('reminder', new TableIndex({ name: 'ix_reminder_due', columnNames: ['status', 'due_at'] }));
  }
}
