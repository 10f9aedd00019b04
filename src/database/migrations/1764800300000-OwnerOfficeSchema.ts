import { type MigrationInterface, type QueryRunner, TableColumn } from 'typeorm';
import { col } from './schema-helpers';

/**
 * Issue 13 (P2, P4, R4): the 立项主体 is an office (科室), any of whose owner-role people may act, and each office may
 * have a coordinating leader (分管副秘书长 / 办公厅分管领导) whom R4's escalation reaches.
 *   - unit.coordinating_leader_id: the office's coordinating leader (a person), set by the admin;
 *   - item.owner_unit_id: the owner's office when the item was registered (or reassigned); existing items take the
 *     registering owner's home unit (NULL where the owner has none: then only that person acts as owner, as before).
 */
export class OwnerOfficeSchema1764800300000 implements MigrationInterface {
  name = 'OwnerOfficeSchema1764800300000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.addColumn('unit', new TableColumn(col.int('coordinating_leader_id', true)));
    await qr.addColumn('item', new TableColumn(col.int('owner_unit_id', true)));
    await qr.query('UPDATE item SET owner_unit_id = (SELECT p.unit_id FROM person p WHERE p.id = item.owner_id)');
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropColumn('item', 'owner_unit_id');
    await qr.dropColumn('unit', 'coordinating_leader_id');
  }
}
