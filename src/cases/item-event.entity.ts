import { Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { DateTimeColumn, IntColumn, JsonColumn, StringColumn, TextColumn } from '../database/columns';
import type { Channel, ItemState } from '../shared/vocabulary';

/** C6: one line of the 一事一卷 file — who, through which channel, when, what, state before → after. Append-only. */
@Entity('item_event')
@Index('ix_item_event_item', ['itemId', 'id'])
/** Issue 17: a period's returns, 重点督办 and ratings (the 通报's counts and lists) without reading the whole timeline. */
@Index('ix_item_event_type_at', ['type', 'at'])
export class ItemEvent {
  @PrimaryGeneratedColumn({ type: 'int' }) id!: number;
  @IntColumn() itemId!: number;
  @StringColumn(32) type!: string;
  @IntColumn({ nullable: true }) actorId!: number | null;
  /** The name shown in the file, kept as it was at the time. */
  @StringColumn(100) actorName!: string;
  @StringColumn(16) channel!: Channel;
  @DateTimeColumn() at!: Date;
  @StringColumn(24, { nullable: true }) fromState!: ItemState | null;
  @StringColumn(24, { nullable: true }) toState!: ItemState | null;
  @TextColumn() summary!: string;
  @JsonColumn({ nullable: true }) data!: Record<string, unknown> | null;
}
