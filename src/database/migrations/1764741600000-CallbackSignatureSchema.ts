import type { MigrationInterface, QueryRunner } from 'typeorm';
import { col, createTable, isMysql } from './schema-helpers';

/** Issue 11 D11: accepted callback signatures, each usable with one body only, until they expire. */
export class CallbackSignatureSchema1764741600000 implements MigrationInterface {
  name = 'CallbackSignatureSchema1764741600000';

  async up(qr: QueryRunner): Promise<void> {
    await createTable(
      qr,
      'callback_signature',
      [col.id(), col.str('channel', 32), col.str('signature_key', 64), col.str('body_digest', 64), col.time('expires_at')],
      [
        { name: 'uq_callback_signature', columns: ['channel', 'signature_key'], unique: true },
        { name: 'ix_callback_signature_expiry', columns: ['expires_at'] },
      ],
    );
    // Hex digests compare byte for byte.
    if (isMysql(qr)) await qr.query('ALTER TABLE callback_signature MODIFY signature_key varchar(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL');
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('callback_signature');
  }
}
