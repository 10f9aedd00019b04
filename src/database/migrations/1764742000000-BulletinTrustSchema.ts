import type { MigrationInterface, QueryRunner } from 'typeorm';
import { col, createTable, isMysql } from './schema-helpers';

/**
 * Issue 11 (defects 8, 14): the 通报's chart is drawn once, when a leader approves it, and kept here — the public link
 * serves these bytes and never draws; and the public token compares byte for byte (a _ci collation matched
 * `AbC` for `abc`).
 */
export class BulletinTrustSchema1764742000000 implements MigrationInterface {
  name = 'BulletinTrustSchema1764742000000';

  async up(qr: QueryRunner): Promise<void> {
    await createTable(qr, 'bulletin_chart', [
      { name: 'bulletin_id', type: 'integer', isPrimary: true },
      { name: 'png', type: 'blob' },
      col.int('size'),
      col.str('sha256', 64),
      col.created(),
    ]);
    if (isMysql(qr)) {
      // A 1600×800 PNG passes BLOB's 64 KB; SQLite's BLOB has no such limit.
      await qr.query('ALTER TABLE bulletin_chart MODIFY png MEDIUMBLOB NOT NULL');
      await qr.query('ALTER TABLE bulletin MODIFY public_token varchar(48) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL');
    }
    // SQLite compares TEXT with BINARY unless told otherwise: the token already compares exactly there.
  }

  async down(qr: QueryRunner): Promise<void> {
    if (isMysql(qr)) await qr.query('ALTER TABLE bulletin MODIFY public_token varchar(48) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci NOT NULL');
    await qr.dropTable('bulletin_chart');
  }
}
