import { type MigrationInterface, type QueryRunner, TableColumn } from 'typeorm';
import { UNSET_INSTANT_SQL } from '../columns';
import { col } from './schema-helpers';

/** The two columns, and the table each is in. */
const COLUMNS = [
  ['item', 'reminders_planned_until'],
  ['reminder', 'sent_at'],
] as const;

/**
 * Issue 17: item.reminders_planned_until (planning's mark) and reminder.sent_at are stored NOT NULL, the epoch standing
 * for "unset" (UnsetInstantColumn). Going from NULL to an instant changed the row's length, so InnoDB moved the record
 * instead of rewriting it in place — for every item a cold plan marks and every reminder a tick sends. On MySQL/MariaDB
 * the ALTER rebuilds both tables: on a register of 10^6 items it takes about a minute, once.
 */
export class UnsetInstantSchema1796300000000 implements MigrationInterface {
  name = 'UnsetInstantSchema1796300000000';

  async up(qr: QueryRunner): Promise<void> {
    for (const [table, column] of COLUMNS) {
      await qr.query(`UPDATE ${table} SET ${column} = '${UNSET_INSTANT_SQL}' WHERE ${column} IS NULL`);
      await qr.changeColumn(table, column, new TableColumn({ ...col.time(column, false), default: `'${UNSET_INSTANT_SQL}'` }));
    }
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const [table, column] of COLUMNS) {
      await qr.changeColumn(table, column, new TableColumn(col.time(column, true)));
      await qr.query(`UPDATE ${table} SET ${column} = NULL WHERE ${column} = '${UNSET_INSTANT_SQL}'`);
    }
  }
}
