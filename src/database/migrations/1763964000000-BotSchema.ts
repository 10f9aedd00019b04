import type { MigrationInterface, QueryRunner } from 'typeorm';
import { TableColumn } from 'typeorm';
import { col, createTable, isMysql } from './schema-helpers';

/** Issue 4: cards delivered to groups and people (one row per outTrackId), and what an inbound event did. */
export class BotSchema1763964000000 implements MigrationInterface {
  name = 'BotSchema1763964000000';

  async up(qr: QueryRunner): Promise<void> {
    await createTable(
      qr,
      'card_instance',
      [
        col.id(),
        col.str('out_track_id', 64),
        col.str('platform', 16),
        col.str('kind', 16),
        col.int('item_id'),
        col.str('target', 32),
        col.int('outbox_id', true),
        col.created(),
        col.created('updated_at'),
      ],
      [
        { name: 'uq_card_out_track', columns: ['out_track_id'], unique: true },
        { name: 'ix_card_item', columns: ['item_id'] },
      ],
    );
    await qr.addColumns('inbox_event', [
      new TableColumn({ name: 'person_id', type: 'integer', isNullable: true }),
      new TableColumn({ name: 'outcome', type: 'varchar', length: '500', isNullable: true }),
    ]);
    // A custom robot's signing secret (加签), for send-only broadcast groups.
    await qr.addColumn('chat_group', new TableColumn({ name: 'webhook_secret', type: 'varchar', length: '128', isNullable: true }));
    if (isMysql(qr)) await qr.query('ALTER TABLE card_instance MODIFY out_track_id varchar(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL');
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropColumn('chat_group', 'webhook_secret');
    await qr.dropColumn('inbox_event', 'outcome');
    await qr.dropColumn('inbox_event', 'person_id');
    await qr.dropTable('card_instance');
  }
}
