import type { MigrationInterface, QueryRunner } from 'typeorm';
import { col, createTable } from './schema-helpers';

/** Issue 6 §1: reminder policies as versioned data; every saved change is a new version, old ones stay. */
export class PolicySchema1764223200000 implements MigrationInterface {
  name = 'PolicySchema1764223200000';

  async up(qr: QueryRunner): Promise<void> {
    await createTable(qr, 'reminder_policy', [
      { name: 'id', type: 'varchar', length: '32', isPrimary: true },
      { name: 'version', type: 'integer', isPrimary: true },
      col.text('body'),
      col.int('created_by_id', true),
      col.created(),
    ]);
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('reminder_policy');
  }
}
