import type { MigrationInterface, QueryRunner } from 'typeorm';
import { col, createTable, isMysql } from './schema-helpers';

/** Issue 3: org directory, items with their timeline, requests, outbox/inbox, calendar overrides, settings. */
export class CoreSchema1763877600000 implements MigrationInterface {
  name = 'CoreSchema1763877600000';

  async up(qr: QueryRunner): Promise<void> {
    if (isMysql(qr)) {
      // Names and content are Chinese (and people type emoji): the whole database is utf8mb4.
      await qr.query('ALTER DATABASE CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci');
    }
    await createTable(
      qr,
      'unit',
      [col.id(), col.str('code', 32), col.str('name', 100), col.created()],
      [
        { name: 'uq_unit_code', columns: ['code'], unique: true },
        { name: 'uq_unit_name', columns: ['name'], unique: true },
      ],
    );
    await createTable(qr, 'person', [
      col.id(),
      col.str('name', 50),
      col.str('mobile', 20, true),
      col.int('unit_id', true),
      col.bool('active', false, true),
      col.created(),
    ]);
    await createTable(
      qr,
      'person_identity',
      [col.id(), col.int('person_id'), col.str('platform', 16), col.str('corp_id', 64, false, ''), col.str('external_user_id', 128), col.created()],
      [
        { name: 'uq_person_identity', columns: ['platform', 'corp_id', 'external_user_id'], unique: true },
        { name: 'ix_person_identity_person', columns: ['person_id'] },
      ],
    );
    await createTable(
      qr,
      'role_grant',
      [col.id(), col.int('person_id'), col.str('role', 16), col.int('unit_id', true), col.created()],
      [{ name: 'ix_role_grant_person', columns: ['person_id'] }],
    );
    await createTable(
      qr,
      'chat_group',
      [
        col.id(),
        col.str('platform', 16),
        col.str('corp_id', 64, false, ''),
        col.str('external_id', 128),
        col.str('name', 100),
        col.int('unit_id', true),
        col.str('purpose', 16),
        col.str('webhook_url', 500, true),
        col.created(),
      ],
      [
        { name: 'uq_chat_group', columns: ['platform', 'external_id'], unique: true },
        { name: 'ix_chat_group_unit', columns: ['unit_id'] },
      ],
    );
    await createTable(
      qr,
      'api_token',
      [col.id(), col.int('person_id'), col.str('token_hash', 64), col.str('label', 100, false, ''), col.created(), col.time('revoked_at', true)],
      [{ name: 'uq_api_token_hash', columns: ['token_hash'], unique: true }],
    );
    await createTable(
      qr,
      'item',
      [
        col.id(),
        col.str('number', 32),
        col.str('title', 200),
        col.text('content'),
        col.str('source', 24),
        col.str('source_ref', 100, false, ''),
        col.str('board', 16),
        col.str('category', 16),
        col.str('state', 24),
        col.int('owner_id'),
        col.int('leader_id'),
        col.int('registered_by_id', true),
        col.str('served_party', 100, true),
        col.time('deadline_at'),
        col.str('deadline_spec', 32),
        col.str('deadline_reason', 500, true),
        col.int('parent_id', true),
        col.bool('decomposed', false, false),
        col.int('return_count', false, 0),
        col.int('failed_closure_attempts', false, 0),
        col.str('rating', 16, true),
        col.bool('key_supervision', false, false),
        col.time('registered_at'),
        col.time('assigned_at', true),
        col.time('closed_at', true),
        col.time('number_retired_at', true),
        col.time('archived_at', true),
        col.int('version', false, 1),
        col.created(),
        col.updated(),
      ],
      [
        { name: 'uq_item_number', columns: ['number'], unique: true },
        { name: 'ix_item_state_deadline', columns: ['state', 'deadline_at'] },
        { name: 'ix_item_parent', columns: ['parent_id'] },
        { name: 'ix_item_source', columns: ['source'] },
        { name: 'ix_item_registered', columns: ['registered_at'] },
      ],
    );
    await createTable(
      qr,
      'item_unit',
      [col.id(), col.int('item_id'), col.int('unit_id'), col.str('role', 8), col.time('signed_at', true), col.int('signed_by_id', true)],
      [
        { name: 'uq_item_unit', columns: ['item_id', 'unit_id'], unique: true },
        { name: 'ix_item_unit_unit', columns: ['unit_id', 'role'] },
      ],
    );
    await createTable(
      qr,
      'item_event',
      [
        col.id(),
        col.int('item_id'),
        col.str('type', 32),
        col.int('actor_id', true),
        col.str('actor_name', 100),
        col.str('channel', 16),
        col.time('at'),
        col.str('from_state', 24, true),
        col.str('to_state', 24, true),
        col.text('summary'),
        col.text('data', true),
      ],
      [{ name: 'ix_item_event_item', columns: ['item_id', 'id'] }],
    );
    await createTable(
      qr,
      'report',
      [
        col.id(),
        col.int('item_id'),
        col.int('unit_id'),
        col.int('author_id'),
        col.text('content'),
        col.str('channel', 16),
        col.time('submitted_at'),
        col.str('status', 16),
        col.time('returned_at', true),
        col.int('returned_by_id', true),
        col.str('return_reason', 500, true),
      ],
      [{ name: 'ix_report_item', columns: ['item_id'] }],
    );
    await createTable(
      qr,
      'item_request',
      [
        col.id(),
        col.int('item_id'),
        col.str('kind', 16),
        col.str('status', 20),
        col.int('requested_by_id'),
        col.time('requested_at'),
        col.text('text'),
        col.text('plan', true),
        col.time('proposed_deadline', true),
        col.bool('served_party_agreed', true),
        col.str('method', 24, true),
        col.int('decided_by_id', true),
        col.time('decided_at', true),
        col.str('decision_note', 500, true),
      ],
      [{ name: 'ix_item_request_item', columns: ['item_id', 'kind', 'status'] }],
    );
    await createTable(qr, 'number_sequence', [
      { name: 'prefix', type: 'varchar', length: '16', isPrimary: true },
      { name: 'year', type: 'integer', isPrimary: true },
      col.int('last_seq'),
    ]);
    await createTable(
      qr,
      'outbox_message',
      [
        col.id(),
        col.str('dedupe_key', 191),
        col.str('kind', 32),
        col.str('target', 32),
        col.str('platform', 16, true),
        col.int('item_id', true),
        col.text('payload'),
        col.str('status', 16),
        col.int('attempts', false, 0),
        col.time('due_at'),
        col.str('locked_by', 64, true),
        col.time('locked_until', true),
        col.str('last_error', 500, true),
        col.time('sent_at', true),
        col.created(),
      ],
      [
        { name: 'uq_outbox_dedupe', columns: ['dedupe_key'], unique: true },
        { name: 'ix_outbox_due', columns: ['status', 'due_at'] },
      ],
    );
    await createTable(
      qr,
      'inbox_event',
      [col.id(), col.str('platform', 16), col.str('event_id', 128), col.str('kind', 32, false, ''), col.created('received_at')],
      [{ name: 'uq_inbox_event', columns: ['platform', 'event_id'], unique: true }],
    );
    await createTable(qr, 'holiday_override', [
      { name: 'date', type: 'varchar', length: '10', isPrimary: true },
      col.str('kind', 8),
      col.str('note', 100, false, ''),
      col.created(),
    ]);
    await createTable(qr, 'setting', [
      { name: 'key', type: 'varchar', length: '64', isPrimary: true },
      col.text('value'),
      col.int('version', false, 1),
      col.updated(),
    ]);
    if (isMysql(qr)) {
      // Platform ids are case-sensitive: under a _ci collation two different DingTalk msgIds could collide
      // and a real event would be dropped as a "repeat". Compare them byte for byte.
      await qr.query('ALTER TABLE inbox_event MODIFY event_id varchar(128) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL');
      await qr.query('ALTER TABLE person_identity MODIFY external_user_id varchar(128) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL');
      await qr.query('ALTER TABLE chat_group MODIFY external_id varchar(128) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL');
      await qr.query('ALTER TABLE outbox_message MODIFY dedupe_key varchar(191) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL');
    }
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const t of [
      'setting',
      'holiday_override',
      'inbox_event',
      'outbox_message',
      'number_sequence',
      'item_request',
      'report',
      'item_event',
      'item_unit',
      'item',
      'api_token',
      'chat_group',
      'role_grant',
      'person_identity',
      'person',
      'unit',
    ]) {
      await qr.dropTable(t);
    }
  }
}
