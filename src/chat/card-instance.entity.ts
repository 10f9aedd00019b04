import { Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { CreatedAtColumn, DateTimeColumn, IntColumn, StringColumn, UpdatedAtColumn } from '../database/columns';
import type { OutboxTarget } from '../outbox/outbox-message.entity';

export type CardKind = 'assignment' | 'review' | 'approval' | 'extension' | 'decision';

/**
 * A card delivered for an item to one group or person. Its outTrackId is the platform's idempotency key
 * (DingTalk refuses a second create with the same id) and the handle for later updates.
 */
@Entity('card_instance')
@Index('uq_card_out_track', ['outTrackId'], { unique: true })
@Index('ix_card_item', ['itemId'])
export class CardInstance {
  @PrimaryGeneratedColumn({ type: 'int' }) id!: number;
  @StringColumn(64) outTrackId!: string;
  @StringColumn(16) platform!: string;
  @StringColumn(16) kind!: CardKind;
  @IntColumn({ nullable: true }) itemId!: number | null;
  /** A decision card's subject (XS2026-0001, a bulletin …) when it is not about an item. */
  @StringColumn(32, { nullable: true }) subject!: string | null;
  @StringColumn(32) target!: OutboxTarget;
  @IntColumn({ nullable: true }) outboxId!: number | null;
  /** WeCom app cards: the latest unused response_code (from message/send or a click), cleared once spent. */
  @StringColumn(128, { nullable: true }) responseCode!: string | null;
  @DateTimeColumn({ nullable: true }) responseCodeAt!: Date | null;
  @CreatedAtColumn() createdAt!: Date;
  @UpdatedAtColumn() updatedAt!: Date;
}
