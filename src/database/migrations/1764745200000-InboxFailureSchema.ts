import type { MigrationInterface, QueryRunner } from 'typeorm';
import { col, createTable, isMysql } from './schema-helpers';

/** Issue 11: failures per inbound platform event, so an event that can never succeed is not redelivered for ever. */
export class InboxFailureSchema1764745200000 implements MigrationInterface {
  name = 'InboxFailureSchema1764745200000';

  async up(qr: QueryRunner): Promise<void> {
    await createTable(
      qr,
      'inbox_failure',
      [
        col.id(),
        col.str('platform', 16),
        col.str('event_id', 128),
        col.int('attempts'),
        col.str('last_error', 500, true),
        col.time('first_at'),
        col.time('last_at'),
      ],
      [{ name: 'uq_inbox_failure', columns: ['platform', 'event_id'], unique: true }],
    );
    // Platform ids compare byte for byte, as in inbox_event.
    if (isMysql(qr)) await qr.query('ALTER TABLE inbox_failure MODIFY event_id varchar(128) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL');
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('inbox_failure');
  }
}
