import { Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { CreatedAtColumn, DateTimeColumn, IntColumn, JsonColumn, StringColumn } from '../database/columns';

export type OutboxStatus = 'pending' | 'sent' | 'dead';
/**
 * group:<chat_group.id>, person:<person.id>, cards:<item.id> (every card delivered for the item, to be updated — the
 * relay turns it into one card:<card_instance.id> row per card), or conv (a reply to whoever wrote, addressed by
 * payload.replyTo). The platform adapters resolve it at send time.
 */
export type OutboxTarget = `group:${number}` | `person:${number}` | `cards:${number}` | `card:${number}` | 'conv';

/**
 * Principle 2: messages a command causes are written here in the command's transaction and sent after commit
 * by the relay (arrives with the platform adapters). Platform-neutral: `kind` + `payload` are rendered per platform.
 */
@Entity('outbox_message')
@Index('ix_outbox_due', ['status', 'dueAt'])
@Index('uq_outbox_dedupe', ['dedupeKey'], { unique: true })
export class OutboxMessage {
  @PrimaryGeneratedColumn({ type: 'int' }) id!: number;
  /** Idempotency: one message per cause and target (e.g. 'assign:DB2026-0001:group:3'). */
  @StringColumn(191) dedupeKey!: string;
  @StringColumn(32) kind!: string;
  @StringColumn(32) target!: OutboxTarget;
  @StringColumn(16, { nullable: true }) platform!: string | null;
  @IntColumn({ nullable: true }) itemId!: number | null;
  @JsonColumn() payload!: Record<string, unknown>;
  @StringColumn(16) status!: OutboxStatus;
  @IntColumn({ default: 0 }) attempts!: number;
  @DateTimeColumn() dueAt!: Date;
  @StringColumn(64, { nullable: true }) lockedBy!: string | null;
  @DateTimeColumn({ nullable: true }) lockedUntil!: Date | null;
  @StringColumn(500, { nullable: true }) lastError!: string | null;
  @DateTimeColumn({ nullable: true }) sentAt!: Date | null;
  @CreatedAtColumn() createdAt!: Date;
}
