import { type MigrationInterface, type QueryRunner, TableIndex } from 'typeorm';

/**
 * Issue 17, the reminder tick at scale: reminder (item_id) instead of (item_id, status). A reminder's status changes
 * when it is sent, cancelled or held, and each change moved its entry in this index too; what reads reminders by item
 * reads a handful of rows and filters the status itself. ix_reminder_dispatch (status, due_at, recipient_key) still
 * finds what is due. (item_unit (item_id, role, unit_id), which every planning batch and claim reads their lead units
 * through — 2,000 items of 10^6: about 21 ms, then about 8.5 ms —, came with BulletinIndexSchema.)
 */
export class DispatchIndexSchema1796240000000 implements MigrationInterface {
  name = 'DispatchIndexSchema1796240000000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createIndex('reminder', new TableIndex({ name: 'ix_reminder_item_only', columnNames: ['item_id'] }));
    await qr.dropIndex('reminder', 'ix_reminder_item');
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.createIndex('reminder', new TableIndex({ name: 'ix_reminder_item', columnNames: ['item_id', 'status'] }));
    await qr.dropIndex('reminder', 'ix_reminder_item_only');
  }
}
