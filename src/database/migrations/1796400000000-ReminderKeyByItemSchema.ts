import { type MigrationInterface, type QueryRunner, TableIndex } from 'typeorm';

/**
 * Issue 17: reminder (item_id, reminder_key) unique, in place of (reminder_key) unique and (item_id). The key begins
 * with the item's id, so the pair is unique exactly when the key is, and reading by item uses the pair's first column.
 * Each planned reminder wrote a leaf page of both indexes, at random places in each; with a buffer pool smaller than
 * the register those were reads from disk, and the steady tick's largest cost (at 10^6 items and 128 MiB).
 * The new index is built before the two go, so reading by item always has an index.
 */
export class ReminderKeyByItemSchema1796400000000 implements MigrationInterface {
  name = 'ReminderKeyByItemSchema1796400000000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createIndex('reminder', new TableIndex({ name: 'uq_reminder_item_key', columnNames: ['item_id', 'reminder_key'], isUnique: true }));
    await qr.dropIndex('reminder', 'uq_reminder_key');
    await qr.dropIndex('reminder', 'ix_reminder_item_only');
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.createIndex('reminder', new TableIndex({ name: 'uq_reminder_key', columnNames: ['reminder_key'], isUnique: true }));
    await qr.createIndex('reminder', new TableIndex({ name: 'ix_reminder_item_only', columnNames: ['item_id'] }));
    await qr.dropIndex('reminder', 'uq_reminder_item_key');
  }
}
