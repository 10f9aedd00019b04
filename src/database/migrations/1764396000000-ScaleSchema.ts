import { TableColumn, TableIndex } from 'typeorm';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { col } from './schema-helpers';

/**
 * Issue 6 at scale:
 * - item.reminders_planned_until: how far ahead an item's reminders are stored. A tick plans only the items whose
 *   horizon runs short (or that changed: every command clears it), not every open item every time.
 * - item.kind: 'rectification' for a 48-hour 整改 order (R9), whose deadline and reminders follow its own rule.
 * - reminder.recipient_key ('unit:7', 'person:12', 'office'): dispatch takes due reminders recipient by recipient,
 *   so one contact's reminders falling due together land in one batch and leave as one digest (R10).
 * - rate_window becomes a sliding log (the send times inside the window) instead of a fixed window, which let
 *   twice the limit through across a window edge.
 */
export class ScaleSchema1764396000000 implements MigrationInterface {
  name = 'ScaleSchema1764396000000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.addColumn('item', new TableColumn(col.time('reminders_planned_until', true)));
    await qr.addColumn('item', new TableColumn(col.str('kind', 16, false, 'task')));
    await qr.createIndex('item', new TableIndex({ name: 'ix_item_plan', columnNames: ['state', 'reminders_planned_until'] }));
    await qr.addColumn('reminder', new TableColumn(col.str('recipient_key', 64, false, '')));
    await qr.createIndex('reminder', new TableIndex({ name: 'ix_reminder_dispatch', columnNames: ['status', 'due_at', 'recipient_key'] }));
    await qr.dropColumn('rate_window', 'window_start');
    await qr.dropColumn('rate_window', 'used');
    await qr.addColumn('rate_window', new TableColumn(col.text('sent_at', true)));
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropColumn('rate_window', 'sent_at');
    await qr.addColumn('rate_window', new TableColumn(col.time('window_start', true)));
    await qr.addColumn('rate_window', new TableColumn(col.int('used', false, 0)));
    await qr.dropIndex('item', 'ix_item_plan');
    await qr.dropIndex('reminder', 'ix_reminder_dispatch');
    await qr.dropColumn('reminder', 'recipient_key');
    await qr.dropColumn('item', 'kind');
    await qr.dropColumn('item', 'reminders_planned_until');
  }
}
