import type { MigrationInterface, QueryRunner } from 'typeorm';
import { col, createTable } from './schema-helpers';

/**
 * Issue 15 (sign-in): the console's sessions (the cookie's SHA-256 only; 8 hours idle, 7 days at most, revocable) and
 * the one-time sign-in codes the bot sends with /登录 (the code's SHA-256 only; single use, 10 minutes).
 */
export class ConsoleSessionSchema1764901000000 implements MigrationInterface {
  name = 'ConsoleSessionSchema1764901000000';

  async up(qr: QueryRunner): Promise<void> {
    await createTable(
      qr,
      'console_session',
      [
        col.id(),
        // null: signed in with the bootstrap admin token, which is no person; admin_key then ties it to that token.
        col.int('person_id', true),
        col.str('admin_key', 64, true),
        col.str('session_hash', 64),
        col.created(),
        col.time('last_seen_at'),
        col.time('expires_at'),
        col.time('revoked_at', true),
      ],
      [
        { name: 'uq_console_session_hash', columns: ['session_hash'], unique: true },
        { name: 'ix_console_session_person', columns: ['person_id'] },
      ],
    );
    await createTable(
      qr,
      'login_code',
      [col.id(), col.int('person_id'), col.str('code_hash', 64), col.time('expires_at'), col.time('used_at', true), col.created()],
      [{ name: 'uq_login_code_hash', columns: ['code_hash'], unique: true }],
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('login_code');
    await qr.dropTable('console_session');
  }
}
