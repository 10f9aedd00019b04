import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';
import { col } from './schema-helpers';

/**
 * Issue 13 §3, one meaning of overdue (DOMAIN A1): item.answered_at — when the lead unit's answering report (反馈) or
 * closure request (申请办结) for the current node arrived. Backfilled from the answers that still stand: the first
 * submitted report or pending/approved closure request after the node began, i.e. after the last approved extension
 * (E1) and the last return (F2 of a report, or of a closure request).
 */
export class AnsweredAtSchema1764800100000 implements MigrationInterface {
  name = 'AnsweredAtSchema1764800100000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.addColumn('item', new TableColumn(col.time('answered_at', true)));
    await qr.query(`UPDATE item SET answered_at = (
      SELECT MIN(a.at) FROM (
        SELECT r.item_id AS item_id, r.submitted_at AS at FROM report r WHERE r.status = 'submitted'
        UNION ALL
        SELECT q.item_id AS item_id, q.requested_at AS at FROM item_request q WHERE q.kind = 'closure' AND q.status IN ('pending', 'approved')
      ) a
      WHERE a.item_id = item.id
        AND NOT EXISTS (SELECT 1 FROM item_request x WHERE x.item_id = item.id AND x.kind = 'extension' AND x.status = 'approved' AND x.decided_at > a.at)
        AND NOT EXISTS (SELECT 1 FROM report y WHERE y.item_id = item.id AND y.status = 'returned' AND y.returned_at > a.at)
        AND NOT EXISTS (SELECT 1 FROM item_request z WHERE z.item_id = item.id AND z.kind = 'closure' AND z.status = 'returned' AND z.decided_at > a.at)
    ) WHERE state NOT IN ('draft', 'registered')`);
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropColumn('item', 'answered_at');
  }
}
