import type { MigrationInterface, QueryRunner } from 'typeorm';
import { col, createTable } from './schema-helpers';

/**
 * Issue 14: a command the bot did not file because its date looked wrong (a date without a year that fell into next
 * year, an extension far beyond the item's span) waits here, one per person, until the person answers /确认 (filed
 * once, then deleted) or it expires (about 30 minutes).
 */
export class ChatProposalSchema1764900200000 implements MigrationInterface {
  name = 'ChatProposalSchema1764900200000';

  async up(qr: QueryRunner): Promise<void> {
    await createTable(
      qr,
      'chat_proposal',
      [col.id(), col.int('person_id'), col.text('command'), col.str('item_number', 32), col.time('expires_at'), col.created()],
      [{ name: 'uq_chat_proposal_person', columns: ['person_id'], unique: true }],
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('chat_proposal');
  }
}
