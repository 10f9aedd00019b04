import { Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { CreatedAtColumn, DateTimeColumn, IntColumn, StringColumn } from '../database/columns';

/** Issue 15: a console session; only the SHA-256 of the cookie's value is stored. */
@Entity('console_session')
@Index('uq_console_session_hash', ['sessionHash'], { unique: true })
@Index('ix_console_session_person', ['personId'])
export class ConsoleSession {
  @PrimaryGeneratedColumn({ type: 'int' }) id!: number;
  /** null: the bootstrap admin token signed in (no person). */
  @IntColumn({ nullable: true }) personId!: number | null;
  /** For an admin-token session: a digest of the admin token it was opened with — a changed token ends it. */
  @StringColumn(64, { nullable: true }) adminKey!: string | null;
  @StringColumn(64) sessionHash!: string;
  @CreatedAtColumn() createdAt!: Date;
  @DateTimeColumn() lastSeenAt!: Date;
  /** The absolute end (7 days after sign-in). */
  @DateTimeColumn() expiresAt!: Date;
  @DateTimeColumn({ nullable: true }) revokedAt!: Date | null;
}

/** Issue 15: a one-time sign-in code sent by the bot (/登录); only its SHA-256 is stored. */
@Entity('login_code')
@Index('uq_login_code_hash', ['codeHash'], { unique: true })
export class LoginCode {
  @PrimaryGeneratedColumn({ type: 'int' }) id!: number;
  @IntColumn() personId!: number;
  @StringColumn(64) codeHash!: string;
  @DateTimeColumn() expiresAt!: Date;
  @DateTimeColumn({ nullable: true }) usedAt!: Date | null;
  @CreatedAtColumn() createdAt!: Date;
}
