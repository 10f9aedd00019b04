import { TableColumn, TableIndex } from 'typeorm';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { col } from './schema-helpers';

/**
 * Issue 6 at scale:
 * - item.reminders_planned_until: how far ahead an item's reminders are stored. A tick plans only the items whose
 *   horizon runs short (or that changed: every command clears it), not every open item every time.
 * - item.kind: 'rectification' for a 48-hour 整改 order (R9), whose deadline and reminders follow its own rule.
 * - rate_window becomes a sliding log (the send times inside the window) instead of a fixed window, which let
 *   twice the limit through across a window edge.
 */
export class ScaleSchema1764396000000 implements MigrationInterface {
  name = 'ScaleSchema1764396000000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.addColumn('item', new TableColumn(col.time('reminders_planned_until', true)));
    await qr.addColumn('item', new TableColumn(col.str('kind', 16, false, 'task')));
    await qr.createIndex('item', new TableIndex({ name: 'ix_item_plan', columnNames: ['state', 'reminders_planned_until'] }));
    await qr.dropColumn('rate_window', 'window_start');
    await qr.dropColumn('rate_window', 'used');
    await qr.addColumn('rate_window', new TableColumn(col.text('sent_at', true)));
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropColumn('rate_window', 'sent_at');
    await qr.addColumn('rate_window', new TableColumn(col.time('window_start', true)));
    await qr.addColumn('rate_window', new TableColumn(col.int('used', false, 0)));
    await qr.dropIndex('item', 'ix_item_plan');
    await qr.dropColumn('item', 'kind');
    await qr.dropColumn('item', 'reminders_planned_until');
  }
}
