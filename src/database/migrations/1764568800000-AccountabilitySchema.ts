import { TableColumn } from 'typeorm';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { col, createTable, isMysql } from './schema-helpers';

/**
 * Issue 7 §2: 责任追究 — clues (A1) and their procedure (A2), each step on the clue's own timeline; cards about a
 * subject other than an item (card_instance.subject).
 */
export class AccountabilitySchema1764568800000 implements MigrationInterface {
  name = 'AccountabilitySchema1764568800000';

  async up(qr: QueryRunner): Promise<void> {
    await createTable(
      qr,
      'clue',
      [
        col.id(),
        col.str('number', 32),
        col.str('trigger_kind', 16),
        col.int('unit_id'),
        col.int('item_id', true),
        // A1: one trigger never opens two clues ('overdue:<item>:<unit>', 'review_finding:rating:<item>:<unit>' …).
        col.str('dedupe_key', 191),
        col.str('state', 24),
        col.str('summary', 500),
        col.text('data'),
        col.int('version', false, 1),
        col.time('opened_at'),
        col.created(),
        col.updated(),
      ],
      [
        { name: 'uq_clue_number', columns: ['number'], unique: true },
        { name: 'uq_clue_dedupe', columns: ['dedupe_key'], unique: true },
        { name: 'ix_clue_state', columns: ['state'] },
        { name: 'ix_clue_unit', columns: ['unit_id'] },
      ],
    );
    if (isMysql(qr)) await qr.query('ALTER TABLE clue MODIFY dedupe_key varchar(191) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL');
    await createTable(
      qr,
      'clue_event',
      [
        col.id(),
        col.int('clue_id'),
        col.str('action', 24),
        col.str('from_state', 24, true),
        col.str('to_state', 24),
        col.int('actor_id', true),
        col.str('actor_name', 100),
        col.str('channel', 16),
        col.time('at'),
        col.text('summary'),
        col.text('data', true),
      ],
      [{ name: 'ix_clue_event_clue', columns: ['clue_id', 'id'] }],
    );
    // A2's documents (核查报告, 处理意见书 …), kept with the clue they belong to.
    await createTable(
      qr,
      'document',
      [
        col.id(),
        col.str('owner_kind', 16),
        col.int('owner_id'),
        col.str('name', 200),
        col.str('mime', 100),
        col.int('size'),
        col.str('sha256', 64),
        { name: 'content', type: 'blob' },
        col.int('uploaded_by_id', true),
        col.created(),
      ],
      [{ name: 'ix_document_owner', columns: ['owner_kind', 'owner_id'] }],
    );
    // A document may be up to 10 MB: LONGBLOB on MySQL/MariaDB (BLOB stops at 64 KB; SQLite's BLOB has no such limit).
    if (isMysql(qr)) await qr.query('ALTER TABLE document MODIFY content LONGBLOB NOT NULL');
    // Decision cards (the leader's 审核 of a clue, a bulletin's approval) are about a subject, not an item.
    await qr.addColumn('card_instance', new TableColumn(col.str('subject', 32, true)));
    // MODIFY on MySQL/MariaDB: TypeORM's changeColumn there drops and re-adds the column (and its index) — the
    // existing cards would lose their item. SQLite rebuilds the table with its rows.
    if (isMysql(qr)) await qr.query('ALTER TABLE card_instance MODIFY item_id int NULL');
    else await qr.changeColumn('card_instance', 'item_id', new TableColumn(col.int('item_id', true)));
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.query('DELETE FROM card_instance WHERE item_id IS NULL');
    if (isMysql(qr)) await qr.query('ALTER TABLE card_instance MODIFY item_id int NOT NULL');
    else await qr.changeColumn('card_instance', 'item_id', new TableColumn(col.int('item_id')));
    await qr.dropColumn('card_instance', 'subject');
    await qr.dropTable('document');
    await qr.dropTable('clue_event');
    await qr.dropTable('clue');
  }
}
