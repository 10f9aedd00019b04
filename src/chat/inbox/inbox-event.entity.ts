import { Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { CreatedAtColumn, IntColumn, StringColumn } from '../../database/columns';

/** Principle 4: an inbound platform event, stored under its platform id in the same transaction as its effect. */
@Entity('inbox_event')
@Index('uq_inbox_event', ['platform', 'eventId'], { unique: true })
export class InboxEvent {
  @PrimaryGeneratedColumn({ type: 'int' }) id!: number;
  @StringColumn(16) platform!: string;
  @StringColumn(128) eventId!: string;
  @StringColumn(32, { default: '' }) kind!: string;
  @CreatedAtColumn() receivedAt!: Date;
  @IntColumn({ nullable: true }) personId!: number | null;
  /** What the event did, in a few words (for the log and for support). */
  @StringColumn(500, { nullable: true }) outcome!: string | null;
}
