import { type MigrationInterface, type QueryRunner, TableColumn } from 'typeorm';
import { col, createTable } from './schema-helpers';

/**
 * Issue 15 (P1–P3): the directory can be changed and retired, not only added to.
 *   - unit.active: a unit that no longer handles items is retired (停用), not deleted — its items, scores and clues
 *     keep naming it; it is no longer offered for new items;
 *   - org_change: who changed which unit, person or group, when, and what (the directory's own change record; items
 *     have their timeline, this is the same for the people and units behind them).
 */
export class OrgChangeSchema1796194501580 implements MigrationInterface {
  name = 'OrgChangeSchema1796194501580';

  async up(qr: QueryRunner): Promise<void> {
    await qr.addColumn('unit', new TableColumn(col.bool('active', false, true)));
    await createTable(
      qr,
      'org_change',
      [
        col.id(),
        col.str('subject', 16),
        col.int('subject_id'),
        col.str('action', 32),
        col.str('summary', 500),
        col.int('by_person_id', true),
        col.str('by_name', 50),
        col.time('at'),
        col.created(),
      ],
      [{ name: 'ix_org_change_subject', columns: ['subject', 'subject_id'] }],
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('org_change');
    await qr.dropColumn('unit', 'active');
  }
}
