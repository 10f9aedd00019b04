import type { MigrationInterface, QueryRunner } from 'typeorm';
import { col, createTable, isMysql } from './schema-helpers';

/** Issue 6 §4: per-target send windows shared by every instance (a custom robot's 20 a minute, a member's 30…). */
export class RateWindowSchema1764309600000 implements MigrationInterface {
  name = 'RateWindowSchema1764309600000';

  async up(qr: QueryRunner): Promise<void> {
    await createTable(qr, 'rate_window', [{ name: 'bucket', type: 'varchar', length: '191', isPrimary: true }, col.time('window_start'), col.int('used')]);
    if (isMysql(qr)) await qr.query('ALTER TABLE rate_window MODIFY bucket varchar(191) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL');
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('rate_window');
  }
}
