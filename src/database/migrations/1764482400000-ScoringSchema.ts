import type { MigrationInterface, QueryRunner } from 'typeorm';
import { col, createTable, isMysql } from './schema-helpers';

/**
 * Issue 7 §1: the 激励积分 ledger — one row per point, naming its rule, the event or entry that caused it, the item
 * and the table version — and the scoring table as versioned data.
 */
export class ScoringSchema1764482400000 implements MigrationInterface {
  name = 'ScoringSchema1764482400000';

  async up(qr: QueryRunner): Promise<void> {
    await createTable(
      qr,
      'score_line',
      [
        col.id(),
        // What makes a line unique: 'e:<event>:<rule>:<unit>' (timeline), 'q:<year>Q<n>:<unit>' (S3), 'm:<uuid>' (manual).
        col.str('line_key', 191),
        col.str('rule', 4),
        col.int('unit_id'),
        col.int('item_id', true),
        // Points × 10: whole numbers, so sums never drift (−0.5, +0.5 …).
        col.int('points_tenths'),
        col.time('at'),
        // The Shanghai year the point counts in: 'at' in Asia/Shanghai (a line at 2026-12-31T20:00Z is 2027's).
        col.int('year'),
        col.int('quarter'),
        col.str('explanation', 300),
        col.str('table_id', 32),
        col.int('table_version'),
        col.int('event_id', true),
        col.str('source', 8),
        col.str('reason', 500, true),
        col.int('created_by_id', true),
        col.created(),
      ],
      [
        { name: 'uq_score_line_key', columns: ['line_key'], unique: true },
        { name: 'ix_score_line_year_unit', columns: ['year', 'unit_id'] },
        { name: 'ix_score_line_item', columns: ['item_id'] },
      ],
    );
    if (isMysql(qr)) await qr.query('ALTER TABLE score_line MODIFY line_key varchar(191) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL');
    await createTable(qr, 'score_table', [
      { name: 'id', type: 'varchar', length: '32', isPrimary: true },
      { name: 'version', type: 'integer', isPrimary: true },
      col.text('body'),
      col.int('created_by_id', true),
      col.created(),
    ]);
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('score_table');
    await qr.dropTable('score_line');
  }
}
